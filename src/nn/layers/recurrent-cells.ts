// Recurrent cells (one time step each), Keras semantics; the RNN layers that run them over time are in recurrent.ts.
//
// Cells compute one time step; the RNN layer runs a cell over time.
//   SimpleRNNCell (Elman): h_t = f(x_t·K + h_{t−1}·R + b)
//   LSTMCell: gates i, f, g, o (Keras order i, f, c, o) from z = x_t·K + h_{t−1}·R + b [N, 4u];
//             c_t = σ(z_f)⊙c_{t−1} + σ(z_i)⊙f(z_g), h_t = σ(z_o)⊙f(c_t)
//   GRUCell:  gates z, r, h (Keras order); h_t = z⊙h_{t−1} + (1 − z)⊙h̃_t. resetAfter (Keras 3
//             default, PyTorch's and cuDNN's formula) applies r after the recurrent matmul,
//             h̃ = f(x·K_h + b_h + r⊙(h·R_h + b'_h)), with separate input and recurrent biases [2, 3u];
//             otherwise h̃ = f(x·K_h + (r⊙h)·R_h + b_h).
// Weight layout (Keras): kernel [F, G·u], recurrent_kernel [u, G·u], bias [G·u] (GRU resetAfter:
// [2, 3u]), gate blocks side by side along the last axis. PyTorch's weight_ih [G·u, F] is
// kernelᵀ with gates i, f, g, o (LSTM) or r, z, n (GRU), and it has two biases b_ih and b_hh
// (LSTM: bias = b_ih + b_hh; GRU resetAfter: bias[0] = b_ih, bias[1] = b_hh with the r and z
// blocks swapped); scripts/fixtures/rnn-torch.py does the conversion.
import { ShapeError, ValueError } from '../../base/index.js';
import { add, concat, dropout as dropoutOp, gruSequence, lstmSequence, matmul, mul, reshape, slice, split, sub } from '../../ops/index.js';
import { noGrad, ones, type Tensor, zeros } from '../../tensor/index.js';
import { type ActivationName, getActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, isShapeList, type Layer, notBuiltError, type LayerArgs, type LayerInput, type WeightSpec } from '../layer.js';
import { field, is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { activationField, fmt, knownDim, shapeOf, weightSpec, who } from './common.js';

// ---- options ----

/** Options every recurrent cell takes: `units`, activation, initializers, regularizers, constraints and dropouts. */
export interface CellArgs extends LayerArgs {
  units: number;
  /** Output activation (default 'tanh'). */
  activation?: ActivationName | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Fraction of the input features dropped (one mask per sequence), in [0, 1). */
  dropout?: number;
  /** Fraction of h_{t−1} dropped before the recurrent matmul (one mask per sequence), in [0, 1). */
  recurrentDropout?: number;
}
/** Options of the {@link SimpleRNNCell} (and of `hb.layers.simpleRNN`'s cell). */
export type SimpleRNNCellArgs = CellArgs;

/**
 * Options of the gated cells (LSTM, GRU): those of every cell plus the gates' `recurrentActivation` (default sigmoid).
 */
export interface GatedCellArgs extends CellArgs {
  /** Gate activation (default 'sigmoid'). */
  recurrentActivation?: ActivationName | null;
}

/** Options of the {@link LSTMCell}: the gated cell's plus `unitForgetBias` (forget-gate bias starts at 1). */
export interface LSTMCellArgs extends GatedCellArgs {
  /** Initialise the forget gate's bias to 1 (Jozefowicz et al. 2015); default true. */
  unitForgetBias?: boolean;
}

/** Options of the {@link GRUCell}: the gated cell's plus `resetAfter`. */
export interface GRUCellArgs extends GatedCellArgs {
  /** Apply the reset gate after the recurrent matmul (Keras 3, PyTorch and cuDNN; default true). */
  resetAfter?: boolean;
}

const cellOptions: OwnOptions<CellArgs> = {
  units: required(field(is.posInt)),
  activation: activationField('tanh'),
  useBias: field(is.bool, true),
  dropout: field(opt.rate, 0),
  recurrentDropout: field(opt.rate, 0),
  ...weightOptions('kernel', 'glorotUniform'),
  ...weightOptions('recurrent', 'orthogonal'),
  ...weightOptions('bias', 'zeros'),
};

// ---- cells ----

/** What the RNN layer needs of a cell: the size of each state tensor [N, size]. */
export interface RecurrentCell extends Layer {
  readonly stateSize: number | readonly number[];
  /** Size of the output per step (default: the first state's). */
  readonly outputSize?: number;
}

export function stateSizes(cell: RecurrentCell): number[] {
  return typeof cell.stateSize === 'number' ? [cell.stateSize] : [...cell.stateSize];
}

/** An inverted-dropout mask [n, size] (entries 0 or 1/(1 − rate)). */
export function dropMask(n: number, size: number, r: number, dtype: Tensor['dtype']): Tensor {
  return dropoutOp(ones([n, size], dtype), r);
}

/** The built-in cells: weights, options, and the step split into the input projection and the recurrence. */
export abstract class BuiltinCell<A extends CellArgs = CellArgs> extends ConfigurableLayer<A> implements RecurrentCell {
  declare readonly units: number;
  declare readonly activation: ActivationName;
  declare readonly useBias: boolean;
  declare readonly dropout: number;
  declare readonly recurrentDropout: number;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;

  /** Gates per unit: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
  abstract readonly gates: number;

  get stateSize(): number[] {
    return [this.units];
  }

  get outputSize(): number {
    return this.units;
  }

  /** Bias shape: [G·u] (GRU with resetAfter: [2, 3u]). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** kernel [F, G·u], recurrent_kernel [u, G·u] and bias; inputShape: [N, F] (or [N, T, F]: the last axis is the feature size). */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const g = this.gates * this.units;
    const kernels = [weightSpec('kernel', [knownDim(this, shape, -1, 'feature size'), g]), weightSpec('recurrent_kernel', [this.units, g])];
    return this.useBias ? [...kernels, weightSpec('bias', this.biasShape())] : kernels;
  }

  override build(inputShape: Shape | Shape[]): void {
    const w = this.weightShapes(inputShape);
    this.kernel = this.addKeptWeight('kernel', shapeOf(w, 'kernel'));
    this.recurrentKernel = this.addKeptWeight('recurrent_kernel', shapeOf(w, 'recurrent_kernel'), 'recurrent');
    if (this.useBias) this.bias = this.addKeptWeight('bias', shapeOf(w, 'bias'));
    this.built = true;
  }

  /** The bias added to x·K (all of it, or GRU's input half). */
  protected inputBias(): Tensor | null {
    return this.bias ? this.bias.value : null;
  }

  /** x [M, F] → x·K + b [M, G·u]. */
  project(x: Tensor): Tensor {
    if (!this.kernel) throw notBuiltError(this);
    const f = this.kernel.shape[0];
    if (x.shape[x.rank - 1] !== f) throw new ShapeError(`${who(this)}: expected ${f} input features, got shape ${fmt(x.shape)}`);
    const y = matmul(x, this.kernel.value);
    const b = this.inputBias();
    return b ? add(y, b) : y;
  }

  /**
   * One step from the projected input xk [N, G·u] and the states (h first) to the new states;
   * recMask [N, u] (recurrent dropout) multiplies h_{t−1} where it enters the recurrent matmul.
   */
  abstract stepProjected(xk: Tensor, states: Tensor[], recMask: Tensor | null): Tensor[];

  /**
   * The whole sequence at once from the projected inputs xk [N, T, G·u] (T ≥ 1) in processing
   * order, with a 0/1 mask [N, T] or null: { seq: every step's state h [N, T, u] (a masked step
   * repeats the previous one), states: the final states }, or null when this cell has no fused
   * kernel for its options (then the layer unrolls stepProjected).
   */
  fusedSequence(_xk: Tensor, _states: Tensor[], _mask: Tensor | null): { seq: Tensor; states: Tensor[] } | null {
    return null;
  }

  /** Whether fusedSequence has a kernel for this cell's options. */
  get fusable(): boolean {
    return false;
  }

  /** Standalone use: call([x [N, F], ...states]) → [output, ...newStates] (Keras's (output, states)). */
  override call(inputs: LayerInput, args: CallArgs): Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const sizes = this.stateSize;
    if (list.length !== 1 + sizes.length) throw new ValueError(`${who(this)}: expects [x, ${sizes.length === 1 ? 'h' : 'h, c'}], got ${list.length} tensor(s)`);
    let x = list[0];
    if (x.rank !== 2) throw new ShapeError(`${who(this)}: expected x [N, F], got ${fmt(x.shape)}`);
    const n = x.shape[0];
    const states = list.slice(1);
    states.forEach((s, i) => {
      if (s.rank !== 2 || s.shape[0] !== n || s.shape[1] !== sizes[i]) throw new ShapeError(`${who(this)}: state ${i} must be [${n}, ${sizes[i]}], got ${fmt(s.shape)}`);
    });
    const training = args.training === true;
    if (training && this.dropout > 0) x = mul(x, dropMask(n, x.shape[1], this.dropout, x.dtype));
    const recMask = training && this.recurrentDropout > 0 ? dropMask(n, this.units, this.recurrentDropout, x.dtype) : null;
    const next = this.stepProjected(this.project(x), states, recMask);
    return [next[0], ...next];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const n = shapes[0][0];
    return [[n, this.units], ...this.stateSize.map((s) => [n, s])];
  }

  protected rk(): Tensor {
    return (this.recurrentKernel as Variable).value;
  }
}

/** Elman cell: h_t = f(x_t·K + h_{t−1}·R + b). */
export class SimpleRNNCell extends BuiltinCell {
  static override readonly className = 'SimpleRNNCell';
  static override readonly options = cellOptions;
  readonly gates = 1;

  stepProjected(xk: Tensor, [h]: Tensor[], recMask: Tensor | null): Tensor[] {
    const hr = recMask ? mul(h, recMask) : h;
    return [getActivation(this.activation)(add(xk, matmul(hr, this.rk())))];
  }
}
registerLayer(SimpleRNNCell);

const gatedOptions: OwnOptions<GatedCellArgs> = { ...cellOptions, recurrentActivation: activationField('sigmoid') };

/** The LSTM and GRU cells: gates with their own activation (default 'sigmoid'). */
export abstract class GatedCell<A extends GatedCellArgs = GatedCellArgs> extends BuiltinCell<A> {
  declare readonly recurrentActivation: ActivationName;
}

/** LSTM cell (Hochreiter & Schmidhuber 1997), Keras's gate order i, f, c, o; states [h, c]. */
export class LSTMCell extends GatedCell<LSTMCellArgs> {
  static override readonly className = 'LSTMCell';
  static override readonly options: OwnOptions<LSTMCellArgs> = { ...gatedOptions, unitForgetBias: field(is.bool, true) };
  readonly gates = 4;
  declare readonly unitForgetBias: boolean;

  override get stateSize(): number[] {
    return [this.units, this.units];
  }

  override build(inputShape: Shape | Shape[]): void {
    super.build(inputShape);
    const bias = this.bias;
    if (bias && this.unitForgetBias) {
      // Keras: bias = [init(u), ones(u), init(2u)].
      const u = this.units;
      noGrad(() => bias.assign(concat([slice(bias.value, [0], [u]), ones([u], bias.dtype), slice(bias.value, [2 * u], [2 * u])], 0)));
    }
  }

  stepProjected(xk: Tensor, [h, c]: Tensor[], recMask: Tensor | null): Tensor[] {
    const hr = recMask ? mul(h, recMask) : h;
    const z = add(xk, matmul(hr, this.rk()));
    const [zi, zf, zc, zo] = split(z, 4, 1);
    const ra = getActivation(this.recurrentActivation);
    const act = getActivation(this.activation);
    const cNext = add(mul(ra(zf), c), mul(ra(zi), act(zc)));
    const hNext = mul(ra(zo), act(cNext));
    return [hNext, cNext];
  }

  /** The fused kernel (ops/recurrent.ts) for the default activations. */
  override get fusable(): boolean {
    return this.activation === 'tanh' && this.recurrentActivation === 'sigmoid';
  }

  override fusedSequence(xk: Tensor, [h, c]: Tensor[], mask: Tensor | null): { seq: Tensor; states: Tensor[] } | null {
    if (!this.fusable) return null;
    const [n, t] = xk.shape;
    const u = this.units;
    const y = lstmSequence(xk, h, c, this.rk(), mask);
    const last = (from: number): Tensor => reshape(slice(y, [0, t - 1, from], [n, 1, u]), [n, u]);
    return { seq: slice(y, [0, 0, 0], [n, t, u]), states: [last(0), last(u)] };
  }
}
registerLayer(LSTMCell);

/** GRU cell (Cho et al. 2014), Keras's gate order z, r, h and formulas. */
export class GRUCell extends GatedCell<GRUCellArgs> {
  static override readonly className = 'GRUCell';
  static override readonly options: OwnOptions<GRUCellArgs> = { ...gatedOptions, resetAfter: field(is.bool, true) };
  readonly gates = 3;
  declare readonly resetAfter: boolean;

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): Tensor | null {
    if (!this.bias) return null;
    return this.resetAfter ? reshape(slice(this.bias.value, [0, 0], [1, 3 * this.units]), [3 * this.units]) : this.bias.value;
  }

  stepProjected(xk: Tensor, [h]: Tensor[], recMask: Tensor | null): Tensor[] {
    const u = this.units;
    const rk = this.rk();
    const ra = getActivation(this.recurrentActivation);
    const act = getActivation(this.activation);
    const hr = recMask ? mul(h, recMask) : h;
    const [xz, xr, xh] = split(xk, 3, 1);
    let z: Tensor;
    let hh: Tensor;
    if (this.resetAfter) {
      let inner = matmul(hr, rk);
      if (this.bias) inner = add(inner, reshape(slice(this.bias.value, [1, 0], [1, 3 * u]), [3 * u]));
      const [rz, rr, rh] = split(inner, 3, 1);
      z = ra(add(xz, rz));
      const r = ra(add(xr, rr));
      hh = act(add(xh, mul(r, rh)));
    } else {
      const [kz, kr, kh] = split(rk, 3, 1);
      z = ra(add(xz, matmul(hr, kz)));
      const r = ra(add(xr, matmul(hr, kr)));
      hh = act(add(xh, matmul(mul(r, hr), kh)));
    }
    // h = z⊙h_{t−1} + (1 − z)⊙h̃
    return [add(mul(z, h), mul(sub(1, z), hh))];
  }

  /** The fused kernel (ops/recurrent.ts) for resetAfter and the default activations. */
  override get fusable(): boolean {
    return this.resetAfter && this.activation === 'tanh' && this.recurrentActivation === 'sigmoid';
  }

  override fusedSequence(xk: Tensor, [h]: Tensor[], mask: Tensor | null): { seq: Tensor; states: Tensor[] } | null {
    if (!this.fusable) return null;
    const [n, t] = xk.shape;
    const u = this.units;
    const rb = this.bias ? reshape(slice(this.bias.value, [1, 0], [1, 3 * u]), [3 * u]) : zeros([3 * u], xk.dtype);
    const seq = gruSequence(xk, h, this.rk(), rb, mask);
    return { seq, states: [reshape(slice(seq, [0, t - 1, 0], [n, 1, u]), [n, u])] };
  }
}
registerLayer(GRUCell);
