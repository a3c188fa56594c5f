// Layer options, declared once per layer class: `static override readonly options = { … }` maps
// every key the constructor reads to a check (base/options.ts's `is.*`, or the layer-specific
// ones below). The Layer constructor checks the arguments against it — the shared base options
// (name, inputShape, …) plus the class's own — so an unknown key, a snake_case spelling or a
// value of the wrong type or range is a ValueError naming the layer, the key and the closest
// valid key, whether the layer is made by a factory or rebuilt from a saved config.
import { type Check, checkOptions, type DType, DTYPES, is, type OptionSpec, ValueError } from '../base/index.js';
import type { Config, ConfigValue } from './types.js';
import { type Named, weightConfig, weightParams, type WeightParams } from './weight-params.js';

/** A layer's option spec: option key → check. */
export type LayerOptionSpec = Readonly<Record<string, Check>>;

/** The spec of an arguments type without the base options (so a key missed in the spec fails to compile). */
export type OwnOptions<A, Base = object> = OptionSpec<Omit<A, keyof Base | keyof LayerArgs>>;

const requiredChecks = new WeakSet<Check>();

/**
 * How a kept option becomes the layer field of the same name (ConfigurableLayer, nn/layer.ts): the
 * value when it is left out, an optional conversion (which may check more, naming the layer), and
 * what the config holds for it (the field itself unless `save` says otherwise).
 */
export interface FieldRule {
  readonly fallback: unknown;
  readonly convert?: (value: unknown, layer: Named, args: Readonly<Record<string, unknown>>, key: string) => unknown;
  readonly save?: (field: unknown) => unknown;
}

/** A weight whose three options (`kernelInitializer`, …) become the field `kernelParams` and three config keys. */
export interface WeightRule {
  readonly prefix: string;
  readonly fallback: string;
}

const fieldRules = new WeakMap<Check, FieldRule>();
const weightRules = new WeakMap<Check, WeightRule>();

/** `check` under a new identity that keeps what is marked on it (required, field, weight). */
function wrap(check: Check): Check {
  const c: Check = (v) => check(v);
  if (requiredChecks.has(check)) requiredChecks.add(c);
  const f = fieldRules.get(check);
  if (f) fieldRules.set(c, f);
  return c;
}

/** Marks an option that must be given (`units` of dense): leaving it out is a ValueError. */
export function required(check: Check): Check {
  const c = wrap(check);
  requiredChecks.add(c);
  return c;
}

/**
 * Marks an option the layer keeps: the constructor stores it as the field of the same name
 * (`fallback` when left out, through `convert` when given) and getConfig writes it back, so a
 * class declares the field (`declare readonly alpha: number`) and neither assigns nor saves it.
 */
export function field(check: Check, fallback?: unknown, convert?: FieldRule['convert'], save?: FieldRule['save']): Check {
  const c = wrap(check);
  fieldRules.set(c, { fallback, convert, save });
  return c;
}

/**
 * The checks of `spec` without what they keep: for a layer that checks options which another
 * object keeps (a recurrent layer and its cell's options). Required options stay required.
 */
export function checksOnly<S extends LayerOptionSpec>(spec: S): S {
  return Object.fromEntries(Object.entries(spec).map(([key, check]) => {
    const c: Check = (v) => check(v);
    if (requiredChecks.has(check)) requiredChecks.add(c);
    return [key, c];
  })) as S;
}

/** The kept options of a spec, in its order. */
function fieldsOf(own: LayerOptionSpec): [string, FieldRule][] {
  return Object.entries(own).flatMap(([key, check]) => {
    const rule = fieldRules.get(check);
    return rule ? [[key, rule] as [string, FieldRule]] : [];
  });
}

/**
 * Sets on `layer` the fields it keeps from its (checked) arguments: each kept option's value,
 * default or conversion, in the spec's order (so a conversion may read the fields set before it).
 */
export function assignKeptFields(own: LayerOptionSpec, args: object | undefined, layer: Named): void {
  const given = (args ?? {}) as Record<string, unknown>;
  const self = layer as unknown as Record<string, unknown>;
  for (const [key, rule] of fieldsOf(own)) {
    const v = given[key] === undefined ? rule.fallback : given[key];
    self[key] = rule.convert ? rule.convert(v, layer, given, key) : Array.isArray(v) ? [...(v as unknown[])] : v;
  }
}

/** The initializer, regularizer and constraint of each kept weight (weightOptions with a fallback), by prefix. */
export function keptWeights(own: LayerOptionSpec, args: object | undefined, layer: Named): Map<string, WeightParams> {
  const given = (args ?? {}) as Record<string, unknown>;
  return new Map(Object.values(own).flatMap((check) => weightRules.get(check) ?? []).map(({ prefix, fallback }) => {
    const at = (what: string) => given[`${prefix}${what}`] as never;
    return [prefix, weightParams(layer, prefix, at('Initializer'), fallback, at('Regularizer'), at('Constraint'))];
  }));
}

/** The config entries of what a layer keeps: each kept field (as `save` gives it) and each kept weight's three options. */
export function keptConfig(own: LayerOptionSpec, layer: object, weights: ReadonlyMap<string, WeightParams>): Config {
  const self = layer as Record<string, unknown>;
  const config: Config = Object.fromEntries(fieldsOf(own).map(([key, rule]) => [key, (rule.save ? rule.save(self[key]) : self[key]) as ConfigValue]));
  for (const [prefix, p] of weights) Object.assign(config, weightConfig(prefix, p));
  return config;
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

/**
 * The initializer, regularizer and constraint options of one weight: `kernelInitializer`, … for
 * 'kernel'. With a fallback initializer the layer keeps them (as {@link field} does) in the field
 * `kernelParams` (nn/weight-params.ts) and writes the three keys back to its config.
 */
export function weightOptions<P extends string>(prefix: P, fallback?: string): Record<`${P}Initializer` | `${P}Regularizer` | `${P}Constraint`, Check> {
  const initializer: Check = (v) => opt.initializer(v);
  if (fallback !== undefined) weightRules.set(initializer, { prefix, fallback });
  return {
    [`${prefix}Initializer`]: initializer,
    [`${prefix}Regularizer`]: opt.regularizer,
    [`${prefix}Constraint`]: opt.constraint,
  } as Record<`${P}Initializer` | `${P}Regularizer` | `${P}Constraint`, Check>;
}

export { is };
