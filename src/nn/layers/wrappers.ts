// Layer wrappers, Keras semantics:
//   Bidirectional: a forward and a backward copy of a recurrent layer (the backward one has
//     goBackwards flipped; with returnSequences its outputs are reversed back into time order),
//     merged by 'concat' (default), 'sum', 'mul', 'ave' or 'none' (both returned). Weights: the
//     forward layer's, then the backward layer's. Masks reach both directions; initial states
//     come as [x, ...forward states, ...backward states]; returnState appends both final states.
//   TimeDistributed: the inner layer applied to every time step of [N, T, ...] (one call on
//     [N·T, ...], reshaped back).
// The inner layer is serialised as { className, config } and rebuilt with deserializeLayer.
import { ShapeError, ValueError } from '../../base/index.js';
import { add, concat, mul, reshape, reverse } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { ConfigurableLayer, isShapeList, Layer, type LayerArgs, type LayerInput, type LayerOutput } from '../layer.js';
import { firstMask, type MaskArg } from '../mask.js';
import { is, type OwnOptions, required } from '../options.js';
import { deserializeLayer, registerLayer } from '../registry.js';
import type { CallArgs, Config, Serialized, Shape } from '../types.js';
import { fmt, oneOf, single, singleShape, who } from './common.js';
import { RNNBase } from './recurrent.js';

/**
 * How {@link Bidirectional} combines the two directions: concatenation, sum, product, mean, or both outputs separately
 * ('none').
 */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | 'none';
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', 'none'];

/** Options of the {@link Bidirectional} wrapper (`hb.layers.bidirectional`). */
export interface BidirectionalArgs extends LayerArgs {
  /** A recurrent layer (simpleRNN, lstm, gru, rnn), or its { className, config } when loading. */
  layer: Layer | Serialized;
  /** How the two directions' outputs combine; 'none' (or null, as Keras's None) returns both. */
  mergeMode?: MergeMode | null;
}

/** Options of the {@link TimeDistributed} wrapper (`hb.layers.timeDistributed`). */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied at each time step, or its { className, config } when loading. */
  layer: Layer | Serialized;
}

function innerLayer(owner: string, layer: unknown): Layer {
  if (layer instanceof Layer) return layer;
  if (typeof layer === 'object' && layer !== null && 'className' in layer) return deserializeLayer(layer);
  throw new ValueError(`${owner}: layer must be a Layer or { className, config }, got ${JSON.stringify(layer)?.slice(0, 200)}`);
}

const serializeLayer = (l: Layer): Config => ({ className: l.className, config: l.getConfig() });

/**
 * Runs a recurrent layer over the sequence forwards and a copy of it backwards and merges the outputs by `mergeMode`
 * (default concatenation).
 */
export class Bidirectional extends ConfigurableLayer {
  static override readonly className = 'Bidirectional';
  static override readonly options: OwnOptions<BidirectionalArgs> = { layer: required(is.object), mergeMode: is.nullable(is.oneOf(...MERGE_MODES)) };
  readonly forwardLayer: RNNBase;
  readonly backwardLayer: RNNBase;
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    super(args);
    const inner = innerLayer(who(this), args.layer);
    if (!(inner instanceof RNNBase)) throw new ValueError(`${who(this)}: layer must be a recurrent layer (simpleRNN, lstm, gru, rnn), got ${inner.className}`);
    this.forwardLayer = inner;
    const cfg = inner.getConfig();
    this.backwardLayer = deserializeLayer({
      className: inner.className,
      config: { ...cfg, name: `backward_${inner.name}`, goBackwards: !inner.goBackwards },
    }) as RNNBase;
    this.mergeMode = oneOf(this, 'mergeMode', args.mergeMode === null ? 'none' : args.mergeMode ?? 'concat', MERGE_MODES);
    this.dtype = inner.dtype;
    this.supportsMasking = true;
    this.inputSpec = [{ ndim: 3 }];
  }

  override sublayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  /** [x] or [x, ...forward states, ...backward states] → the shapes for each direction. */
  private split<T>(items: T[]): [T[], T[]] {
    const k = this.forwardLayer.stateSizes.length;
    const states = items.slice(1);
    if (states.length !== 0 && states.length !== 2 * k) {
      throw new ValueError(`${who(this)}: expects [x] or [x, ${k} forward and ${k} backward initial state(s)], got ${items.length} inputs`);
    }
    if (states.length === 0) return [[items[0]], [items[0]]];
    return [[items[0], ...states.slice(0, k)], [items[0], ...states.slice(k)]];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const [fs, bs] = this.split(shapes);
    for (const [l, s] of [[this.forwardLayer, fs], [this.backwardLayer, bs]] as const) {
      if (!l.built) {
        l.build(s.length === 1 ? s[0] : s);
        l.built = true;
      }
    }
    this.built = true;
  }

  private merge(yf: Tensor, yb: Tensor): Tensor[] {
    switch (this.mergeMode) {
      case 'concat': return [concat([yf, yb], -1)];
      case 'sum': return [add(yf, yb)];
      case 'mul': return [mul(yf, yb)];
      case 'ave': return [mul(add(yf, yb), 0.5)];
      case 'none': return [yf, yb];
    }
  }

  override call(inputs: LayerInput, args: CallArgs): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [fi, bi] = this.split(list);
    if (!this.built) this.build(list.map((t) => [...t.shape]));
    // Each direction gets this call's mask (args.mask) directly; the activity penalties its own
    // apply() would add (an inner activityRegularizer) are gathered here.
    const run = (l: RNNBase, ins: Tensor[]): LayerOutput => {
      const out = l.call(ins.length === 1 ? ins[0] : ins, args);
      const reg = l.activityRegularizer;
      if (reg) for (const o of Array.isArray(out) ? out : [out]) this.callLosses.push(reg.apply(o));
      return out;
    };
    const of = run(this.forwardLayer, fi);
    const ob = run(this.backwardLayer, bi);
    const [yf, ...sf] = Array.isArray(of) ? of : [of];
    const [ybRaw, ...sb] = Array.isArray(ob) ? ob : [ob];
    const yb = this.forwardLayer.returnSequences ? reverse(ybRaw, 1) : ybRaw;
    const merged = this.merge(yf, yb);
    const out = this.forwardLayer.returnState ? [...merged, ...sf, ...sb] : merged;
    return out.length === 1 ? out[0] : out;
  }

  override computeMask(_inputs: LayerInput, mask: MaskArg): MaskArg {
    const m = this.forwardLayer.returnSequences ? firstMask(mask) : null;
    const outputs = (this.mergeMode === 'none' ? 2 : 1) + (this.forwardLayer.returnState ? 2 * this.forwardLayer.stateSizes.length : 0);
    return outputs === 1 ? m : Array.from({ length: outputs }, (_, i) => (i < (this.mergeMode === 'none' ? 2 : 1) ? m : null));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const [fs] = this.split(shapes);
    const out = this.forwardLayer.computeOutputShape(fs.length === 1 ? fs[0] : fs);
    const [y, ...states] = isShapeList(out) ? out : [out];
    const last = y[y.length - 1];
    const merged: Shape[] = this.mergeMode === 'concat' ? [[...y.slice(0, -1), last === null ? null : 2 * last]] : this.mergeMode === 'none' ? [y, y] : [y];
    const all = this.forwardLayer.returnState ? [...merged, ...states, ...states] : merged;
    return all.length === 1 ? all[0] : all;
  }

  /** Reset both directions' carried states (stateful layers). */
  resetStates(): void {
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), layer: serializeLayer(this.forwardLayer), mergeMode: this.mergeMode };
  }

}
registerLayer(Bidirectional);

/** Applies its layer to every time step of `[N, T, …]`, with one set of weights. */
export class TimeDistributed extends ConfigurableLayer {
  static override readonly className = 'TimeDistributed';
  static override readonly options: OwnOptions<TimeDistributedArgs> = { layer: required(is.object) };
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    this.layer = innerLayer(who(this), args.layer);
    this.dtype = this.layer.dtype;
    this.inputSpec = { minNdim: 3 };
    // The [N, T] mask passes through (the inner layer sees each step on its own).
    this.supportsMasking = true;
  }

  override sublayers(): Layer[] {
    return [this.layer];
  }

  /** [N, T, ...rest] → [N·T, ...rest] (unknown when N or T is). */
  private innerShape(shape: Shape): Shape {
    if (shape.length < 3) throw new ShapeError(`${who(this)}: expected input [N, T, ...] (rank >= 3), got shape ${fmt(shape)}`);
    const [n, t] = shape;
    return [n === null || t === null ? null : n * t, ...shape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(this, inputShape);
    if (!this.layer.built) {
      this.layer.build(this.innerShape(shape));
      this.layer.built = true;
    }
    this.built = true;
  }

  override call(inputs: LayerInput, args: CallArgs): Tensor {
    const x = single(this, inputs);
    const [n, t, ...rest] = x.shape;
    const y = this.layer.apply(reshape(x, [n * t, ...rest]), args);
    if (Array.isArray(y)) throw new ValueError(`${who(this)}: the inner layer must give one output`);
    return reshape(y, [n, t, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    const out = this.layer.computeOutputShape(this.innerShape(shape));
    if (Array.isArray(out[0])) throw new ValueError(`${who(this)}: the inner layer must give one output`);
    return [shape[0], shape[1], ...(out as Shape).slice(1)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }

}
registerLayer(TimeDistributed);
