/**
 * Weight constraints applied after every optimizer step (`hb.constraints.maxNorm({ maxValue: 3 })`, `unitNorm`,
 * `nonNeg`, `minMaxNorm`, `clipValue`).
 * @module
 */
// Projections applied to a weight after every optimizer update (Keras's constraints). Norms are
// taken over `axis` (default 0: for a dense kernel [in, out], the incoming weights of each unit;
// for a conv kernel [kh, kw, in, out] use axis [0, 1, 2]). clipValue keeps every weight in
// [min, max], which is what a Wasserstein GAN's critic needs.
import { checkOptions, is, ValueError } from '../base/index.js';
import { add, clip, div, greaterEqual, mul, sqrt, square, sum, where } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { type Family, num, resolveOrNull, serialize } from './serialization.js';
import type { Config, Constraint, Serialized } from './types.js';

/** Keras's epsilon, keeping w / ‖w‖ finite for a zero column. */
const EPSILON = 1e-7;

type Axis = number | number[];

/** An axis option: an integer or a list of them. */
const AXIS = is.anyOf(is.int, is.intArray);

function axisOf(where: string, axis: unknown): Axis {
  const ok = (a: unknown): a is number => typeof a === 'number' && Number.isInteger(a);
  if (ok(axis)) return axis;
  if (Array.isArray(axis) && axis.length > 0 && axis.every(ok)) return [...axis];
  throw new ValueError(`${where}: axis must be an integer or a non-empty list of integers, got ${JSON.stringify(axis)}`);
}

function norms(w: Tensor, axis: Axis): Tensor {
  return sqrt(sum(square(w), axis, true));
}

/**
 * Rescales each column (the weights into one unit, along `axis`) whose L2 norm exceeds `maxValue` (default 2) down to
 * it.
 */
export class MaxNorm implements Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;
  constructor(args: { maxValue?: number; axis?: Axis } = {}) {
    const { maxValue = 2, axis = 0 } = checkOptions('MaxNorm', args, { maxValue: is.finite, axis: AXIS });
    this.maxValue = num('MaxNorm', 'maxValue', maxValue, { min: 0 });
    this.axis = axisOf('MaxNorm', axis);
  }
  /** Columns whose norm exceeds maxValue are scaled down to it; the rest stay. */
  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = clip(n, 0, this.maxValue);
    return mul(w, div(desired, add(n, EPSILON)));
  }
  getConfig(): Config {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Rescales each column (along `axis`) to unit L2 norm. */
export class UnitNorm implements Constraint {
  readonly className = 'UnitNorm';
  readonly axis: Axis;
  constructor(args: { axis?: Axis } = {}) {
    const { axis = 0 } = checkOptions('UnitNorm', args, { axis: AXIS });
    this.axis = axisOf('UnitNorm', axis);
  }
  apply(w: Tensor): Tensor {
    return div(w, add(norms(w, this.axis), EPSILON));
  }
  getConfig(): Config {
    return { axis: this.axis };
  }
}

/** Sets negative weights to 0. */
export class NonNeg implements Constraint {
  readonly className = 'NonNeg';
  apply(w: Tensor): Tensor {
    return where(greaterEqual(w, 0), w, 0);
  }
  getConfig(): Config {
    return {};
  }
}

/** Options of {@link MinMaxNorm}: the norm range [minValue, maxValue], the `rate` of the projection and the `axis`. */
export interface MinMaxNormArgs {
  minValue?: number;
  maxValue?: number;
  /** 1 projects strictly; a smaller rate moves the norm only part of the way each step. */
  rate?: number;
  axis?: Axis;
}

/** Moves each column's L2 norm into [minValue, maxValue]. */
export class MinMaxNorm implements Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;
  constructor(args: MinMaxNormArgs = {}) {
    const { minValue = 0, maxValue = 1, rate = 1, axis = 0 } = checkOptions('MinMaxNorm', args, { minValue: is.finite, maxValue: is.finite, rate: is.finite, axis: AXIS });
    this.minValue = num('MinMaxNorm', 'minValue', minValue, { min: 0 });
    this.maxValue = num('MinMaxNorm', 'maxValue', maxValue, { min: this.minValue });
    this.rate = num('MinMaxNorm', 'rate', rate, { min: 0, max: 1 });
    this.axis = axisOf('MinMaxNorm', axis);
  }
  /** desired = rate · clip(‖w‖, min, max) + (1 − rate) · ‖w‖. */
  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = add(mul(clip(n, this.minValue, this.maxValue), this.rate), mul(n, 1 - this.rate));
    return mul(w, div(desired, add(n, EPSILON)));
  }
  getConfig(): Config {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Clips every weight into [minValue, maxValue] (WGAN's critic clipping). */
export class ClipValue implements Constraint {
  readonly className = 'ClipValue';
  readonly minValue: number;
  readonly maxValue: number;
  /** `{ clipValue: c }` clips to [−c, c]; or give minValue and maxValue. */
  constructor(args: { clipValue?: number; minValue?: number; maxValue?: number } = {}) {
    const { clipValue, minValue, maxValue } = checkOptions('ClipValue', args, { clipValue: is.finite, minValue: is.finite, maxValue: is.finite });
    if (clipValue !== undefined) {
      const c = num('ClipValue', 'clipValue', clipValue, { min: 0 });
      this.minValue = -c;
      this.maxValue = c;
    } else {
      this.minValue = num('ClipValue', 'minValue', minValue ?? -0.01);
      this.maxValue = num('ClipValue', 'maxValue', maxValue ?? 0.01, { min: this.minValue });
    }
  }
  apply(w: Tensor): Tensor {
    return clip(w, this.minValue, this.maxValue);
  }
  getConfig(): Config {
    return { minValue: this.minValue, maxValue: this.maxValue };
  }
}

const family: Family<Constraint> = {
  kind: 'constraint',
  classes: {
    MaxNorm: (c) => new MaxNorm(c as { maxValue?: number; axis?: Axis }),
    UnitNorm: (c) => new UnitNorm(c as { axis?: Axis }),
    NonNeg: () => new NonNeg(),
    MinMaxNorm: (c) => new MinMaxNorm(c as MinMaxNormArgs),
    ClipValue: (c) => new ClipValue(c as { minValue?: number; maxValue?: number }),
  },
};

/** The constraints' names, as `kernelConstraint: 'maxNorm'` accepts them. */
export type ConstraintName = 'maxNorm' | 'unitNorm' | 'nonNeg' | 'minMaxNorm' | 'clipValue' | 'max_norm' | 'unit_norm' | 'non_neg' | 'min_max_norm';
/** What a layer accepts for a constraint: a name, `{ className, config }`, or an instance. */
export type ConstraintIdentifier = ConstraintName | Serialized | Constraint;

/** The constraint for a name, a saved config or an instance; null stays null. */
export function getConstraint(id: ConstraintIdentifier | null | undefined, where = 'getConstraint'): Constraint | null {
  return resolveOrNull(family, id, where);
}

/** A constraint as `{ className, config }`, as saved in model.json. */
export function serializeConstraint(c: Constraint): { className: string; config: Config } {
  return serialize(c);
}

// Factories: `hb.constraints.maxNorm({ maxValue: 3 })`, `hb.constraints.clipValue(0.01)`.
/** Caps each column's L2 norm at `maxValue` (default 2). */
export const maxNorm = (args?: { maxValue?: number; axis?: Axis }): MaxNorm => new MaxNorm(args);
/** Rescales each column to unit L2 norm. */
export const unitNorm = (args?: { axis?: Axis }): UnitNorm => new UnitNorm(args);
/** Keeps weights non-negative. */
export const nonNeg = (): NonNeg => new NonNeg();
/** Keeps each column's L2 norm within [minValue, maxValue]. */
export const minMaxNorm = (args?: MinMaxNormArgs): MinMaxNorm => new MinMaxNorm(args);
/** Clips weights to [−c, c] (`clipValue(0.01)`) or to [minValue, maxValue]. */
export const clipValue = (args: number | { clipValue?: number; minValue?: number; maxValue?: number }): ClipValue =>
  new ClipValue(typeof args === 'number' ? { clipValue: args } : args);
