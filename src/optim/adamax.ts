// Adamax (Kingma & Ba 2015, §7.1): Adam with the infinity norm in place of the L2 norm.
//   m ← m + (g − m)(1 − β1)
//   u ← max(β2·u, |g|)
//   w ← w − lr·m / ((1 − β1^t)(u + ε))      t = iterations + 1
import { abs, add, div, maximum, mul, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { hyper, type HyperOptions, optimizerWith, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';

/** Adamax's own options and their Keras 3 defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
const HYPER_PARAMETERS = { beta1: hyper.unit(0.9), beta2: hyper.unit(0.999), epsilon: hyper.nonNegative(1e-7) };

/** Options of {@link Adamax}: the common ones plus `beta1`, `beta2` and `epsilon`. */
export type AdamaxOptions = OptimizerOptions & HyperOptions<typeof HYPER_PARAMETERS>;

/** Adamax (Kingma & Ba 2015, §7.1): Adam with the infinity norm in place of the L2 norm. */
export class Adamax extends optimizerWith(HYPER_PARAMETERS, 0.001) {
  static override readonly className = 'Adamax';

  protected slotInitialValues(): Record<string, number> {
    return { m: 0, u: 0 };
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr, step }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    const m = add(slots.m, mul(sub(g, slots.m), 1 - this.beta1));
    const u = maximum(mul(slots.u, this.beta2), abs(g));
    const value = sub(w, div(mul(m, lr), mul(add(u, this.epsilon), 1 - this.beta1 ** step)));
    return { value, slots: { m, u } };
  }
}
