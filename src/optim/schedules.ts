/**
 * Learning-rate schedules: `hb.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000,
 * decayRate: 0.96 })`, `inverseTimeDecay`, `piecewiseConstantDecay`, `stepDecay`, `cosineDecay`. Pass one as
 * an optimizer's `learningRate`.
 * @module
 */
// Learning-rate schedules: step → learning rate, evaluated in JavaScript (float64) at every
// optimizer update with step = the optimizer's `iterations` before the update (0 for the first
// update), as Keras 3 does. Each schedule is serialisable as { className, config }.
import { checkOptions, FormatError, is, ValueError } from '../base/index.js';
import type { JsonObject, SerializedObject } from './types.js';

/** A learning rate as a function of the update step; pass one as an optimizer's `learningRate`. */
export abstract class LearningRateSchedule {
  static readonly className: string = 'LearningRateSchedule';

  get className(): string {
    return (this.constructor as typeof LearningRateSchedule).className;
  }

  /** The learning rate at `step` (0-based count of updates done so far). */
  abstract call(step: number): number;

  abstract getConfig(): JsonObject;

  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}

function finite(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

function positive(op: string, name: string, v: unknown): number {
  const x = finite(op, name, v);
  if (x <= 0) throw new ValueError(`${op}: ${name} must be > 0, got ${x}`);
  return x;
}

function nonNegative(op: string, name: string, v: unknown): number {
  const x = finite(op, name, v);
  if (x < 0) throw new ValueError(`${op}: ${name} must be >= 0, got ${x}`);
  return x;
}

/** Options of {@link ExponentialDecay} and {@link InverseTimeDecay}. */
export interface TimeDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals (floor(step / decaySteps)) rather than continuously. */
  staircase?: boolean;
}

/** Options of {@link ExponentialDecay}. */
export type ExponentialDecayOptions = TimeDecayOptions;
/** Options of {@link InverseTimeDecay}. */
export type InverseTimeDecayOptions = TimeDecayOptions;

/**
 * The options and config shared by {@link ExponentialDecay} and {@link InverseTimeDecay}: an
 * initial rate decayed by `decayRate` per `decaySteps`, continuously or in whole intervals.
 */
export abstract class TimeDecay extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  /** `nonNegativeRate`: whether decayRate must be ≥ 0 (InverseTimeDecay divides by 1 + decayRate · p). */
  constructor(options: TimeDecayOptions, nonNegativeRate: boolean) {
    super();
    const op = this.className[0].toLowerCase() + this.className.slice(1);
        const o = checkOptions(op, options ?? ({} as TimeDecayOptions), { initialLearningRate: is.finite, decaySteps: is.positive, decayRate: nonNegativeRate ? is.nonNegative : is.finite, staircase: is.bool });
    this.initialLearningRate = finite(op, 'initialLearningRate', o.initialLearningRate);
    this.decaySteps = positive(op, 'decaySteps', o.decaySteps);
    this.decayRate = nonNegativeRate ? nonNegative(op, 'decayRate', o.decayRate) : finite(op, 'decayRate', o.decayRate);
    this.staircase = o.staircase ?? false;
  }

  /** step / decaySteps, floored when staircase. */
  protected progress(step: number): number {
    const p = step / this.decaySteps;
    return this.staircase ? Math.floor(p) : p;
  }

  getConfig(): JsonObject {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

/** lr(step) = initial · decayRate^(step / decaySteps)   (exponent floored when staircase). */
export class ExponentialDecay extends TimeDecay {
  static override readonly className = 'ExponentialDecay';

  constructor(options: ExponentialDecayOptions) {
    super(options, false);
  }

  call(step: number): number {
    return this.initialLearningRate * this.decayRate ** this.progress(step);
  }
}

/** lr(step) = initial / (1 + decayRate · step / decaySteps)   (ratio floored when staircase). */
export class InverseTimeDecay extends TimeDecay {
  static override readonly className = 'InverseTimeDecay';

  constructor(options: InverseTimeDecayOptions) {
    super(options, true);
  }

  call(step: number): number {
    return this.initialLearningRate / (1 + this.decayRate * this.progress(step));
  }
}

/** Options of {@link PiecewiseConstantDecay}: the step `boundaries` and the `values` between them (one more). */
export interface PiecewiseConstantDecayOptions {
  /** Increasing step boundaries b0 < b1 < … */
  boundaries: number[];
  /** One more value than boundaries: values[i] applies while b(i-1) < step <= b(i). */
  values: number[];
}

/** values[0] for step <= b0, values[1] for b0 < step <= b1, …, values[n] for step > b(n-1) (Keras). */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const o = checkOptions('piecewiseConstantDecay', options ?? ({} as PiecewiseConstantDecayOptions), { boundaries: is.array, values: is.array });
    const op = 'piecewiseConstantDecay';
    if (!Array.isArray(o.boundaries) || !Array.isArray(o.values)) throw new ValueError(`${op}: boundaries and values must be arrays`);
    if (o.values.length !== o.boundaries.length + 1) {
      throw new ValueError(`${op}: values must have one more entry than boundaries, got ${o.values.length} values for ${o.boundaries.length} boundaries`);
    }
    this.boundaries = o.boundaries.map((b, i) => finite(op, `boundaries[${i}]`, b));
    this.values = o.values.map((v, i) => finite(op, `values[${i}]`, v));
    for (let i = 1; i < this.boundaries.length; i++) {
      if (this.boundaries[i] <= this.boundaries[i - 1]) throw new ValueError(`${op}: boundaries must increase, got ${JSON.stringify(this.boundaries)}`);
    }
  }

  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i];
  }

  getConfig(): JsonObject {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

/** Options of {@link StepDecay}. */
export interface StepDecayOptions {
  initialLearningRate: number;
  /** Number of steps between drops. */
  stepSize: number;
  /** Multiplier at each drop (default 0.1). */
  gamma?: number;
}

/** Piecewise constant by step: lr(step) = initial · gamma^floor(step / stepSize) (PyTorch's StepLR). */
export class StepDecay extends LearningRateSchedule {
  static override readonly className = 'StepDecay';
  readonly initialLearningRate: number;
  readonly stepSize: number;
  readonly gamma: number;

  constructor(options: StepDecayOptions) {
    super();
    const o = checkOptions('stepDecay', options ?? ({} as StepDecayOptions), { initialLearningRate: is.finite, stepSize: is.positive, gamma: is.finite });
    this.initialLearningRate = finite('stepDecay', 'initialLearningRate', o.initialLearningRate);
    this.stepSize = positive('stepDecay', 'stepSize', o.stepSize);
    this.gamma = finite('stepDecay', 'gamma', o.gamma ?? 0.1);
  }

  call(step: number): number {
    return this.initialLearningRate * this.gamma ** Math.floor(step / this.stepSize);
  }

  getConfig(): JsonObject {
    return { initialLearningRate: this.initialLearningRate, stepSize: this.stepSize, gamma: this.gamma };
  }
}

/** Options of {@link CosineDecay}: decay steps, final fraction `alpha`, and an optional linear warm-up. */
export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps of the cosine part (after warm-up). */
  decaySteps: number;
  /** Floor of the decay as a fraction of the starting rate (default 0). */
  alpha?: number;
  /** Linear warm-up from initialLearningRate to warmupTarget over warmupSteps (Keras 3). */
  warmupTarget?: number | null;
  warmupSteps?: number;
}

/**
 * Cosine decay with optional linear warm-up (Keras 3 semantics):
 *   warm-up (step < W):  lr = initial + (target − initial) · step / W
 *   then, s = min(step − W, decaySteps):  lr = from · ((1 − α) · ½(1 + cos(π s / decaySteps)) + α)
 * where `from` is warmupTarget when set, else initialLearningRate (and W = 0).
 */
export class CosineDecay extends LearningRateSchedule {
  static override readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    super();
    const o = checkOptions('cosineDecay', options ?? ({} as CosineDecayOptions), { initialLearningRate: is.finite, decaySteps: is.positive, alpha: is.finite, warmupTarget: is.nullable(is.finite), warmupSteps: is.nonNegative });
    const op = 'cosineDecay';
    this.initialLearningRate = finite(op, 'initialLearningRate', o.initialLearningRate);
    this.decaySteps = positive(op, 'decaySteps', o.decaySteps);
    this.alpha = finite(op, 'alpha', o.alpha ?? 0);
    this.warmupTarget = o.warmupTarget === undefined || o.warmupTarget === null ? null : finite(op, 'warmupTarget', o.warmupTarget);
    this.warmupSteps = nonNegative(op, 'warmupSteps', o.warmupSteps ?? 0);
  }

  private decay(step: number, from: number): number {
    const s = Math.min(step, this.decaySteps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * s) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  call(step: number): number {
    if (this.warmupTarget === null) return this.decay(step, this.initialLearningRate);
    if (step < this.warmupSteps) {
      return this.initialLearningRate + ((this.warmupTarget - this.initialLearningRate) * step) / this.warmupSteps;
    }
    return this.decay(step - this.warmupSteps, this.warmupTarget);
  }

  getConfig(): JsonObject {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha,
      warmupTarget: this.warmupTarget, warmupSteps: this.warmupSteps,
    };
  }
}

type ScheduleClass = { new (o: never): LearningRateSchedule; readonly className: string };

const scheduleClasses = new Map<string, ScheduleClass>(
  [ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, StepDecay, CosineDecay].map((c) => [c.className, c as ScheduleClass]),
);

/** Make a schedule from `{ className, config }`; anything malformed throws FormatError. */
export function deserializeSchedule(spec: unknown): LearningRateSchedule {
  if (typeof spec !== 'object' || spec === null || typeof (spec as SerializedObject).className !== 'string') {
    throw new FormatError(`deserializeSchedule: expected { className, config }, got ${JSON.stringify(spec)?.slice(0, 200)}`);
  }
  const { className, config } = spec as SerializedObject;
  const cls = scheduleClasses.get(className);
  if (!cls) throw new FormatError(`deserializeSchedule: unknown schedule '${className}'; known: ${[...scheduleClasses.keys()].join(', ')}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new FormatError(`deserializeSchedule: config of '${className}' must be an object`);
  try {
    return new cls(config as never);
  } catch (e) {
    throw new FormatError(`deserializeSchedule: invalid config for '${className}': ${(e as Error).message}`);
  }
}

/** lr(step) = initial · decayRate^(step / decaySteps). */
export const exponentialDecay = (o: ExponentialDecayOptions): ExponentialDecay => new ExponentialDecay(o);
/** lr(step) = initial / (1 + decayRate · step / decaySteps). */
export const inverseTimeDecay = (o: InverseTimeDecayOptions): InverseTimeDecay => new InverseTimeDecay(o);
/** A constant learning rate per interval of steps. */
export const piecewiseConstantDecay = (o: PiecewiseConstantDecayOptions): PiecewiseConstantDecay => new PiecewiseConstantDecay(o);
/** lr(step) = initial · gamma^floor(step / stepSize) (PyTorch's StepLR). */
export const stepDecay = (o: StepDecayOptions): StepDecay => new StepDecay(o);
/**
 * Cosine decay from the initial rate to alpha · initial over decaySteps (Loshchilov & Hutter 2017), after an optional
 * warm-up.
 */
export const cosineDecay = (o: CosineDecayOptions): CosineDecay => new CosineDecay(o);
