// Adam (Kingma & Ba 2015) and AdamW, Keras 3 form, with t = iterations + 1:
//   m ← m + (g − m)(1 − β1)          (= β1·m + (1 − β1)·g)
//   v ← v + (g² − v)(1 − β2)
//   α = lr · √(1 − β2^t) / (1 − β1^t)  (bias correction folded into the step size)
//   amsgrad: v̂ ← max(v̂, v), use v̂ for v
//   w ← w − α·m / (√v + ε)
// AdamW is the same update with decoupled weight decay (w ← w − lr·λ·w first), default λ = 0.004.
import { add, div, maximum, mul, sqrt, square, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { hyper, type HyperOptions, optimizerWith, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';

/** Adam's own options and their Keras 3 defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, amsgrad false. */
const HYPER_PARAMETERS = { beta1: hyper.unit(0.9), beta2: hyper.unit(0.999), epsilon: hyper.nonNegative(1e-7), amsgrad: hyper.flag(false) };

/**
 * Options of {@link Adam} and {@link AdamW}: the common ones plus `beta1` (0.9), `beta2` (0.999), `epsilon` and
 * `amsgrad`.
 */
export type AdamOptions = OptimizerOptions & HyperOptions<typeof HYPER_PARAMETERS>;

/**
 * Adam (Kingma & Ba 2015): running means of the gradient and of its square, bias-corrected (default learning rate
 * 0.001).
 */
export class Adam extends optimizerWith(HYPER_PARAMETERS, 0.001) {
  static override readonly className: string = 'Adam';

  protected slotInitialValues(): Record<string, number> {
    return this.amsgrad ? { m: 0, v: 0, vHat: 0 } : { m: 0, v: 0 };
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr, step }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    const m = add(slots.m, mul(sub(g, slots.m), 1 - this.beta1));
    const v = add(slots.v, mul(sub(square(g), slots.v), 1 - this.beta2));
    const next: Record<string, Tensor> = { m, v };
    let vUsed = v;
    if (this.amsgrad) {
      vUsed = maximum(slots.vHat, v);
      next.vHat = vUsed;
    }
    return { value: sub(w, div(mul(m, alpha), add(sqrt(vUsed), this.epsilon))), slots: next };
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter 2019; default weightDecay 0.004). */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';

  /** Keras 3 defaults: Adam's, plus weightDecay 0.004 (decoupled). */
  static override readonly defaultWeightDecay = 0.004;
}
