// RMSprop (Hinton's lecture 6e), Keras 3 form:
//   v ← ρ·v + (1 − ρ)·g²
//   centered: ḡ ← ρ·ḡ + (1 − ρ)·g,  d = v − ḡ² + ε;   otherwise d = v + ε
//   Δ = lr · g / √d
//   momentum μ > 0: m ← μ·m + Δ, w ← w − m;   otherwise w ← w − Δ
import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { hyper, type HyperOptions, optimizerWith, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';

/** RMSprop's own options and their Keras 3 defaults: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false. */
const HYPER_PARAMETERS = { rho: hyper.unit(0.9), momentum: hyper.unit(0), epsilon: hyper.nonNegative(1e-7), centered: hyper.flag(false) };

/** Options of {@link RMSprop}: the common ones plus `rho`, `momentum`, `epsilon` and `centered`. */
export type RmspropOptions = OptimizerOptions & HyperOptions<typeof HYPER_PARAMETERS>;

/**
 * RMSprop (Hinton): divides the gradient by a running RMS of recent gradients (centred: by their running standard
 * deviation).
 */
export class RMSprop extends optimizerWith(HYPER_PARAMETERS, 0.001) {
  static override readonly className = 'RMSprop';

  protected slotInitialValues(): Record<string, number> {
    return { velocity: 0, ...(this.momentum > 0 ? { momentum: 0 } : {}), ...(this.centered ? { averageGradient: 0 } : {}) };
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    const rho = this.rho;
    const v = add(mul(slots.velocity, rho), mul(square(g), 1 - rho));
    const next: Record<string, Tensor> = { velocity: v };
    let denominator: Tensor;
    if (this.centered) {
      const avg = add(mul(slots.averageGradient, rho), mul(g, 1 - rho));
      next.averageGradient = avg;
      denominator = add(sub(v, square(avg)), this.epsilon);
    } else {
      denominator = add(v, this.epsilon);
    }
    const increment = div(mul(g, lr), sqrt(denominator));
    if (this.momentum > 0) {
      const m = add(mul(slots.momentum, this.momentum), increment);
      next.momentum = m;
      return { value: sub(w, m), slots: next };
    }
    return { value: sub(w, increment), slots: next };
  }
}
