// How the `npm run demo:…` scripts print their steps: a numbered line per step with its time and
// what happened, green ✔ or red ✘, colours only on a terminal (and never with NO_COLOR set).
import { isCognitoError } from '../../src/index.js';

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
export const green = paint(32);
export const red = paint(31);
export const dim = paint(2);
export const bold = paint(1);

/** An error in one line, without anything secret (CognitoError messages never carry secrets). */
export function describeError(error: unknown): string {
  if (isCognitoError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Throws when what the demo shows did not happen: a demo checks its own claims. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/**
 * A demo's step printer, numbering from 1. `step` prints the step's number and name padded to
 * `labelWidth`, its time in ms padded to `msWidth`, and the detail it returned, or the error it
 * threw (then rethrown).
 */
export class StepPrinter {
  /** The step running or run last, for the failure summary; a demo may name a wait for input. */
  current = '';
  #number = 0;
  readonly #layout: { labelWidth: number; msWidth: number };

  constructor(layout: { labelWidth: number; msWidth: number }) {
    this.#layout = layout;
  }

  /** Runs one step; `run` gives the step's value and what the step line says. */
  readonly step = async <T>(name: string, run: () => Promise<[T, string]>): Promise<T> => {
    this.#number += 1;
    this.current = name;
    const label = `${String(this.#number).padStart(2)}. ${name}`.padEnd(this.#layout.labelWidth);
    const started = performance.now();
    const took = () =>
      dim(`${String(Math.round(performance.now() - started)).padStart(this.#layout.msWidth)} ms`);
    try {
      const [value, detail] = await run();
      console.log(`${green('✔')} ${bold(label)} ${took()}  ${detail}`);
      return value;
    } catch (error) {
      console.log(`${red('✘')} ${bold(label)} ${took()}  ${red(describeError(error))}`);
      throw error;
    }
  };
}
