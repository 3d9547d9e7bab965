import { invalidParameter } from '../errors.js';

/** Rejects anything but a non-blank string. The value itself never goes into the message. */
export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidParameter(`${name} must be a string`);
  if (value.trim() === '') throw invalidParameter(`${name} must not be empty`);
  return value;
}

/** Like {@link requireString}, but `undefined` passes. */
export function optionalString(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : requireString(value, name);
}

/** Accepts a plain object whose keys are all in `allowed`; returns it typed as a record. */
export function requireOptions(
  value: unknown,
  name: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter(`${name} must be an object`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalidParameter(`${name} has an unknown option "${key}"`);
  }
  return value as Record<string, unknown>;
}

/** A `Record<string, string>` of attributes (or metadata), with non-blank names and string values. */
export function requireStringRecord(
  value: unknown,
  name: string,
  { allowEmpty = true } = {},
): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter(`${name} must be an object of strings`);
  }
  const entries = Object.entries(value);
  if (!allowEmpty && entries.length === 0) throw invalidParameter(`${name} must not be empty`);
  for (const [key, item] of entries) {
    if (key.trim() === '') throw invalidParameter(`${name} has an empty name`);
    if (typeof item !== 'string') throw invalidParameter(`${name}.${key} must be a string`);
  }
  return value as Record<string, string>;
}

/** Optional variant of {@link requireStringRecord}. */
export function optionalStringRecord(value: unknown, name: string): Record<string, string> | undefined {
  return value === undefined ? undefined : requireStringRecord(value, name);
}

/** One of the listed literal values. */
export function requireOneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidParameter(`${name} must be one of ${allowed.map((item) => `'${item}'`).join(', ')}`);
  }
  return value as T;
}

/** A finite number within bounds. */
export function requireNumber(
  value: unknown,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidParameter(`${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

/** A boolean, or `undefined`. */
export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw invalidParameter(`${name} must be a boolean`);
  return value;
}
