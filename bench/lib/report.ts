import type { Summary } from './stats.js';

/** One line of the results table. */
export interface Row {
  /** Stable key for the JSON output, e.g. `hot-path.getSession`. */
  id: string;
  /** What is measured, for people. */
  figure: string;
  unit: string;
  kit: Summary | null;
  raw: Summary | null;
  amplify: Summary | null;
  /** kit median / comparator median (or whatever `ratioOf` says), when the figure has one. */
  ratio: number | null;
  ratioOf: string | null;
  target: string | null;
  met: boolean | null;
  notes: string[];
}

export function row(fields: Partial<Row> & Pick<Row, 'id' | 'figure' | 'unit'>): Row {
  return {
    kit: null,
    raw: null,
    amplify: null,
    ratio: null,
    ratioOf: null,
    target: null,
    met: null,
    notes: [],
    ...fields,
  };
}

/** Ratio of two medians, or null when either is missing. */
export function ratioOf(a: Summary | null, b: Summary | null): number | null {
  if (!a || !b || !Number.isFinite(a.median) || !Number.isFinite(b.median) || b.median === 0) return null;
  return a.median / b.median;
}

function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'bytes gzip' || unit === 'bytes') return Math.round(value).toLocaleString('en-US');
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatSummary(summary: Summary | null, unit: string): string {
  if (!summary) return '—';
  const median = formatNumber(summary.median, unit);
  if (summary.n <= 1 || summary.min === summary.max) return `${median} (n=${summary.n})`;
  return `${median} [${formatNumber(summary.min, unit)}–${formatNumber(summary.max, unit)}] (n=${summary.n})`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

/** A plain-text table: medians with [min–max] and the sample count. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['figure', 'unit', 'cognito-kit', 'raw', 'Amplify', 'ratio', 'target', 'met?'];
  const lines = rows.map((r) => [
    r.figure,
    r.unit,
    formatSummary(r.kit, r.unit),
    formatSummary(r.raw, r.unit),
    formatSummary(r.amplify, r.unit),
    r.ratio === null ? '—' : `${r.ratio.toFixed(3)}${r.ratioOf ? ` (${r.ratioOf})` : ''}`,
    r.target ?? '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  const separator = widths.map((width) => '-'.repeat(width)).join('-|-');
  const notes = rows.flatMap((r) => r.notes.map((note) => `  • ${r.figure}: ${note}`));
  return [
    render(header),
    separator,
    ...lines.map(render),
    ...(notes.length ? ['', 'Notes:', ...notes] : []),
  ].join('\n');
}
