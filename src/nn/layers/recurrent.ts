// Recurrent layers, Keras semantics on channels-last sequences x [N, T, F]:
//   SimpleRNN (Elman): h_t = f(x_t·K + h_{t−1}·R + b)
//   LSTM:              gates i, f, g, o (Keras order i, f, c, o); c_t = f⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t)
//   GRU:               gates z, r, h (Keras order); h_t = z⊙h_{t−1} + (1 − z)⊙h̃_t. resetAfter
//                      (Keras 3 default) applies r after the recurrent matmul and keeps separate
//                      input and recurrent biases [2, 3u]; otherwise h̃ = f(x·K_h + (r⊙h)·R_h + b_h).
// h_0 = c_0 = 0. The input projection x·K of every time step is one matmul ([N·T, F]×[F, G])
// before the loop; the loop itself is unrolled in the recorded graph, so backpropagation through
// time is ordinary autograd. Output: the last h [N, units], or every h [N, T, units] with
// returnSequences (in processing order, so reversed in time with goBackwards, as in Keras).
import { ShapeError } from '../../base/index.js';
import { add, concat, matmul, mul, reshape, slice, split, stack, sub, unstack } from '../../ops/index.js';
import { noGrad, ones, type Tensor, zeros } from '../../tensor/index.js';
import { type ActivationName, getActivation, normalizeActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { serializeOrNull } from '../serialization.js';
import type { CallArgs, Config, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { addParamWeight, asArgs, boolArg, intArg, knownDim, single, singleShape, weightConfig, weightParams, who, type WeightParams } from './common.js';

export interface RNNArgs extends LayerArgs {
  units: number;
  /** Output activation (default 'tanh'). */
  activation?: ActivationName | null;
  useBias?: boolean;
  /** Return every step's output [N, T, units] instead of the last [N, units]. */
  returnSequences?: boolean;
  /** Process the sequence from the last step to the first. */
  goBackwards?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

export type SimpleRNNArgs = RNNArgs;

export interface GatedRNNArgs extends RNNArgs {
  /** Gate activation (default 'sigmoid'). */
  recurrentActivation?: ActivationName | null;
}

export interface LSTMArgs extends GatedRNNArgs {
  /** Initialise the forget gate's bias to 1 (Jozefowicz et al. 2015); default true. */
  unitForgetBias?: boolean;
}

export interface GRUArgs extends GatedRNNArgs {
  /** Apply the reset gate after the recurrent matmul (Keras 3 / cuDNN default, true). */
  resetAfter?: boolean;
}

/** The shared machinery: weights, the time loop, shapes and config; subclasses give one step. */
export abstract class RNNBase extends Layer {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly kernelParams: WeightParams;
  readonly recurrentParams: WeightParams;
  readonly biasParams: WeightParams;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;

  /** Gates per unit: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
  protected abstract readonly gates: number;

  constructor(args: RNNArgs) {
    super(args);
    this.units = intArg(this, 'units', args.units);
    this.activation = normalizeActivation(args.activation === undefined ? 'tanh' : args.activation, who(this));
    this.useBias = boolArg(this, 'useBias', args.useBias, true);
    this.returnSequences = boolArg(this, 'returnSequences', args.returnSequences, false);
    this.goBackwards = boolArg(this, 'goBackwards', args.goBackwards, false);
    this.kernelParams = weightParams(this, 'kernel', args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint);
    this.recurrentParams = weightParams(this, 'recurrent', args.recurrentInitializer, 'orthogonal', args.recurrentRegularizer, args.recurrentConstraint);
    this.biasParams = weightParams(this, 'bias', args.biasInitializer, 'zeros', args.biasRegularizer, args.biasConstraint);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${who(this)} activityRegularizer`);
    this.inputSpec = { ndim: 3 };
  }

  /** Bias shape: [G] by default (GRU with resetAfter: [2, G]). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(this, inputShape);
    if (shape.length !== 3) throw new ShapeError(`${who(this)}: expected input [N, T, F] (rank 3), got rank ${shape.length}`);
    const inDim = knownDim(this, shape, -1, 'feature size');
    const g = this.gates * this.units;
    this.kernel = addParamWeight(this, 'kernel', [inDim, g], this.kernelParams);
    this.recurrentKernel = addParamWeight(this, 'recurrent_kernel', [this.units, g], this.recurrentParams);
    if (this.useBias) this.bias = addParamWeight(this, 'bias', this.biasShape(), this.biasParams);
    this.inputSpec = { ndim: 3, axes: { [-1]: inDim } };
    this.built = true;
  }

  /** The bias added to x·K (all of it, or GRU's input half). */
  protected inputBias(): Tensor | null {
    return this.bias ? this.bias.value : null;
  }

  /** One step: the projected input xk [N, G] (bias included) and the state → the new state; state[0] is h. */
  protected abstract step(xk: Tensor, state: Tensor[]): Tensor[];

  /** Number of state tensors (h, or h and c). */
  protected stateCount(): number {
    return 1;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    const kernel = this.kernel;
    if (!kernel || !this.recurrentKernel) throw new ShapeError(`${who(this)}: call() before build()`);
    const [n, t, f] = x.shape;
    const g = this.gates * this.units;
    let xk = reshape(matmul(reshape(x, [n * t, f]), kernel.value), [n, t, g]);
    const b = this.inputBias();
    if (b) xk = add(xk, b);
    const steps = unstack(xk, 1);
    if (this.goBackwards) steps.reverse();
    let state: Tensor[] = Array.from({ length: this.stateCount() }, () => zeros([n, this.units], x.dtype));
    const outputs: Tensor[] = [];
    for (const s of steps) {
      state = this.step(s, state);
      outputs.push(state[0]);
    }
    if (this.returnSequences) return outputs.length > 0 ? stack(outputs, 1) : zeros([n, 0, this.units], x.dtype);
    return state[0];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    if (shape.length !== 3) throw new ShapeError(`${who(this)}: expected input [N, T, F] (rank 3), got rank ${shape.length}`);
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      ...weightConfig('kernel', this.kernelParams),
      ...weightConfig('recurrent', this.recurrentParams),
      ...weightConfig('bias', this.biasParams),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
    };
  }
}

/** Elman network: h_t = f(x_t·K + h_{t−1}·R + b). */
export class SimpleRNN extends RNNBase {
  static override readonly className = 'SimpleRNN';
  protected readonly gates = 1;

  constructor(args: SimpleRNNArgs) {
    super(args);
  }

  protected step(xk: Tensor, [h]: Tensor[]): Tensor[] {
    return [getActivation(this.activation)(add(xk, matmul(h, (this.recurrentKernel as Variable).value)))];
  }

  static fromConfig(config: Config): SimpleRNN {
    return new SimpleRNN(asArgs<SimpleRNNArgs>('SimpleRNN', config));
  }
}
registerLayer(SimpleRNN);

/** Long short-term memory (Hochreiter & Schmidhuber 1997), Keras's gate order i, f, c, o. */
export class LSTM extends RNNBase {
  static override readonly className = 'LSTM';
  protected readonly gates = 4;
  readonly recurrentActivation: ActivationName;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs) {
    super(args);
    this.recurrentActivation = normalizeActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation, who(this));
    this.unitForgetBias = boolArg(this, 'unitForgetBias', args.unitForgetBias, true);
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

  protected override stateCount(): number {
    return 2;
  }

  protected step(xk: Tensor, [h, c]: Tensor[]): Tensor[] {
    const z = add(xk, matmul(h, (this.recurrentKernel as Variable).value));
    const [zi, zf, zc, zo] = split(z, 4, 1);
    const ra = getActivation(this.recurrentActivation);
    const act = getActivation(this.activation);
    const cNext = add(mul(ra(zf), c), mul(ra(zi), act(zc)));
    const hNext = mul(ra(zo), act(cNext));
    return [hNext, cNext];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, unitForgetBias: this.unitForgetBias };
  }

  static fromConfig(config: Config): LSTM {
    return new LSTM(asArgs<LSTMArgs>('LSTM', config));
  }
}
registerLayer(LSTM);

/** Gated recurrent unit (Cho et al. 2014), Keras's gate order z, r, h and formulas. */
export class GRU extends RNNBase {
  static override readonly className = 'GRU';
  protected readonly gates = 3;
  readonly recurrentActivation: ActivationName;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args);
    this.recurrentActivation = normalizeActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation, who(this));
    this.resetAfter = boolArg(this, 'resetAfter', args.resetAfter, true);
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): Tensor | null {
    if (!this.bias) return null;
    return this.resetAfter ? reshape(slice(this.bias.value, [0, 0], [1, 3 * this.units]), [3 * this.units]) : this.bias.value;
  }

  protected step(xk: Tensor, [h]: Tensor[]): Tensor[] {
    const u = this.units;
    const rk = (this.recurrentKernel as Variable).value;
    const ra = getActivation(this.recurrentActivation);
    const act = getActivation(this.activation);
    const [xz, xr, xh] = split(xk, 3, 1);
    let z: Tensor;
    let hh: Tensor;
    if (this.resetAfter) {
      let inner = matmul(h, rk);
      if (this.bias) inner = add(inner, reshape(slice(this.bias.value, [1, 0], [1, 3 * u]), [3 * u]));
      const [rz, rr, rh] = split(inner, 3, 1);
      z = ra(add(xz, rz));
      const r = ra(add(xr, rr));
      hh = act(add(xh, mul(r, rh)));
    } else {
      const [kz, kr, kh] = split(rk, 3, 1);
      z = ra(add(xz, matmul(h, kz)));
      const r = ra(add(xr, matmul(h, kr)));
      hh = act(add(xh, matmul(mul(r, h), kh)));
    }
    // h = z⊙h_{t−1} + (1 − z)⊙h̃
    return [add(mul(z, h), mul(sub(1, z), hh))];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, resetAfter: this.resetAfter };
  }

  static fromConfig(config: Config): GRU {
    return new GRU(asArgs<GRUArgs>('GRU', config));
  }
}
registerLayer(GRU);
