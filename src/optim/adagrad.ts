// Adagrad (Duchi et al. 2011), Keras 3 form: every weight gets its own step size, shrinking with
// the sum of its squared gradients.
//   a ← a + g²                       (a starts at initialAccumulatorValue, Keras 3 default 0.1)
//   w ← w − lr · g / √(a + ε)
import { is } from '../base/index.js';
import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { checkNumber, Optimizer, optimizerOptions, type OptimizerOptions, type Slots, type UpdateContext } from './optimizer.js';
import type { JsonObject } from './types.js';

/** Options of {@link Adagrad}: the common ones plus `initialAccumulatorValue` (default 0.1) and `epsilon`. */
export interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad (Duchi et al. 2011): each weight's step shrinks with the sum of its squared gradients. */
export class Adagrad extends Optimizer {
  static override readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  /** Keras 3 defaults: learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7. */
  constructor(options: AdagradOptions = {}) {
    super(optimizerOptions('adagrad', options, { initialAccumulatorValue: is.nonNegative, epsilon: is.nonNegative }), 0.001);
    this.initialAccumulatorValue = checkNumber('Adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1, { min: 0 });
    this.epsilon = checkNumber('Adagrad', 'epsilon', options.epsilon ?? 1e-7, { min: 0 });
  }

  protected slotInitialValues(): Record<string, number> {
    return { accumulator: this.initialAccumulatorValue };
  }

  protected update(w: Tensor, g: Tensor, slots: Slots, { lr }: UpdateContext): { value: Tensor; slots: Record<string, Tensor> } {
    const a = add(slots.accumulator, square(g));
    return { value: sub(w, div(mul(g, lr), sqrt(add(a, this.epsilon)))), slots: { accumulator: a } };
  }

  protected ownConfig(): JsonObject {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
