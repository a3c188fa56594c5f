// Adadelta (Zeiler 2012), Keras 3 form: the step is the ratio of two running RMS values, so the
// units of Δw match those of w.
//   E[g²] ← ρ·E[g²] + (1 − ρ)·g²
//   Δ = −√(E[Δ²] + ε) / √(E[g²] + ε) · g
//   E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²
//   w ← w + lr·Δ
import { add, div, mul, neg, sqrt, square } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { hyper, type HyperOptions, optimizerWith, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';

/** Adadelta's own options and their Keras 3 defaults: learningRate 0.001, rho 0.95, epsilon 1e-7. */
const HYPER_PARAMETERS = { rho: hyper.unit(0.95), epsilon: hyper.nonNegative(1e-7) };

/** Options of {@link Adadelta}: the common ones plus `rho` and `epsilon`. */
export type AdadeltaOptions = OptimizerOptions & HyperOptions<typeof HYPER_PARAMETERS>;

/** Adadelta (Zeiler 2012): the step is the ratio of two running RMS values (of past steps and of gradients). */
export class Adadelta extends optimizerWith(HYPER_PARAMETERS, 0.001) {
  static override readonly className = 'Adadelta';

  protected slotInitialValues(): Record<string, number> {
    return { accumulatedGrad: 0, accumulatedDelta: 0 };
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    const rho = this.rho;
    const rms = (x: Tensor): Tensor => sqrt(add(x, this.epsilon));
    const accGrad = add(mul(slots.accumulatedGrad, rho), mul(square(g), 1 - rho));
    const delta = neg(div(mul(rms(slots.accumulatedDelta), g), rms(accGrad)));
    const accDelta = add(mul(slots.accumulatedDelta, rho), mul(square(delta), 1 - rho));
    return { value: add(w, mul(delta, lr)), slots: { accumulatedGrad: accGrad, accumulatedDelta: accDelta } };
  }
}
