// Helpers shared by the layer classes: argument checks whose errors name the layer, the kept
// options that several layers share (activation, activity regularizer, sizes per spatial axis;
// nn/options.ts's field), rank variants, and the sliding-window output sizes (ops/geometry.ts)
// with errors naming the layer.
import { type Check, fmtShape, ShapeError, spatialLayout, ValueError } from '../../base/index.js';
import { type WindowGeometry, windowOutputShape } from '../../ops/geometry.js';
import type { Tensor } from '../../tensor/index.js';
import { normalizeActivation } from '../activations.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { isShapeList, type Layer, type LayerClass, type LayerInput, type WeightSpec } from '../layer.js';
import { field, opt } from '../options.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { serialize, serializeOrNull } from '../serialization.js';
import type { Config, Initializer, Regularizer, Shape } from '../types.js';
import { type Named, who } from '../weight-params.js';

export { type Named, weightConfig, weightParams, who, type WeightParams } from '../weight-params.js';

/** Shapes in messages: base/shape.ts's fmtShape (`[null,28,28,1]`). */
export const fmt = fmtShape;

export function argError(layer: Named, message: string): ValueError {
  return new ValueError(`${who(layer)}: ${message}`);
}

export function boolArg(layer: Layer, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw argError(layer, `${name} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** A number or one per spatial axis → `dims` positive integers (kernelSize, strides, poolSize). */
export function tupleArg(layer: Named, name: string, v: unknown, dims: number, min = 1): number[] {
  const list = typeof v === 'number' ? new Array<number>(dims).fill(v) : v;
  if (!Array.isArray(list) || list.length !== dims || !list.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= min)) {
    throw argError(layer, `${name} must be an integer >= ${min} or ${dims} of them, got ${JSON.stringify(v)}`);
  }
  return [...(list as number[])];
}

export function oneOf<T extends string>(layer: Named, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw argError(layer, `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** The single input tensor of a one-input layer. */
export function single(layer: Layer, inputs: LayerInput): Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new ValueError(`${who(layer)}: expects one input tensor, got ${inputs.length}`);
    return inputs[0];
  }
  return inputs;
}

export function singleShape(layer: Layer, shape: Shape | Shape[]): Shape {
  if (isShapeList(shape)) {
    if (shape.length !== 1) throw new ValueError(`${who(layer)}: expects one input, got ${shape.length} shapes`);
    return shape[0];
  }
  return shape;
}

/** The input shape's rank must be `rank` (a list means any of them). */
export function requireRank(layer: Layer, shape: readonly (number | null)[], rank: number, layout: string): void {
  if (shape.length !== rank) throw new ShapeError(`${who(layer)}: expected input ${layout} (rank ${rank}), got shape ${fmt(shape)}`);
}

/** A channels-last input of `dims` spatial axes: [N, ...spatial, C], rank dims + 2. */
export function requireSpatial(layer: Layer, shape: readonly (number | null)[], dims: number): void {
  if (shape.length !== dims + 2) throw new ShapeError(`${who(layer)}: expected input ${spatialLayout(dims)} (rank ${dims + 2}), got ${fmt(shape)}`);
}

/** A dimension that build() needs to know. */
export function knownDim(layer: Layer, shape: readonly (number | null)[], axis: number, what: string): number {
  const a = axis < 0 ? shape.length + axis : axis;
  const d = shape[a];
  if (d === null || d === undefined) throw new ShapeError(`${who(layer)}: the ${what} (axis ${axis}) of input ${fmt(shape)} must be known to build the layer`);
  return d;
}

/** A weight that build() will create (trainable unless told). */
export function weightSpec(name: string, shape: readonly number[], trainable = true): WeightSpec {
  return { name, shape: [...shape], trainable };
}

/** The shape of weight `name` among `specs` (from the layer's own weightShapes). */
export function shapeOf(specs: readonly WeightSpec[], name: string): readonly number[] {
  const s = specs.find((w) => w.name === name);
  if (!s) throw new ValueError(`weight '${name}' is not among ${specs.map((w) => w.name).join(', ')}`);
  return s.shape;
}

export type PaddingMode = 'valid' | 'same';

/**
 * Output spatial sizes of a sliding window over the spatial axes of channels-last `shape`
 * ([N, ...spatial, C]); the rule is ops/geometry.ts's, so layers and ops agree, unknown sizes stay
 * null, and a window that does not fit is a ShapeError naming the layer.
 */
export function spatialOutput(layer: Layer, shape: Shape, g: WindowGeometry): (number | null)[] {
  return windowOutputShape(who(layer), shape.slice(1, -1), g, shape);
}

/**
 * A class made by rankVariants: constructible from its options (optional when every option is),
 * registered, with the generic fromConfig.
 */
export interface RankClass<A, L extends Layer> {
  new (...args: object extends A ? [args?: A] : [args: A]): L;
  readonly className: string;
  fromConfig(config: Config): L;
}

/**
 * The 1-D, 2-D and 3-D classes of a layer written once for any rank: `base` takes (args, rank),
 * and each variant, named `${prefix}${rank}D${suffix}` (Conv2D, Conv2DTranspose, MaxPooling3D),
 * passes its rank (and `extra`) and is registered for loading. Options are the base's (static `options`).
 */
export function rankVariants<A, L extends Layer, E extends unknown[]>(
  prefix: string, base: abstract new (args: A, rank: number, ...extra: E) => L, suffix = '', ...extra: E
): [RankClass<A, L>, RankClass<A, L>, RankClass<A, L>] {
  const Base = base as unknown as new (args: A, rank: number, ...extra: E) => object;
  const make = (rank: number): RankClass<A, L> => {
    const cls = class extends Base {
      static readonly className = `${prefix}${rank}D${suffix}`;
      static readonly rank = rank;
      constructor(args?: A) {
        super((args ?? {}) as A, rank, ...extra);
      }
    };
    registerLayer(cls as unknown as LayerClass);
    return cls as unknown as RankClass<A, L>;
  };
  return [make(1), make(2), make(3)];
}

/** A layer's class as registerLayer and the factories see it. */
export type Ctor<A, L extends Layer> = new (args: A) => L;

/** The factory of a layer class, typed by its constructor: `factory(Dense)` is `(args: DenseArgs) => Dense`. */
export function factory<C extends abstract new (...args: never[]) => Layer>(cls: C): (...args: ConstructorParameters<C>) => InstanceType<C> {
  const make = cls as unknown as new (...args: ConstructorParameters<C>) => InstanceType<C>;
  return (...args) => new make(...args);
}

/** A kept activation option: a name (null: linear; left out: `fallback`), stored as its canonical name. */
export const activationField = (fallback: string | null = null): Check => field(opt.activation, fallback, (v, layer) => normalizeActivation(v as string | null, who(layer)));

/** The kept `activityRegularizer` option: resolved to a Regularizer (or null) on the layer, serialized in its config. */
export const activityRegularizerField: Check = field(
  opt.regularizer, null, (v, layer) => getRegularizer(v as RegularizerIdentifier | null, `${who(layer)} activityRegularizer`), (r) => serializeOrNull(r as Regularizer | null),
);

/** The spatial rank of a layer's class: `static rank` (set by rankVariants, or by a class of one rank). */
export function rankOf(layer: Named): number {
  const rank = (layer.constructor as { rank?: unknown }).rank;
  if (typeof rank !== 'number') throw new ValueError(`${who(layer)}: the class declares no spatial rank`);
  return rank;
}

/** A kept size option: a number or one per spatial axis, stored as one per axis of the class's rank (kernelSize, strides, …). */
export const sizesField = (fallback?: number, min = 1, check: Check = opt.sizes): Check =>
  field(check, fallback, (v, layer, _args, key) => tupleArg(layer, key, v, rankOf(layer), min));

/** A kept initializer option (BatchNormalization's moving statistics): resolved on the layer, serialized in its config. */
export const initializerField = (fallback: string): Check =>
  field(opt.initializer, fallback, (v, layer, _args, key) => getInitializer(v as InitializerIdentifier, `${who(layer)} ${key}`), (init) => serialize(init as Initializer));
