// Strict options: every public options object is checked against a spec that names each
// allowed key and how to check its value. An unknown key, a Keras snake_case spelling or a
// wrong type is a ValueError naming the function, the key and the closest valid key, never
// silently ignored (`adam({ lr: 0.5 })` must not train at 0.001).

import { ValueError } from './errors.js';

/** Checks one value; returns null when it is fine, else what was expected ("a positive integer"). */
export type Check = (value: unknown) => string | null;

/**
 * A spec names every key of an options type. Keyed by `keyof T`, so a key added to the type
 * and forgotten in the spec is a compile error.
 */
export type OptionSpec<T> = { readonly [K in keyof Required<T>]: Check };

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `name` (case-insensitive, snake_case folded), or undefined if none is near. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const fold = (s: string) => s.replace(/_/g, '').toLowerCase();
  const target = fold(name);
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(target, fold(c));
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  // Accept a match within about a third of the name's length (at least 2 edits), or any
  // candidate the name is an abbreviation-like prefix/contains match of (`lr` → learningRate
  // is handled by ALIASES below, not by distance).
  return best !== undefined && bestDist <= Math.max(2, Math.floor(target.length / 3)) ? best : undefined;
}

// Common spellings from other libraries that are far from ours by edit distance.
const ALIASES: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  learning_rate: 'learningRate',
  batch_size: 'batchSize',
  validation_split: 'validationSplit',
  validation_data: 'validationData',
  return_sequences: 'returnSequences',
  return_state: 'returnState',
  mask_zero: 'maskZero',
  kernel_size: 'kernelSize',
  input_shape: 'inputShape',
  weight_decay: 'weightDecay',
  std: 'stddev',
};

/** Formats a value for an error message, briefly. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `[${v.slice(0, 6).map(describeValue).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  if (v !== null && typeof v === 'object') return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  return String(v);
}

/**
 * Checks `options` against `spec` and returns it typed. `where` names the function or layer
 * (`'adam'`, `'dense'`, `'fit'`). `undefined` values pass (they mean "default").
 */
export function checkOptions<T extends object>(where: string, options: T | undefined, spec: OptionSpec<T>): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${where}: options must be an object, got ${describeValue(options)}`);
  }
  const keys = Object.keys(spec);
  for (const [key, value] of Object.entries(options)) {
    const check = (spec as Record<string, Check | undefined>)[key];
    if (check === undefined) {
      const alias = ALIASES[key];
      const camel = key.includes('_') ? key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) : undefined;
      const hint =
        (alias !== undefined && keys.includes(alias) ? alias : undefined) ??
        (camel !== undefined && keys.includes(camel) ? camel : undefined) ??
        closest(key, keys);
      throw new ValueError(
        `${where}: unknown option '${key}'` +
          (hint !== undefined ? ` (did you mean '${hint}'?)` : '') +
          `; valid options: ${keys.join(', ')}`,
      );
    }
    if (value === undefined) continue;
    const problem = check(value);
    if (problem !== null) {
      throw new ValueError(`${where}: option '${key}' must be ${problem}, got ${describeValue(value)}`);
    }
  }
  return options;
}

// The checks. Each returns null on success, else a phrase that completes "must be …".
const isNum = (v: unknown): v is number => typeof v === 'number';

export const is = {
  any: (): string | null => null,
  number: (v: unknown) => (isNum(v) && !Number.isNaN(v) ? null : 'a number'),
  finite: (v: unknown) => (isNum(v) && Number.isFinite(v) ? null : 'a finite number'),
  positive: (v: unknown) => (isNum(v) && v > 0 && Number.isFinite(v) ? null : 'a positive number'),
  nonNegative: (v: unknown) => (isNum(v) && v >= 0 && Number.isFinite(v) ? null : 'a non-negative number'),
  int: (v: unknown) => (Number.isInteger(v) ? null : 'an integer'),
  posInt: (v: unknown) => (Number.isInteger(v) && (v as number) > 0 ? null : 'a positive integer'),
  nonNegInt: (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'a non-negative integer'),
  /** A number in [lo, hi] (or [lo, hi) when `openHigh`). */
  range:
    (lo: number, hi: number, openHigh = false): Check =>
    (v) =>
      isNum(v) && v >= lo && (openHigh ? v < hi : v <= hi) ? null : `a number in [${lo}, ${hi}${openHigh ? ')' : ']'}`,
  bool: (v: unknown) => (typeof v === 'boolean' ? null : 'a boolean'),
  string: (v: unknown) => (typeof v === 'string' ? null : 'a string'),
  fn: (v: unknown) => (typeof v === 'function' ? null : 'a function'),
  object: (v: unknown) => (v !== null && typeof v === 'object' ? null : 'an object'),
  array: (v: unknown) => (Array.isArray(v) ? null : 'an array'),
  intArray: (v: unknown) => (Array.isArray(v) && v.every((x) => Number.isInteger(x)) ? null : 'an array of integers'),
  oneOf:
    (...allowed: readonly unknown[]): Check =>
    (v) =>
      allowed.includes(v) ? null : `one of ${allowed.map(describeValue).join(', ')}`,
  /** Passes if any of the checks passes. */
  anyOf:
    (...checks: readonly Check[]): Check =>
    (v) => {
      const problems: string[] = [];
      for (const c of checks) {
        const p = c(v);
        if (p === null) return null;
        problems.push(p);
      }
      return problems.join(' or ');
    },
  /** Accepts null as well as what `check` accepts. */
  nullable:
    (check: Check): Check =>
    (v) =>
      v === null ? null : check(v),
};
