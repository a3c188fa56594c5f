// Layer wrappers, Keras semantics:
//   Bidirectional: a forward and a backward copy of a recurrent layer (the backward one has
//     goBackwards flipped; with returnSequences its outputs are reversed back into time order),
//     merged by 'concat' (default), 'sum', 'mul' or 'ave'. Weights: the forward layer's, then
//     the backward layer's.
//   TimeDistributed: the inner layer applied to every time step of [N, T, ...] (one call on
//     [N·T, ...], reshaped back).
// The inner layer is serialised as { className, config } and rebuilt with deserializeLayer.
import { ShapeError, ValueError } from '../../base/index.js';
import { add, concat, mul, reshape, reverse } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { ConfigurableLayer, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { is, type OwnOptions, required } from '../options.js';
import { deserializeLayer, registerLayer } from '../registry.js';
import type { CallArgs, Config, Serialized, Shape } from '../types.js';
import { fmt, oneOf, single, singleShape, who } from './common.js';
import { RNNBase } from './recurrent.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

export interface BidirectionalArgs extends LayerArgs {
  /** A recurrent layer (simpleRNN, lstm, gru), or its { className, config } when loading. */
  layer: Layer | Serialized;
  mergeMode?: MergeMode;
}

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

export class Bidirectional extends ConfigurableLayer {
  static override readonly className = 'Bidirectional';
  static override readonly options: OwnOptions<BidirectionalArgs> = { layer: required(is.object), mergeMode: is.oneOf(...MERGE_MODES) };
  readonly forwardLayer: RNNBase;
  readonly backwardLayer: RNNBase;
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    super(args);
    const inner = innerLayer(who(this), args.layer);
    if (!(inner instanceof RNNBase)) throw new ValueError(`${who(this)}: layer must be a recurrent layer (simpleRNN, lstm, gru), got ${inner.className}`);
    this.forwardLayer = inner;
    const cfg = inner.getConfig();
    this.backwardLayer = deserializeLayer({
      className: inner.className,
      config: { ...cfg, name: `backward_${inner.name}`, goBackwards: !inner.goBackwards },
    }) as RNNBase;
    this.mergeMode = oneOf(this, 'mergeMode', args.mergeMode ?? 'concat', MERGE_MODES);
    this.dtype = inner.dtype;
    this.inputSpec = { ndim: 3 };
  }

  override sublayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(this, inputShape);
    for (const l of this.sublayers()) {
      if (!l.built) {
        l.build(shape);
        l.built = true;
      }
    }
    this.built = true;
  }

  override call(inputs: LayerInput, args: CallArgs): Tensor {
    const x = single(this, inputs);
    const yf = this.forwardLayer.apply(x, args);
    let yb = this.backwardLayer.apply(x, args);
    if (this.forwardLayer.returnSequences) yb = reverse(yb, 1);
    switch (this.mergeMode) {
      case 'concat': return concat([yf, yb], -1);
      case 'sum': return add(yf, yb);
      case 'mul': return mul(yf, yb);
      case 'ave': return mul(add(yf, yb), 0.5);
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const out = this.forwardLayer.computeOutputShape(singleShape(this, inputShape)) as Shape;
    if (this.mergeMode !== 'concat') return out;
    const last = out[out.length - 1];
    return [...out.slice(0, -1), last === null ? null : 2 * last];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), layer: serializeLayer(this.forwardLayer), mergeMode: this.mergeMode };
  }

}
registerLayer(Bidirectional);

export class TimeDistributed extends ConfigurableLayer {
  static override readonly className = 'TimeDistributed';
  static override readonly options: OwnOptions<TimeDistributedArgs> = { layer: required(is.object) };
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    this.layer = innerLayer(who(this), args.layer);
    this.dtype = this.layer.dtype;
    this.inputSpec = { minNdim: 3 };
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
