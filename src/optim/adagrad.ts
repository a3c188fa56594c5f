// Adagrad (Duchi et al. 2011), Keras 3 form: every weight gets its own step size, shrinking with
// the sum of its squared gradients.
//   a ← a + g²                       (a starts at initialAccumulatorValue, Keras 3 default 0.1)
//   w ← w − lr · g / √(a + ε)
import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { hyper, type HyperOptions, optimizerWith, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';

/** Adagrad's own options and their Keras 3 defaults: learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7. */
const HYPER_PARAMETERS = { initialAccumulatorValue: hyper.nonNegative(0.1), epsilon: hyper.nonNegative(1e-7) };

/** Options of {@link Adagrad}: the common ones plus `initialAccumulatorValue` (default 0.1) and `epsilon`. */
export type AdagradOptions = OptimizerOptions & HyperOptions<typeof HYPER_PARAMETERS>;

/** Adagrad (Duchi et al. 2011): each weight's step shrinks with the sum of its squared gradients. */
export class Adagrad extends optimizerWith(HYPER_PARAMETERS, 0.001) {
  static override readonly className = 'Adagrad';

  protected slotInitialValues(): Record<string, number> {
    return { accumulator: this.initialAccumulatorValue };
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    const a = add(slots.accumulator, square(g));
    return { value: sub(w, div(mul(g, lr), sqrt(add(a, this.epsilon)))), slots: { accumulator: a } };
  }
}
