// Stochastic gradient descent with optional (Nesterov) momentum, as Keras 3 writes it:
//   m ← μ·m − lr·g
//   w ← w + m                      (classical momentum)
//   w ← w + μ·m − lr·g             (Nesterov: look ahead along the new velocity)
// With μ = 0 it is plain w ← w − lr·g and keeps no slot.
import { add, mul, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { hyper, type HyperOptions, optimizerWith, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';

/** SGD's own options and their Keras 3 defaults: learningRate 0.01, momentum 0, nesterov false. */
const HYPER_PARAMETERS = {
  /** μ in [0, 1] (default 0). */
  momentum: hyper.unit(0),
  nesterov: hyper.flag(false),
};

/** Options of {@link SGD}: the common ones plus `momentum` (default 0) and `nesterov`. */
export type SgdOptions = OptimizerOptions & HyperOptions<typeof HYPER_PARAMETERS>;

/** Stochastic gradient descent, with optional classical or Nesterov momentum (default learning rate 0.01). */
export class SGD extends optimizerWith(HYPER_PARAMETERS, 0.01) {
  static override readonly className = 'SGD';

  protected slotInitialValues(): Record<string, number> {
    return this.momentum > 0 ? { momentum: 0 } : {};
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    if (this.momentum === 0) return { value: sub(w, mul(g, lr)), slots: {} };
    const m = sub(mul(slots.momentum, this.momentum), mul(g, lr));
    const value = this.nesterov ? add(w, sub(mul(m, this.momentum), mul(g, lr))) : add(w, m);
    return { value, slots: { momentum: m } };
  }
}
