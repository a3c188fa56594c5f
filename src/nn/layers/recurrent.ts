// Recurrent layers, Keras semantics on channels-last sequences x [N, T, F]: RNN runs a cell
// (recurrent-cells.ts) over time; SimpleRNN, LSTM and GRU are RNN around the built-in cells.
//
// The layer (RNN, and SimpleRNN/LSTM/GRU around the built-in cells):
// - the input projection x·K of every time step is one matmul ([N·T, F]×[F, G]) before the
//   loop for the built-in cells; the loop is unrolled in the recorded graph, so
//   backpropagation through time is ordinary autograd;
// - output: the last output [N, u], or every step's [N, T, u] with returnSequences (in
//   processing order, so reversed in time with goBackwards, as in Keras); returnState appends
//   the final states (h, or h and c);
// - initial states come as extra inputs: layer.apply([x, h0]) or ([x, h0, c0]);
// - masking (args.mask, bool [N, T], from a masking or embedding({ maskZero }) layer): a masked
//   step keeps the previous state and outputs zeros (as PyTorch's padded outputs); the last
//   output is the last unmasked step's;
// - stateful: the final states of a call are the next call's initial states (detached from the
//   graph, so fit over consecutive windows is truncated backpropagation through time) until
//   resetStates();
// - dropout / recurrentDropout (training only): one inverted-dropout mask per sequence on the
//   inputs and one on h_{t−1} before the recurrent matmul (Gal & Ghahramani 2016, as Keras).
import { ShapeError, ValueError } from '../../base/index.js';
import { add, cast, clone, expandDims, fusedRecurrenceAvailable, max, mul, reshape, reverse, stack, sub, unstack } from '../../ops/index.js';
import { gradDepth, keep, noGrad, type Tensor, zeros } from '../../tensor/index.js';
import type { ActivationName } from '../activations.js';
import { ConfigurableLayer, isShapeList, Layer, type LayerArgs, type LayerInput, type LayerOutput, type WeightSpec } from '../layer.js';
import { firstMask, type MaskArg } from '../mask.js';
import { checksOnly, field, is, type LayerOptionSpec, type OwnOptions } from '../options.js';
import { deserializeLayer, registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import { serialize } from '../serialization.js';
import type { CallArgs, Config, Serialized, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { activityRegularizerField, fmt, knownDim, type RankClass, who } from './common.js';
import {
  BuiltinCell, type CellArgs, dropMask, type GatedCell, type GatedCellArgs, GRUCell, type GRUCellArgs, LSTMCell, type LSTMCellArgs, type RecurrentCell, SimpleRNNCell, type SimpleRNNCellArgs,
  stateSizes,
} from './recurrent-cells.js';

/** The cells and their options, still reachable from here (the layer index re-exports this module). */
export {
  BuiltinCell, type CellArgs, GatedCell, type GatedCellArgs, GRUCell, type GRUCellArgs, LSTMCell, type LSTMCellArgs, type RecurrentCell, SimpleRNNCell,
  type SimpleRNNCellArgs,
} from './recurrent-cells.js';

// ---- options ----

/** Options of the layer that runs a cell over time. */
export interface SequenceArgs extends LayerArgs {
  /** Return every step's output [N, T, u] instead of the last [N, u]. */
  returnSequences?: boolean;
  /** Also return the final states: [output, h] or [output, h, c]. */
  returnState?: boolean;
  /** Process the sequence from the last step to the first. */
  goBackwards?: boolean;
  /** Carry the final states of one call into the next (until resetStates()). */
  stateful?: boolean;
  activityRegularizer?: RegularizerIdentifier | null;
}

/** Options of the generic {@link RNN} layer: the sequence options plus the `cell` to run. */
export interface RNNArgs extends SequenceArgs {
  /** The cell: a built-in one (lstmCell, …) or any layer with `stateSize` whose call([x, ...states]) gives [output, ...states]. */
  cell: Layer | Serialized;
}

/** Options of the {@link SimpleRNN} layer: the sequence options and those of its cell. */
export interface SimpleRNNArgs extends SequenceArgs, SimpleRNNCellArgs {}
/** Options of the {@link LSTM} layer: the sequence options and those of its cell. */
export interface LSTMArgs extends SequenceArgs, LSTMCellArgs {}
/** Options of the {@link GRU} layer: the sequence options and those of its cell. */
export interface GRUArgs extends SequenceArgs, GRUCellArgs {}

const sequenceOptions: OwnOptions<SequenceArgs> = {
  returnSequences: field(is.bool, false),
  returnState: field(is.bool, false),
  goBackwards: field(is.bool, false),
  stateful: field(is.bool, false),
  activityRegularizer: activityRegularizerField,
};

/** The cell keys of a layer's options (with the layer's name and dtype, so the weights are 'lstm/kernel'). */
function cellPart<T extends CellArgs>(args: T & SequenceArgs): T {
  const { returnSequences: _a, returnState: _b, goBackwards: _c, stateful: _d, activityRegularizer: _e, inputShape: _f, batchInputShape: _g, batchSize: _h, ...rest } = args;
  return rest as unknown as T;
}

// ---- the layer ----

function asCell(owner: string, cell: unknown): RecurrentCell {
  const layer = cell instanceof Layer ? cell : typeof cell === 'object' && cell !== null && 'className' in cell ? deserializeLayer(cell as Serialized) : null;
  if (!layer) throw new ValueError(`${owner}: cell must be a Layer (e.g. hb.layers.lstmCell(...)) or { className, config }, got ${JSON.stringify(cell)?.slice(0, 200)}`);
  const sizes = (layer as Partial<RecurrentCell>).stateSize;
  const ok = typeof sizes === 'number' ? Number.isInteger(sizes) && sizes > 0 : Array.isArray(sizes) && sizes.length > 0 && sizes.every((s) => Number.isInteger(s) && s > 0);
  if (!ok) throw new ValueError(`${owner}: the cell ${layer.className} '${layer.name}' needs a stateSize (a positive integer or a list of them), got ${JSON.stringify(sizes)}`);
  return layer as RecurrentCell;
}

/** What running a cell over a sequence gives: every output [N, T, u] (null if T = 0), the last output, the final states. */
interface SequenceRun {
  seq: Tensor | null;
  last: Tensor | null;
  states: Tensor[];
}

/** Runs a cell over the time axis (Keras's RNN layer); SimpleRNN, LSTM and GRU are this with a built-in cell. */
export class RNN extends ConfigurableLayer {
  static override readonly className: string = 'RNN';
  static override readonly options: LayerOptionSpec = { ...sequenceOptions, cell: is.object } satisfies OwnOptions<RNNArgs>;
  readonly cell: RecurrentCell;
  declare readonly returnSequences: boolean;
  declare readonly returnState: boolean;
  declare readonly goBackwards: boolean;
  declare readonly stateful: boolean;
  /** The carried states of a stateful layer (kept, outside any graph). */
  private carried: Tensor[] | null = null;

  /** `makeCell` builds a built-in cell named like the layer (so weights are 'lstm/kernel'). */
  constructor(args: RNNArgs | SequenceArgs, makeCell?: (name: string) => RecurrentCell) {
    super(args);
    this.cell = makeCell ? makeCell(this.name) : asCell(who(this), (args as RNNArgs).cell);
    this.supportsMasking = true;
    this.inputSpec = [{ ndim: 3 }];
  }

  override sublayers(): Layer[] {
    return [this.cell];
  }

  get stateSizes(): number[] {
    return stateSizes(this.cell);
  }

  get outputSize(): number {
    return this.cell.outputSize ?? this.stateSizes[0];
  }

  private inputShapes(inputShape: Shape | Shape[]): Shape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const x = shapes[0];
    if (x.length !== 3) throw new ShapeError(`${who(this)}: expected input [N, T, F] (rank 3), got ${fmt(x)}`);
    const states = shapes.length - 1;
    if (states !== 0 && states !== this.stateSizes.length) {
      throw new ValueError(`${who(this)}: expects [x] or [x, ${this.stateSizes.length} initial state(s)], got ${shapes.length} inputs`);
    }
    return shapes;
  }

  /** The cell's weights (for inputs [N, F]), when it declares them. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] | null {
    const [x] = this.inputShapes(inputShape);
    return this.cell.weightShapes([x[0], knownDim(this, x, -1, 'feature size')]);
  }

  override build(inputShape: Shape | Shape[]): void {
    const [x] = this.inputShapes(inputShape);
    const f = knownDim(this, x, -1, 'feature size');
    if (!this.cell.built) {
      this.cell.build([x[0], f]);
      this.cell.built = true;
    }
    this.inputSpec = [{ ndim: 3, axes: { [-1]: f } }];
    this.built = true;
  }

  /** The batch size a stateful layer is fixed to (from batchInputShape), or null. */
  private fixedBatch(): number | null {
    return this.batchInputShape?.[0] ?? null;
  }

  /**
   * Forget the carried states of a stateful layer: zeros, or the given values ([N, size] each).
   * Call between independent sequences (for example at every epoch's start).
   */
  resetStates(values?: readonly Tensor[]): void {
    if (!this.stateful) throw new ValueError(`${who(this)}: resetStates() needs a stateful layer (stateful: true)`);
    const sizes = this.stateSizes;
    let next: Tensor[] | null = null;
    if (values) {
      if (values.length !== sizes.length) throw new ValueError(`${who(this)}: resetStates expects ${sizes.length} tensor(s), got ${values.length}`);
      values.forEach((v, i) => {
        if (v.rank !== 2 || v.shape[1] !== sizes[i]) throw new ShapeError(`${who(this)}: state ${i} must be [N, ${sizes[i]}], got ${fmt(v.shape)}`);
      });
      next = noGrad(() => values.map((v) => keep(clone(v))));
    } else {
      const n = this.carried?.[0].shape[0] ?? this.fixedBatch();
      next = n === null ? null : sizes.map((s) => keep(zeros([n, s], this.dtype)));
    }
    this.carried?.forEach((t) => t.dispose());
    this.carried = next;
  }

  /** The carried states (copies), or null before the first call of a stateful layer. */
  get states(): Tensor[] | null {
    return this.carried ? this.carried.map((t) => noGrad(() => clone(t))) : null;
  }

  override call(inputs: LayerInput, args: CallArgs): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    if (x.rank !== 3) throw new ShapeError(`${who(this)}: expected input [N, T, F] (rank 3), got ${fmt(x.shape)}`);
    const [n, t] = x.shape;
    const sizes = this.stateSizes;
    const given = list.slice(1);
    if (given.length !== 0 && given.length !== sizes.length) {
      throw new ValueError(`${who(this)}: expects [x] or [x, ${sizes.length} initial state(s)], got ${list.length} inputs`);
    }
    given.forEach((s, i) => {
      if (s.rank !== 2 || s.shape[0] !== n || s.shape[1] !== sizes[i]) throw new ShapeError(`${who(this)}: initial state ${i} must be [${n}, ${sizes[i]}], got ${fmt(s.shape)}`);
    });
    let states: Tensor[];
    if (given.length > 0) states = given;
    else if (this.stateful && this.carried) {
      if (this.carried[0].shape[0] !== n) {
        throw new ShapeError(`${who(this)}: a stateful layer keeps states for batch size ${this.carried[0].shape[0]}, got a batch of ${n} (use a fixed batch size, or resetStates())`);
      }
      // Copies: the carried tensors are replaced (and freed) at the end of this call, while this
      // call's graph may still need its initial states for backpropagation.
      const carried = this.carried;
      states = noGrad(() => carried.map((c) => clone(c)));
    } else states = sizes.map((s) => zeros([n, s], x.dtype));

    const mask = firstMask(args.mask);
    if (mask && (mask.rank !== 2 || mask.shape[0] !== n || mask.shape[1] !== t)) throw new ShapeError(`${who(this)}: mask must be [${n}, ${t}], got ${fmt(mask.shape)}`);
    const run = this.runFused(x, states, mask, args.training === true) ?? this.runUnrolled(x, states, mask, args.training === true);
    states = run.states;
    if (this.stateful) {
      const old = this.carried;
      this.carried = noGrad(() => states.map((s) => keep(clone(s))));
      old?.forEach((s) => s.dispose());
    }
    const outSize = this.outputSize;
    let y: Tensor;
    if (this.returnSequences) y = run.seq ?? zeros([n, 0, outSize], x.dtype);
    else y = run.last ?? zeros([n, outSize], x.dtype);
    return this.returnState ? [y, ...states] : y;
  }

  /**
   * A built-in LSTM or GRU cell with its fused kernel (ops/recurrent.ts) over the whole sequence,
   * or null where the step-by-step form is needed: other activations, recurrent dropout, an
   * empty sequence, inside a nested gradient (the fused adjoint has no gradient itself), or a
   * backend without a fast implementation (ops/recurrent.ts fusedRecurrenceBackends).
   */
  private runFused(x: Tensor, states: Tensor[], mask: Tensor | null, training: boolean): SequenceRun | null {
    const cell = this.cell;
    const [n, t, f] = x.shape;
    if (!(cell instanceof BuiltinCell) || !cell.fusable || t === 0 || gradDepth() > 1 || (training && cell.recurrentDropout > 0) || !fusedRecurrenceAvailable()) return null;
    const xin = training && cell.dropout > 0 ? mul(x, expandDims(dropMask(n, f, cell.dropout, x.dtype), 1)) : x;
    let xk = reshape(cell.project(reshape(xin, [n * t, f])), [n, t, cell.gates * cell.units]);
    let m = mask ? cast(mask, x.dtype) : null;
    if (this.goBackwards) {
      xk = reverse(xk, 1);
      m = m && reverse(m, 1);
    }
    const fused = cell.fusedSequence(xk, states, m);
    if (!fused) return null;
    if (!m) return { seq: fused.seq, last: fused.states[0], states: fused.states };
    // Masked steps output zeros; the last output is the last unmasked step's (zeros if none).
    return { seq: mul(fused.seq, expandDims(m, -1)), last: mul(fused.states[0], max(m, 1, true)), states: fused.states };
  }

  /** The cell step by step, recorded op by op (any cell, any options). */
  private runUnrolled(x: Tensor, initial: Tensor[], mask: Tensor | null, training: boolean): SequenceRun {
    const [n, t, f] = x.shape;
    const sizes = this.stateSizes;
    const stepMasks = mask ? unstack(expandDims(cast(mask, x.dtype), -1), 1) : null; // T × [N, 1]
    const cell = this.cell;
    let inputsPerStep: Tensor[];
    let step: (input: Tensor, s: Tensor[]) => [Tensor, Tensor[]];
    if (cell instanceof BuiltinCell) {
      let xin = x;
      if (training && cell.dropout > 0) xin = mul(x, expandDims(dropMask(n, f, cell.dropout, x.dtype), 1));
      const g = cell.gates * cell.units;
      inputsPerStep = t > 0 ? unstack(reshape(cell.project(reshape(xin, [n * t, f])), [n, t, g]), 1) : [];
      const recMask = training && cell.recurrentDropout > 0 ? dropMask(n, cell.units, cell.recurrentDropout, x.dtype) : null;
      step = (xk, s) => {
        const next = cell.stepProjected(xk, s, recMask);
        return [next[0], next];
      };
    } else {
      inputsPerStep = t > 0 ? unstack(x, 1) : [];
      step = (xt, s) => {
        const out = cell.call([xt, ...s], { training });
        const outs = Array.isArray(out) ? out : [out];
        if (outs.length !== 1 + sizes.length) throw new ValueError(`${who(this)}: the cell must return [output, ...${sizes.length} state(s)], got ${outs.length} tensor(s)`);
        return [outs[0], outs.slice(1)];
      };
    }
    const order = Array.from({ length: t }, (_, k) => (this.goBackwards ? t - 1 - k : k));
    const outputs: Tensor[] = [];
    let last: Tensor | null = null;
    let states = initial;
    for (const k of order) {
      let [out, next] = step(inputsPerStep[k], states);
      const m = stepMasks?.[k];
      if (m) {
        // Masked step (m = 0): keep the states, output zeros; the last output stays the last real one.
        const keepOld = sub(1, m);
        next = next.map((s, i) => add(mul(s, m), mul(states[i], keepOld)));
        out = mul(out, m);
        last = last ? add(out, mul(last, keepOld)) : out;
      } else last = out;
      states = next;
      outputs.push(out);
    }
    return { seq: outputs.length > 0 ? stack(outputs, 1) : null, last, states };
  }

  override computeMask(_inputs: LayerInput, mask: MaskArg): MaskArg {
    const m = this.returnSequences ? firstMask(mask) : null;
    return this.returnState ? [m, ...this.stateSizes.map(() => null)] : m;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [x] = this.inputShapes(inputShape);
    const y: Shape = this.returnSequences ? [x[0], x[1], this.outputSize] : [x[0], this.outputSize];
    return this.returnState ? [y, ...this.stateSizes.map((s): Shape => [x[0], s])] : y;
  }

  /** The layer's own options (the built-in layers add their cell's). */
  protected sequenceConfig(): Config {
    return super.getConfig();
  }

  override getConfig(): Config {
    return { ...this.sequenceConfig(), cell: serialize(this.cell) };
  }
}
registerLayer(RNN);

/** An RNN around a built-in cell: the cell's options are the layer's (Keras's flat LSTM config). */
export abstract class BuiltinRNN<C extends BuiltinCell> extends RNN {
  declare readonly cell: C;

  /** `Cell` is the built-in cell class, made with the cell keys of `args` and named like the layer. */
  constructor(args: SequenceArgs & CellArgs, Cell: new (args: CellArgs) => C) {
    super(args, (name) => new Cell({ ...cellPart(args), name }));
  }

  get units(): number {
    return this.cell.units;
  }
  get activation(): ActivationName {
    return this.cell.activation;
  }
  get useBias(): boolean {
    return this.cell.useBias;
  }
  get dropout(): number {
    return this.cell.dropout;
  }
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }
  get kernel(): Variable | null {
    return this.cell.kernel;
  }
  get recurrentKernel(): Variable | null {
    return this.cell.recurrentKernel;
  }
  get bias(): Variable | null {
    return this.cell.bias;
  }

  override getConfig(): Config {
    const { name: _n, trainable: _t, dtype: _d, ...cellConfig } = this.cell.getConfig();
    return { ...this.sequenceConfig(), ...cellConfig };
  }
}

/** A fully connected recurrent layer: {@link RNN} around a {@link SimpleRNNCell}. */
export class SimpleRNN extends BuiltinRNN<SimpleRNNCell> {
  static override readonly className = 'SimpleRNN';
  static override readonly options: OwnOptions<SimpleRNNArgs> = { ...sequenceOptions, ...checksOnly(SimpleRNNCell.options) };
  constructor(args: SimpleRNNArgs) {
    super(args, SimpleRNNCell);
  }
}
registerLayer(SimpleRNN);

/** LSTM and GRU: a gated cell's recurrentActivation is the layer's too. */
export abstract class GatedRNN<C extends GatedCell> extends BuiltinRNN<C> {
  get recurrentActivation(): ActivationName {
    return this.cell.recurrentActivation;
  }
}

/**
 * The registered layer class `className`: a {@link GatedRNN} around `Cell`, which also reads the cell's own option
 * `own` (LSTM's unitForgetBias, GRU's resetAfter).
 */
function gatedRNN<A extends SequenceArgs & GatedCellArgs, C extends GatedCell, K extends keyof C & string>(
  className: string, Cell: (new (args: A) => C) & { readonly options: LayerOptionSpec }, own: K,
): RankClass<A, GatedRNN<C> & { readonly [P in K]: C[P] }> {
  const cls = class extends GatedRNN<C> {
    static override readonly className = className;
    static override readonly options = { ...sequenceOptions, ...checksOnly(Cell.options) };
    constructor(args: A) {
      super(args, Cell as unknown as new (args: CellArgs) => C);
    }
  };
  Object.defineProperty(cls.prototype, own, { get(this: GatedRNN<C>) { return this.cell[own]; } });
  registerLayer(cls);
  return cls as unknown as RankClass<A, GatedRNN<C> & { readonly [P in K]: C[P] }>;
}

/** A long short-term memory layer: {@link RNN} around an {@link LSTMCell}; states [h, c]. */
export const LSTM = gatedRNN<LSTMArgs, LSTMCell, 'unitForgetBias'>('LSTM', LSTMCell, 'unitForgetBias');
export type LSTM = GatedRNN<LSTMCell> & { readonly unitForgetBias: boolean };

/** A gated recurrent unit layer: {@link RNN} around a {@link GRUCell}. */
export const GRU = gatedRNN<GRUArgs, GRUCell, 'resetAfter'>('GRU', GRUCell, 'resetAfter');
export type GRU = GatedRNN<GRUCell> & { readonly resetAfter: boolean };

/** Earlier name of the recurrent base class (the wrappers test `instanceof RNNBase`). */
export { RNN as RNNBase };
