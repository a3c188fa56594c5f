// RMSprop (Hinton's lecture 6e), Keras 3 form:
//   v ← ρ·v + (1 − ρ)·g²
//   centered: ḡ ← ρ·ḡ + (1 − ρ)·g,  d = v − ḡ² + ε;   otherwise d = v + ε
//   Δ = lr · g / √d
//   momentum μ > 0: m ← μ·m + Δ, w ← w − m;   otherwise w ← w − Δ
import { is } from '../base/index.js';
import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { checkNumber, Optimizer, optimizerOptions, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';
import type { JsonObject } from './types.js';

/** Options of {@link RMSprop}: the common ones plus `rho`, `momentum`, `epsilon` and `centered`. */
export interface RmspropOptions extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/**
 * RMSprop (Hinton): divides the gradient by a running RMS of recent gradients (centred: by their running standard
 * deviation).
 */
export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  /** Keras 3 defaults: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false. */
  constructor(options: RmspropOptions = {}) {
    super(optimizerOptions('rmsprop', options, { rho: is.range(0, 1), momentum: is.range(0, 1), epsilon: is.nonNegative, centered: is.bool }), 0.001);
    this.rho = checkNumber('RMSprop', 'rho', options.rho ?? 0.9, { min: 0, max: 1 });
    this.momentum = checkNumber('RMSprop', 'momentum', options.momentum ?? 0, { min: 0, max: 1 });
    this.epsilon = checkNumber('RMSprop', 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
    this.centered = options.centered ?? false;
  }

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

  protected ownConfig(): JsonObject {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
