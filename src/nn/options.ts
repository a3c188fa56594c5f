// Layer options, declared once per layer class: `static override readonly options = { … }` maps
// every key the constructor reads to a check (base/options.ts's `is.*`, or the layer-specific
// ones below). The Layer constructor checks the arguments against it — the shared base options
// (name, inputShape, …) plus the class's own — so an unknown key, a snake_case spelling or a
// value of the wrong type or range is a ValueError naming the layer, the key and the closest
// valid key, whether the layer is made by a factory or rebuilt from a saved config.
import { type Check, checkOptions, type DType, DTYPES, is, type OptionSpec, ValueError } from '../base/index.js';

/** A layer's option spec: option key → check. */
export type LayerOptionSpec = Readonly<Record<string, Check>>;

/** The spec of an arguments type without the base options (so a key missed in the spec fails to compile). */
export type OwnOptions<A, Base = object> = OptionSpec<Omit<A, keyof Base | keyof LayerArgs>>;

const requiredChecks = new WeakSet<Check>();

/** Marks an option that must be given (`units` of dense): leaving it out is a ValueError. */
export function required(check: Check): Check {
  const c: Check = (v) => check(v);
  requiredChecks.add(c);
  return c;
}

const posIntList = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && (d as number) >= 1);
const isObj = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks for the kinds of values layer options take. */
export const opt = {
  /** A sample shape: sizes ≥ 0, null for unknown. */
  shape: ((v) => (Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0)) ? null : 'a shape (a list of sizes or null)')) as Check,
  /** A positive integer, or one per spatial axis (kernelSize, strides, poolSize). */
  sizes: ((v) => ((Number.isInteger(v) && (v as number) >= 1) || posIntList(v) ? null : 'a positive integer or a list of them')) as Check,
  /** A non-negative integer, a list of them, or [before, after] pairs (padding, cropping). */
  pads: ((v) => {
    const nonNeg = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
    if (nonNeg(v)) return null;
    if (Array.isArray(v) && v.length > 0 && (v.every(nonNeg) || v.every((p) => Array.isArray(p) && p.length === 2 && p.every(nonNeg)))) return null;
    return 'a non-negative integer, a list of them, or [before, after] pairs';
  }) as Check,
  /** An initializer: a name, `{ className, config }` or an Initializer. */
  initializer: ((v) => (typeof v === 'string' || isObj(v) ? null : "an initializer name, { className, config } or an Initializer")) as Check,
  regularizer: ((v) => (v === null || typeof v === 'string' || isObj(v) ? null : 'a regularizer name, { className, config }, a Regularizer or null')) as Check,
  constraint: ((v) => (v === null || typeof v === 'string' || isObj(v) ? null : 'a constraint name, { className, config }, a Constraint or null')) as Check,
  /** An activation name (null means linear). */
  activation: ((v) => (v === null || typeof v === 'string' ? null : "an activation name such as 'relu'")) as Check,
  /** A seed for the layer's own random stream, or null for the global one. */
  seed: is.nullable(is.nonNegInt),
  /** A probability of dropping: [0, 1). */
  rate: is.range(0, 1, true),
  /** An integer axis (negative counts from the end). */
  axis: is.int,
};

/** The options every layer takes. */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
  /** Shape of one sample (without the batch axis); lets a Sequential model build itself. */
  inputShape?: readonly (number | null)[];
  /** Full input shape including the batch axis (null for any batch size). */
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
}

export const baseLayerOptions: OptionSpec<LayerArgs> = {
  name: (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty string'),
  trainable: is.bool,
  dtype: is.oneOf(...DTYPES),
  inputShape: opt.shape,
  batchInputShape: opt.shape,
  batchSize: is.posInt,
};

/**
 * Checks a layer's arguments against the base options and `own`; `where` names the layer
 * ('Dense'). Missing arguments (`hb.layers.dense()`) count as `{}`, so a required option is
 * reported as missing rather than as a TypeError.
 */
export function checkLayerOptions(where: string, args: unknown, own: LayerOptionSpec): void {
  const spec: LayerOptionSpec = { ...baseLayerOptions, ...own };
  const given = checkOptions(where, args as Record<string, unknown> | undefined, spec as OptionSpec<Record<string, unknown>>);
  for (const [key, check] of Object.entries(own)) {
    if (requiredChecks.has(check) && given[key] === undefined) {
      throw new ValueError(`${where}: option '${key}' is required (${check(undefined) ?? 'a value'}); got ${Object.keys(given).length === 0 ? 'no options' : `options { ${Object.keys(given).join(', ')} }`}`);
    }
  }
}

/** Every key of a spec, for messages and tests. */
export function optionKeys(own: LayerOptionSpec): string[] {
  return [...Object.keys(baseLayerOptions), ...Object.keys(own)];
}

/** The initializer, regularizer and constraint options of one weight: `kernelInitializer`, … for 'kernel'. */
export function weightOptions<P extends string>(prefix: P): Record<`${P}Initializer` | `${P}Regularizer` | `${P}Constraint`, Check> {
  return {
    [`${prefix}Initializer`]: opt.initializer,
    [`${prefix}Regularizer`]: opt.regularizer,
    [`${prefix}Constraint`]: opt.constraint,
  } as Record<`${P}Initializer` | `${P}Regularizer` | `${P}Constraint`, Check>;
}

export { is };
