// Merge layers: combine a list of tensors elementwise (Add — ResNet's skip connection —,
// Subtract, Multiply, Average, Maximum, Minimum; shapes broadcast as in NumPy) or join them
// along an axis (Concatenate — Inception's and DenseNet's branches).
import { ShapeError, ValueError } from '../../base/index.js';
import { add, concat, div, maximum, minimum, mul, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { ConfigurableLayer, isShapeList, type Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { field, type OwnOptions, opt } from '../options.js';
import { registerLayer } from '../registry.js';
import type { CallArgs, Shape } from '../types.js';
import { fmt, type RankClass, who } from './common.js';

/** At least `min` inputs (exactly `exact` when given). */
function checkCount(layer: Layer, count: number, min: number, exact?: number): void {
  if (count < min || (exact !== undefined && count !== exact)) {
    throw new ValueError(`${who(layer)}: expects ${exact !== undefined ? `exactly ${exact}` : `at least ${min}`} inputs, got ${count}`);
  }
}

/** The list of input tensors, at least `min` (exactly `exact` when given). */
function tensorList(layer: Layer, inputs: LayerInput, min: number, exact?: number): Tensor[] {
  if (!Array.isArray(inputs)) throw new ValueError(`${who(layer)}: expects a list of input tensors, got a single tensor ${fmt(inputs.shape)}`);
  checkCount(layer, inputs.length, min, exact);
  return inputs;
}

function shapeList(layer: Layer, shape: Shape | Shape[], min: number, exact?: number): Shape[] {
  if (!isShapeList(shape)) throw new ValueError(`${who(layer)}: expects a list of inputs, got one shape ${fmt(shape)}`);
  checkCount(layer, shape.length, min, exact);
  return shape;
}

/** NumPy broadcasting of shapes whose dimensions may be unknown (null). */
function broadcastShapes(layer: Layer, shapes: Shape[]): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    let d: number | null = 1;
    for (const s of shapes) {
      const j = s.length - rank + i;
      const e = j < 0 ? 1 : s[j];
      if (e === 1) continue;
      if (d === 1 || d === null) d = e;
      else if (e !== null && e !== d) throw new ShapeError(`${who(layer)}: input shapes ${shapes.map(fmt).join(', ')} cannot be broadcast together`);
    }
    out.push(d);
  }
  return out;
}

/** An elementwise merge of ≥ 2 inputs (exactly `exact` when set); shapes broadcast. */
export abstract class ElementwiseMerge extends ConfigurableLayer {
  static override readonly options = {};
  constructor(args: LayerArgs, private readonly combine: (xs: Tensor[]) => Tensor, private readonly exact?: number) {
    super(args);
  }
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    return this.combine(tensorList(this, inputs, 2, this.exact));
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return broadcastShapes(this, shapeList(this, inputShape, 2, this.exact));
  }
}

const fold = (op: (a: Tensor, b: Tensor) => Tensor) => (xs: Tensor[]): Tensor => xs.slice(1).reduce(op, xs[0]);

/** A registered ElementwiseMerge class named `className` that combines its inputs with `combine`. */
function mergeClass(className: string, combine: (xs: Tensor[]) => Tensor, exact?: number): RankClass<LayerArgs, ElementwiseMerge> {
  const cls = class extends ElementwiseMerge {
    static override readonly className = className;
    constructor(args: LayerArgs = {}) {
      super(args, combine, exact);
    }
  };
  registerLayer(cls);
  return cls;
}

/** inputs[0] + inputs[1] + … (same shapes, or broadcastable). */
export const Add = mergeClass('Add', fold(add));
/** inputs[0] − inputs[1] (exactly two inputs). */
export const Subtract = mergeClass('Subtract', ([a, b]) => sub(a, b), 2);
/** inputs[0] · inputs[1] · … elementwise. */
export const Multiply = mergeClass('Multiply', fold(mul));
/** The elementwise mean of the inputs. */
export const Average = mergeClass('Average', (xs) => div(fold(add)(xs), xs.length));
/** The elementwise maximum of the inputs. */
export const Maximum = mergeClass('Maximum', fold(maximum));
/** The elementwise minimum of the inputs. */
export const Minimum = mergeClass('Minimum', fold(minimum));
export type Add = ElementwiseMerge;
export type Subtract = ElementwiseMerge;
export type Multiply = ElementwiseMerge;
export type Average = ElementwiseMerge;
export type Maximum = ElementwiseMerge;
export type Minimum = ElementwiseMerge;

/** Options of the {@link Concatenate} layer (`hb.layers.concatenate`): the `axis` (default −1). */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default −1, the channels). */
  axis?: number;
}

/** Concatenates its inputs along `axis`. */
export class Concatenate extends ConfigurableLayer<ConcatenateArgs> {
  static override readonly className = 'Concatenate';
  static override readonly options: OwnOptions<ConcatenateArgs> = { axis: field(opt.axis, -1) };
  declare readonly axis: number;
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    return concat(tensorList(this, inputs, 1), this.axis);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(this, inputShape, 1);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis < 0 || axis >= rank || shapes.some((s) => s.length !== rank)) {
      throw new ShapeError(`${who(this)}: axis ${this.axis} does not fit input shapes ${shapes.map(fmt).join(', ')}`);
    }
    return shapes[0].map((_, i) => {
      const dims = shapes.map((s) => s[i]);
      if (i === axis) return dims.some((d) => d === null) ? null : dims.reduce<number>((p, d) => p + (d as number), 0);
      const known = dims.filter((d): d is number => d !== null);
      if (known.some((d) => d !== known[0])) throw new ShapeError(`${who(this)}: input shapes ${shapes.map(fmt).join(', ')} differ outside axis ${this.axis}`);
      return known.length > 0 ? known[0] : null;
    });
  }
}
registerLayer(Concatenate);
