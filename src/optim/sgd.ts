// Stochastic gradient descent with optional (Nesterov) momentum, as Keras 3 writes it:
//   m ← μ·m − lr·g
//   w ← w + m                      (classical momentum)
//   w ← w + μ·m − lr·g             (Nesterov: look ahead along the new velocity)
// With μ = 0 it is plain w ← w − lr·g and keeps no slot.
import { is } from '../base/index.js';
import { add, mul, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { checkNumber, Optimizer, optimizerOptions, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';
import type { JsonObject } from './types.js';

/** Options of {@link SGD}: the common ones plus `momentum` (default 0) and `nesterov`. */
export interface SgdOptions extends OptimizerOptions {
  /** μ in [0, 1] (default 0). */
  momentum?: number;
  nesterov?: boolean;
}

/** Stochastic gradient descent, with optional classical or Nesterov momentum (default learning rate 0.01). */
export class SGD extends Optimizer {
  static override readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  /** Keras 3 defaults: learningRate 0.01, momentum 0, nesterov false. */
  constructor(options: SgdOptions = {}) {
    super(optimizerOptions('sgd', options, { momentum: is.range(0, 1), nesterov: is.bool }), 0.01);
    this.momentum = checkNumber('SGD', 'momentum', options.momentum ?? 0, { min: 0, max: 1 });
    this.nesterov = options.nesterov ?? false;
  }

  protected slotInitialValues(): Record<string, number> {
    return this.momentum > 0 ? { momentum: 0 } : {};
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    if (this.momentum === 0) return { value: sub(w, mul(g, lr)), slots: {} };
    const m = sub(mul(slots.momentum, this.momentum), mul(g, lr));
    const value = this.nesterov ? add(w, sub(mul(m, this.momentum), mul(g, lr))) : add(w, m);
    return { value, slots: { momentum: m } };
  }

  protected ownConfig(): JsonObject {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
