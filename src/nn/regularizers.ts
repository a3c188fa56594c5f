/**
 * Weight penalties added to the loss (`hb.regularizers.l2(0.01)`, `l1`, `l1l2`), for a layer's `kernelRegularizer`,
 * `biasRegularizer` or `activityRegularizer`.
 * @module
 */
// Weight penalties λΦ(θ) added to the loss (the regularised objective of the lectures):
// L1 = l1 · Σ|w|, L2 = l2 · Σw² (no ½, as Keras), L1L2 = both.
import { checkOptions, is, type OptionSpec } from '../base/index.js';
import { add, abs, mul, square, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { type Family, num, resolveOrNull, serialize } from './serialization.js';
import type { Config, Regularizer, Serialized } from './types.js';

/** Options of {@link L1L2}: the two coefficients (default 0 each). */
export interface L1L2Args {
  l1?: number;
  l2?: number;
}

/** The penalty l1·Σ|w| + l2·Σw² (no ½, as Keras). */
export class L1L2 implements Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: L1L2Args = {}) {
    const { l1 = 0, l2 = 0 } = checkOptions('L1L2', args, { l1: is.nonNegative, l2: is.nonNegative });
    this.l1 = num('L1L2', 'l1', l1, { min: 0 });
    this.l2 = num('L1L2', 'l2', l2, { min: 0 });
  }
  /** A scalar penalty for weight `x`. */
  apply(x: Tensor): Tensor {
    let penalty: Tensor | null = null;
    if (this.l1 > 0) penalty = mul(sum(abs(x)), this.l1);
    if (this.l2 > 0) {
      const p2 = mul(sum(square(x)), this.l2);
      penalty = penalty === null ? p2 : add(penalty, p2);
    }
    return penalty ?? mul(sum(x), 0);
  }
  getConfig(): Config {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** L1 or L2: an L1L2 that takes and saves only its own coefficient `key` (default 0.01; the other is 0). */
abstract class SingleCoefficient extends L1L2 {
  constructor(
    className: string,
    private readonly key: 'l1' | 'l2',
    args: { l1?: number; l2?: number },
  ) {
    const { [key]: value = 0.01 } = checkOptions(className, args, { [key]: is.nonNegative } as OptionSpec<{ l1?: number; l2?: number }>);
    super({ [key]: value });
  }
  override getConfig(): Config {
    return { [this.key]: this[this.key] };
  }
}

/** The penalty l1·Σ|w| (default l1 = 0.01), which drives weights to exactly zero. */
export class L1 extends SingleCoefficient {
  override readonly className = 'L1';
  constructor(args: { l1?: number } = {}) {
    super('L1', 'l1', args);
  }
}

/** The penalty l2·Σw² (default l2 = 0.01): weight decay. */
export class L2 extends SingleCoefficient {
  override readonly className = 'L2';
  constructor(args: { l2?: number } = {}) {
    super('L2', 'l2', args);
  }
}

const family: Family<Regularizer> = {
  kind: 'regularizer',
  classes: {
    L1: (c) => new L1(c as { l1?: number }),
    L2: (c) => new L2(c as { l2?: number }),
    L1L2: (c) => new L1L2(c as L1L2Args),
  },
  aliases: { L1l2: 'L1L2' },
};

/** The regularizers' names, as `kernelRegularizer: 'l2'` accepts them. */
export type RegularizerName = 'l1' | 'l2' | 'l1l2' | 'l1_l2';
/** What a layer accepts for a regularizer: a name, `{ className, config }`, or an instance. */
export type RegularizerIdentifier = RegularizerName | Serialized | Regularizer;

/** The regularizer for a name ('l2' means Keras's default 0.01), a saved config or an instance; null stays null. */
export function getRegularizer(id: RegularizerIdentifier | null | undefined, where = 'getRegularizer'): Regularizer | null {
  return resolveOrNull(family, id, where);
}

/** A regularizer as `{ className, config }`, as saved in model.json. */
export function serializeRegularizer(r: Regularizer): { className: string; config: Config } {
  return serialize(r);
}

// Factories: `hb.regularizers.l2(0.01)` or `hb.regularizers.l2({ l2: 0.01 })`.
/** L1 penalty l1·Σ|w|: `l1(0.01)` or `l1({ l1: 0.01 })`. */
export const l1 = (args: number | { l1?: number } = {}): L1 => new L1(typeof args === 'number' ? { l1: args } : args);
/** L2 penalty l2·Σw² (weight decay): `l2(0.01)` or `l2({ l2: 0.01 })`. */
export const l2 = (args: number | { l2?: number } = {}): L2 => new L2(typeof args === 'number' ? { l2: args } : args);
/** Both penalties: `l1l2({ l1: 0.01, l2: 0.01 })`. */
export const l1l2 = (args: L1L2Args = { l1: 0.01, l2: 0.01 }): L1L2 => new L1L2(args);
