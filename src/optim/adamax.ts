// Adamax (Kingma & Ba 2015, §7.1): Adam with the infinity norm in place of the L2 norm.
//   m ← m + (g − m)(1 − β1)
//   u ← max(β2·u, |g|)
//   w ← w − lr·m / ((1 − β1^t)(u + ε))      t = iterations + 1
import { is } from '../base/index.js';
import { abs, add, div, maximum, mul, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { checkNumber, Optimizer, optimizerOptions, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';
import type { JsonObject } from './types.js';

/** Options of {@link Adamax}: the common ones plus `beta1`, `beta2` and `epsilon`. */
export interface AdamaxOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adamax (Kingma & Ba 2015, §7.1): Adam with the infinity norm in place of the L2 norm. */
export class Adamax extends Optimizer {
  static override readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  /** Keras 3 defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
  constructor(options: AdamaxOptions = {}) {
    super(optimizerOptions('adamax', options, { beta1: is.range(0, 1), beta2: is.range(0, 1), epsilon: is.nonNegative }), 0.001);
    this.beta1 = checkNumber('Adamax', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1 });
    this.beta2 = checkNumber('Adamax', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1 });
    this.epsilon = checkNumber('Adamax', 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
  }

  protected slotInitialValues(): Record<string, number> {
    return { m: 0, u: 0 };
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr, step }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    const m = add(slots.m, mul(sub(g, slots.m), 1 - this.beta1));
    const u = maximum(mul(slots.u, this.beta2), abs(g));
    const value = sub(w, div(mul(m, lr), mul(add(u, this.epsilon), 1 - this.beta1 ** step)));
    return { value, slots: { m, u } };
  }

  protected ownConfig(): JsonObject {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
