// The Optimizer base class (Keras 3 semantics). applyGradients() does, in one tidy() under
// noGrad (nothing is recorded, no intermediate outlives the call):
//   1. gradient clipping: clipNorm (each gradient to L2 norm ≤ c), clipValue (each element to
//      [−c, c]) or globalClipNorm (all gradients scaled together so their joint norm ≤ c);
//   2. decoupled weight decay: w ← w − lr · weightDecay · w (before the update, as Keras 3);
//   3. the optimizer's own update rule on (w, g, slots) with lr = schedule(iterations);
//   4. iterations += 1, then each variable's constraint is applied to its new value.
// Slot state (momenta, accumulators) lives per variable id and is saved by variable name.
import { type Check, checkOptions, DTypeError, FormatError, fmtShape, is, isFloat, type OptionSpec, ShapeError, ValueError } from '../base/index.js';
import { add, cast, clip, div, maximum, mul, sqrt, square, sub, sum } from '../ops/index.js';
import { full, keep, noGrad, scalar, Tensor, tidy } from '../tensor/index.js';
import { deserializeSchedule, LearningRateSchedule } from './schedules.js';
import type { GradientPair, JsonObject, OptimizerVariable, SerializedObject } from './types.js';

/**
 * Options every optimizer takes: the learning rate (a number or a schedule), decoupled weight decay, gradient clipping
 * and a name.
 */
export interface OptimizerOptions {
  /** A number or a schedule of the step (default: the optimizer's Keras default). */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: w ← w − lr · weightDecay · w at every update. */
  weightDecay?: number | null;
  /** Clip each gradient to this L2 norm. */
  clipNorm?: number | null;
  /** Clip each gradient element to [−clipValue, clipValue]. */
  clipValue?: number | null;
  /** Scale all gradients together so that their joint L2 norm is at most this. */
  globalClipNorm?: number | null;
  /** Variables whose name contains one of these strings get no weight decay (e.g. ['bias', 'gamma']). */
  excludeFromWeightDecay?: string[];
  name?: string;
}

/** What an update rule sees besides the tensors. */
export interface UpdateContext {
  /** Learning rate for this update (the schedule evaluated at iterations). */
  lr: number;
  /** 1-based number of this update (iterations + 1): Adam's bias-correction exponent. */
  step: number;
}

/** An optimizer's per-variable state by name (Adam's `m` and `v` …). */
export type Slots = Readonly<Record<string, Tensor>>;

interface VariableState {
  variable: OptimizerVariable;
  slots: Map<string, Tensor>;
}

/** The options every optimizer takes; each optimizer adds its own (see `optimizerOptions`). */
export const OPTIMIZER_SPEC: OptionSpec<OptimizerOptions> = {
  learningRate: (v) => (v instanceof LearningRateSchedule ? null : is.nonNegative(v) === null ? null : 'a non-negative number or a LearningRateSchedule'),
  weightDecay: is.nullable(is.nonNegative),
  clipNorm: is.nullable(is.positive),
  clipValue: is.nullable(is.positive),
  globalClipNorm: is.nullable(is.positive),
  excludeFromWeightDecay: (v) => (Array.isArray(v) && v.every((e) => typeof e === 'string') ? null : 'an array of strings'),
  name: is.string,
};

/** One of an optimizer's own hyper-parameters: the check of a given value and its Keras 3 default. */
export interface HyperParameter<V extends number | boolean = number | boolean> {
  readonly check: Check;
  readonly default: V;
}

/**
 * An optimizer's hyper-parameter table, the one place its own options are written: the
 * constructor checks the given values against it (with the shared options), sets a field of the
 * same name to the value or the default, and getConfig() saves those fields. An optimizer class
 * gets it by extending {@link optimizerWith}(table, default learning rate).
 */
export type HyperParameters = Readonly<Record<string, HyperParameter>>;

/** The options a hyper-parameter table adds: each one optional, of its default's type. */
export type HyperOptions<H extends HyperParameters> = { [K in keyof H]?: H[K]['default'] };

/** The kinds of hyper-parameter the optimizers take, each with its default. */
export const hyper = {
  /** A number in [0, 1] (decay rates ρ, β, momentum μ). */
  unit: (d: number): HyperParameter<number> => ({ check: is.range(0, 1), default: d }),
  /** A number ≥ 0 (ε, initial accumulators). */
  nonNegative: (d: number): HyperParameter<number> => ({ check: is.nonNegative, default: d }),
  /** A switch (amsgrad, nesterov, centered). */
  flag: (d: boolean): HyperParameter<boolean> => ({ check: is.bool, default: d }),
};

export function checkNumber(op: string, name: string, v: unknown, { min = -Infinity, max = Infinity, minExclusive = false } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${String(v)}`);
  if (minExclusive ? v <= min : v < min) throw new ValueError(`${op}: ${name} must be ${minExclusive ? '>' : '>='} ${min}, got ${v}`);
  if (v > max) throw new ValueError(`${op}: ${name} must be <= ${max}, got ${v}`);
  return v;
}

function optionalPositive(op: string, name: string, v: number | null | undefined): number | null {
  return v === undefined || v === null ? null : checkNumber(op, name, v, { min: 0, minExclusive: true });
}

/**
 * The base of every optimizer: `applyGradients` applies one update to a list of (variable, gradient) pairs; subclasses
 * write the update rule. Its state is saved with the model.
 */
export abstract class Optimizer {
  static readonly className: string = 'Optimizer';

  readonly name: string;
  /** Number of updates applied so far. */
  iterations = 0;
  readonly weightDecay: number | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipNorm: number | null;
  readonly excludeFromWeightDecay: string[];
  private lr: number | LearningRateSchedule;
  private readonly states = new Map<number, VariableState>();

  /** The optimizer a getConfig() describes (the learning rate may be a serialised schedule). */
  static fromConfig<T extends Optimizer>(this: new (options: OptimizerOptions) => T, config: JsonObject): T {
    return new this({ ...(config as OptimizerOptions), learningRate: learningRateFromConfig(config.learningRate) });
  }

  /** The optimizer's own hyper-parameters (none here; {@link optimizerWith} sets them). */
  static readonly hyperParameters: HyperParameters = {};
  /** The weight decay when the options give none (AdamW's is 0.004). */
  static readonly defaultWeightDecay: number | null = null;

  /**
   * `options` are checked against the shared options and the class's `hyperParameters` (unknown
   * keys such as `lr` or `learning_rate`, and wrong types, are ValueErrors naming the optimizer).
   */
  constructor(options: OptimizerOptions | undefined, defaultLearningRate: number) {
    const cls = new.target as unknown as typeof Optimizer;
    const op = this.className;
    const own = cls.hyperParameters;
    const checks = Object.fromEntries(Object.entries(own).map(([key, h]) => [key, h.check]));
    options = checkOptions(op.toLowerCase(), options, { ...OPTIMIZER_SPEC, ...checks } as OptionSpec<OptimizerOptions>);
    const given = options as Record<string, unknown>;
    Object.assign(this, Object.fromEntries(Object.entries(own).map(([key, h]) => [key, given[key] ?? h.default])));
    this.name = options.name ?? op.toLowerCase();
    const lr = options.learningRate ?? defaultLearningRate;
    this.lr = lr instanceof LearningRateSchedule ? lr : checkNumber(op, 'learningRate', lr, { min: 0 });
    const decay = options.weightDecay === undefined ? cls.defaultWeightDecay : options.weightDecay;
    this.weightDecay = decay === null ? null : checkNumber(op, 'weightDecay', decay, { min: 0 });
    this.clipNorm = optionalPositive(op, 'clipNorm', options.clipNorm);
    this.clipValue = optionalPositive(op, 'clipValue', options.clipValue);
    this.globalClipNorm = optionalPositive(op, 'globalClipNorm', options.globalClipNorm);
    const exclude = options.excludeFromWeightDecay ?? [];
    if (!Array.isArray(exclude) || !exclude.every((e) => typeof e === 'string')) throw new ValueError(`${op}: excludeFromWeightDecay must be an array of strings`);
    this.excludeFromWeightDecay = [...exclude];
    const clips = [this.clipNorm, this.clipValue, this.globalClipNorm].filter((c) => c !== null).length;
    if (clips > 1) {
      throw new ValueError(`${op}: only one of clipNorm, clipValue and globalClipNorm can be set (got clipNorm=${this.clipNorm}, clipValue=${this.clipValue}, globalClipNorm=${this.globalClipNorm})`);
    }
  }

  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /** Slot name → initial fill value, for every slot this optimizer keeps per variable. */
  protected abstract slotInitialValues(): Record<string, number>;

  /**
   * The update rule: new value and new slots for variable value `w` with gradient `g` (same
   * shape and dtype). Runs under noGrad inside a tidy, so it just computes with ops.
   */
  protected abstract update(w: Tensor, g: Tensor, slots: Slots, ctx: UpdateContext): { value: Tensor; slots: Record<string, Tensor> };

  /** Names of the per-variable slots (e.g. ['m', 'v'] for Adam). */
  get slotNames(): string[] {
    return Object.keys(this.slotInitialValues());
  }

  /** The learning rate of the next update (a schedule is evaluated at `iterations`). */
  get learningRate(): number {
    return this.lr instanceof LearningRateSchedule ? this.lr.call(this.iterations) : this.lr;
  }

  /** Set a constant learning rate (callbacks such as reduceLROnPlateau do this). */
  set learningRate(value: number) {
    if (this.lr instanceof LearningRateSchedule) {
      throw new ValueError(`${this.className} '${this.name}': the learning rate follows a ${this.lr.className} schedule and cannot be set to ${value}`);
    }
    this.lr = checkNumber(this.className, 'learningRate', value, { min: 0 });
  }

  /** The schedule, when the learning rate is one. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.lr instanceof LearningRateSchedule ? this.lr : null;
  }

  /** Create slots for `variables` that have none yet (Keras's optimizer.build). */
  build(variables: readonly OptimizerVariable[]): void {
    for (const v of variables) this.stateOf(v);
  }

  private stateOf(v: OptimizerVariable): VariableState {
    let state = this.states.get(v.id);
    if (state === undefined) {
      const { shape, dtype } = v.value;
      if (!isFloat(dtype)) throw new DTypeError(`${this.className} '${this.name}': variable '${v.name}' has dtype ${dtype}; only float variables can be optimized`);
      const slots = new Map<string, Tensor>();
      noGrad(() => {
        for (const [name, init] of Object.entries(this.slotInitialValues())) slots.set(name, keep(full(shape, init, dtype)));
      });
      state = { variable: v, slots };
      this.states.set(v.id, state);
    }
    return state;
  }

  /** A slot's current value (not a copy: read it, do not dispose it), or null. */
  getSlot(variable: OptimizerVariable, slotName: string): Tensor | null {
    return this.states.get(variable.id)?.slots.get(slotName) ?? null;
  }

  /**
   * Update every variable in place from its gradient (pairs with a null gradient are skipped)
   * and count one iteration.
   */
  applyGradients(pairs: readonly GradientPair[]): void {
    const op = `${this.className} '${this.name}'.applyGradients`;
    const active = pairs.filter((p): p is { variable: OptimizerVariable; grad: Tensor } => p.grad !== null && p.grad !== undefined);
    const seen = new Set<number>();
    for (const { variable, grad } of active) {
      if (!(grad instanceof Tensor)) throw new ValueError(`${op}: the gradient of '${variable.name}' is not a Tensor`);
      if (seen.has(variable.id)) throw new ValueError(`${op}: variable '${variable.name}' appears twice`);
      seen.add(variable.id);
      const shape = variable.value.shape;
      if (grad.shape.length !== shape.length || grad.shape.some((d, i) => d !== shape[i])) {
        throw new ShapeError(`${op}: gradient ${fmtShape(grad.shape)} does not match variable '${variable.name}' ${fmtShape(shape)}`);
      }
      if (!isFloat(grad.dtype)) throw new DTypeError(`${op}: the gradient of '${variable.name}' has dtype ${grad.dtype}; expected a float`);
    }
    const states = active.map((p) => this.stateOf(p.variable));
    const lr = this.learningRate;
    const ctx: UpdateContext = { lr, step: this.iterations + 1 };
    tidy(() =>
      noGrad(() => {
        const grads = this.clipGradients(active.map((p) => (p.grad.dtype === p.variable.value.dtype ? p.grad : cast(p.grad, p.variable.value.dtype))));
        active.forEach(({ variable }, i) => {
          const state = states[i];
          let w = variable.value;
          // Decoupled weight decay (Loshchilov & Hutter; Keras 3 applies it before the step).
          if (this.weightDecay !== null && this.weightDecay > 0 && !this.excludeFromWeightDecay.some((e) => variable.name.includes(e))) {
            w = sub(w, mul(w, lr * this.weightDecay));
          }
          const { value, slots } = this.update(w, grads[i], Object.fromEntries(state.slots), ctx);
          for (const [name, t] of Object.entries(slots)) {
            const old = state.slots.get(name);
            if (old === t) continue;
            state.slots.set(name, keep(t));
            old?.dispose();
          }
          variable.assign(value);
        });
        this.iterations++;
        for (const { variable } of active) {
          if (variable.constraint) variable.assign(variable.constraint.apply(variable.value));
        }
      }),
    );
  }

  private clipGradients(grads: Tensor[]): Tensor[] {
    if (this.clipValue !== null) {
      const c = this.clipValue;
      return grads.map((g) => clip(g, -c, c));
    }
    if (this.clipNorm !== null) {
      // g · c / max(‖g‖, c): unchanged when ‖g‖ ≤ c, rescaled to norm c otherwise.
      const c = this.clipNorm;
      return grads.map((g) => div(mul(g, c), maximum(sqrt(sum(square(g))), c)));
    }
    if (this.globalClipNorm !== null && grads.length > 0) {
      // One factor c / max(‖(g1, …, gn)‖, c) for all gradients, computed in float64.
      const c = this.globalClipNorm;
      const total = grads.map((g) => cast(sum(square(g)), 'float64')).reduce((a, b) => add(a, b));
      const scale = div(scalar(c, 'float64'), maximum(sqrt(total), c));
      return grads.map((g) => mul(g, cast(scale, g.dtype)));
    }
    return grads;
  }

  /** JSON config from which fromConfig()/optimizers.get() rebuild an equal optimizer (no state). */
  getConfig(): JsonObject {
    return {
      name: this.name,
      learningRate: this.lr instanceof LearningRateSchedule ? { ...this.lr.serialize() } : this.lr,
      weightDecay: this.weightDecay,
      clipNorm: this.clipNorm,
      clipValue: this.clipValue,
      globalClipNorm: this.globalClipNorm,
      ...(this.excludeFromWeightDecay.length > 0 ? { excludeFromWeightDecay: [...this.excludeFromWeightDecay] } : {}),
      ...Object.fromEntries(Object.keys((this.constructor as typeof Optimizer).hyperParameters).map((key) => [key, (this as unknown as JsonObject)[key]])),
    };
  }

  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }

  /**
   * The optimizer state as named tensors (copies): 'iterations' (int32 scalar) and
   * '<variable name>/<slot>' for every slot of `variables` (default: every variable seen so far;
   * slots are created for variables not yet seen, so a checkpoint is complete from step 0).
   */
  getState(variables?: readonly OptimizerVariable[]): Record<string, Tensor> {
    const list = variables ?? [...this.states.values()].map((s) => s.variable);
    const out: Record<string, Tensor> = { iterations: scalar(this.iterations, 'int32') };
    for (const v of list) {
      for (const [slot, t] of this.stateOf(v).slots) {
        const key = `${v.name}/${slot}`;
        if (key in out) throw new ValueError(`${this.className} '${this.name}'.getState: two variables are named '${v.name}'; state names must be unique`);
        out[key] = t.clone();
      }
    }
    return out;
  }

  /**
   * Restore state saved by getState() for `variables` (default: those seen so far), matched by
   * name. Everything is validated before anything changes; malformed state throws FormatError.
   */
  setState(state: Readonly<Record<string, Tensor>>, variables?: readonly OptimizerVariable[]): void {
    const op = `${this.className} '${this.name}'.setState`;
    const list = variables ?? [...this.states.values()].map((s) => s.variable);
    const it = state.iterations;
    if (!(it instanceof Tensor) || it.size !== 1) throw new FormatError(`${op}: missing or malformed 'iterations' (expected a scalar)`);
    const iterations = it.dataSync()[0];
    if (!Number.isSafeInteger(iterations) || iterations < 0) throw new FormatError(`${op}: 'iterations' must be a non-negative integer, got ${iterations}`);
    const expected = new Set(['iterations']);
    const plan: { v: OptimizerVariable; slot: string; t: Tensor }[] = [];
    for (const v of list) {
      for (const slot of this.slotNames) {
        const key = `${v.name}/${slot}`;
        if (expected.has(key)) throw new FormatError(`${op}: two variables are named '${v.name}'`);
        expected.add(key);
        const t = state[key];
        if (!(t instanceof Tensor)) throw new FormatError(`${op}: missing slot '${key}'`);
        const shape = v.value.shape;
        if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
          throw new FormatError(`${op}: slot '${key}' has shape ${fmtShape(t.shape)} but variable '${v.name}' has shape ${fmtShape(shape)}`);
        }
        if (!isFloat(t.dtype)) throw new FormatError(`${op}: slot '${key}' has dtype ${t.dtype}; expected a float`);
        plan.push({ v, slot, t });
      }
    }
    const extra = Object.keys(state).filter((k) => !expected.has(k));
    if (extra.length > 0) throw new FormatError(`${op}: unexpected entries ${extra.slice(0, 5).map((k) => `'${k}'`).join(', ')}${extra.length > 5 ? ', …' : ''} (no such variable or slot)`);
    for (const { v, slot, t } of plan) {
      const s = this.stateOf(v);
      const value = keep(noGrad(() => (t.dtype === v.value.dtype ? t.clone() : cast(t, v.value.dtype))));
      s.slots.get(slot)?.dispose();
      s.slots.set(slot, value);
    }
    this.iterations = iterations;
  }

  /** Forget all slot state and the iteration count. */
  reset(): void {
    for (const s of this.states.values()) for (const t of s.slots.values()) t.dispose();
    this.states.clear();
    this.iterations = 0;
  }
}

/** An optimizer class whose hyper-parameters `H` are typed options and fields (what {@link optimizerWith} returns). */
export type OptimizerWith<H extends HyperParameters> = Omit<typeof Optimizer, 'prototype'> &
  (abstract new (options?: OptimizerOptions & HyperOptions<H>) => Optimizer & { readonly [K in keyof H]: H[K]['default'] });

/**
 * The base class of an optimizer with its own `hyperParameters` (Keras 3 defaults) and default
 * learning rate: `class Adadelta extends optimizerWith({ rho: hyper.unit(0.95), … }, 0.001)` takes
 * `{ rho?: number, … }` besides the shared options and has `rho` as a field.
 */
export function optimizerWith<H extends HyperParameters>(hyperParameters: H, defaultLearningRate: number): OptimizerWith<H> {
  abstract class WithHyperParameters extends Optimizer {
    static override readonly hyperParameters: HyperParameters = hyperParameters;
    constructor(options?: OptimizerOptions) {
      super(options, defaultLearningRate);
    }
  }
  return WithHyperParameters as unknown as OptimizerWith<H>;
}

/** Turn a config's learningRate (a number or a serialised schedule) into an option value. */
export function learningRateFromConfig(v: unknown): number | LearningRateSchedule | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  return deserializeSchedule(v);
}
