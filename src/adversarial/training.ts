// Adversarial training (Goodfellow, Shlens & Szegedy 2015): fit on every batch together with its
// adversarial version made from the current weights, so each step descends
//   ½ L(x, y) + ½ L(x̃, y),   x̃ = FGSM (or PGD) of x against the model as it is at that step.
//
// It plugs into model.fit as a callback:
//   model.fit(x, y, { epochs, callbacks: [hb.adversarial.adversarialTraining({ epsilon: 0.2 })] })
// At onTrainBegin the callback wraps the model's training step (the built-in one, or a custom
// trainStep the model already has): the wrapped step attacks the batch, then hands
// [x; x̃], [y; y] (and doubled sample weights) to the step it wrapped. onTrainEnd puts the
// original step back (and should a fit throw, the wrapper removes itself the next time it is
// called outside a fit it belongs to). Everything else of fit (shuffling, validation on clean data, progress,
// other callbacks, history, checkpoints) is unchanged. fit decides at its start whether the
// model's step is custom, before callbacks run, so the data checks of the built-in step stay.
//
// adversarialTraining(model, x, y, options) is the same as a loop: fit with this callback.
import { checkOptions, is, ValueError } from '../base/index.js';
import { Callback, type Logs, type Model, type StepBatch, type StepLogs } from '../model/index.js';
import type { LossFn, LossName } from '../nn/index.js';
import { concat } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { checkModel, checkXY, fgsm, pgd } from './attacks.js';

/**
 * Options of the {@link adversarialTraining} callback: the attack (FGSM or PGD), its radius ε, loss, input range and
 * seed.
 */
export interface AdversarialCallbackOptions {
  /** L∞ radius ε of the attack (input units). */
  epsilon: number;
  /** How the adversarial examples are made (default 'fgsm'; 'pgd' runs pgdSteps steps from a random start). */
  attack?: 'fgsm' | 'pgd';
  /** PGD iterations (default 7). */
  pgdSteps?: number;
  /** The loss the attack increases (default: the compiled loss). */
  loss?: LossName | LossFn;
  /** The valid input range; null for no clipping. Default [0, 1]. */
  clipMin?: number | null;
  clipMax?: number | null;
  /** PGD random-start seed (step k uses seed + k). */
  seed?: number;
}

/**
 * Options of the {@link adversarialTraining} loop: the callback's options plus fit's epochs, batch size, seed and
 * onEpochEnd.
 */
export interface AdversarialTrainingOptions extends AdversarialCallbackOptions {
  epochs?: number;
  batchSize?: number;
  /** Seed of fit's shuffling order (and of PGD's random starts). */
  seed?: number;
  /** Called after every epoch with its logs (loss, and the compiled metrics over clean + adversarial samples). */
  onEpochEnd?: (epoch: number, logs: Logs) => void;
}

const CALLBACK_SPEC = {
  epsilon: is.nonNegative,
  attack: is.oneOf('fgsm', 'pgd'),
  pgdSteps: is.posInt,
  loss: is.anyOf(is.string, is.fn),
  clipMin: is.nullable(is.finite),
  clipMax: is.nullable(is.finite),
  seed: is.int,
};
const LOOP_SPEC = { ...CALLBACK_SPEC, epochs: is.posInt, batchSize: is.posInt, onEpochEnd: is.fn };

/** Marks a step installed by AdversarialTraining, with the step it wrapped. */
const WRAPPED = Symbol('adversarialTraining.wrapped');
type TrainStep = ((batch: StepBatch) => StepLogs) & { [WRAPPED]?: { inner: TrainStep; own: boolean } };

/** The fit callback that mixes adversarial examples into every training batch; see the file comment. */
export class AdversarialTraining extends Callback {
  readonly options: Readonly<AdversarialCallbackOptions>;
  private installedOn: Model | null = null;
  private stepCount = 0;
  /** Set by onBatchBegin: a step of the fit this callback is part of is due. */
  private batchDue = false;

  constructor(options: AdversarialCallbackOptions) {
    super();
    const op = 'adversarial.adversarialTraining';
    const opts = checkOptions(op, options, CALLBACK_SPEC);
    if (opts.epsilon === undefined) throw new ValueError(`${op}: epsilon is required`);
    this.options = { ...opts };
  }

  /** The adversarial version of a batch's single input (what the wrapped step adds). */
  attack(model: Model, x: Tensor, y: Tensor): Tensor {
    const { epsilon, clipMin, clipMax, loss } = this.options;
    if (this.options.attack === 'pgd') {
      const seed = this.options.seed === undefined ? undefined : this.options.seed + this.stepCount;
      return pgd(model, x, y, { epsilon, clipMin, clipMax, loss, steps: this.options.pgdSteps ?? 7, seed });
    }
    return fgsm(model, x, y, { epsilon, clipMin, clipMax, loss });
  }

  onTrainBegin(): void {
    const model = this.requireModel();
    if (!model.compiled) throw new ValueError('adversarial.adversarialTraining: compile the model first (its loss is what the attack increases and training decreases)');
    // A wrapper left by a fit that threw (onTrainEnd never ran) is removed first.
    unwrap(model);
    const own = Object.prototype.hasOwnProperty.call(model, 'trainStep');
    const inner = model.trainStep as TrainStep;
    const step: TrainStep = (batch: StepBatch): StepLogs => {
      if (!this.batchDue) {
        // Called outside a fit this callback drives (a fit that threw left the wrapper behind,
        // and now trainOnBatch or another fit runs): take the wrapper out and train plainly.
        unwrap(model);
        return inner.call(model, batch);
      }
      this.batchDue = false;
      if (batch.x.length !== 1 || batch.y.length !== 1) {
        throw new ValueError(`adversarial.adversarialTraining: needs one input and one target per batch, got ${batch.x.length} input(s) and ${batch.y.length} target(s)`);
      }
      const [x] = batch.x;
      const [y] = batch.y;
      const adv = this.attack(model, x, y);
      this.stepCount++;
      const sw = batch.sampleWeight;
      return inner.call(model, { x: [concat([x, adv], 0)], y: [concat([y, y], 0)], sampleWeight: sw === null ? null : concat([sw, sw], 0), size: 2 * batch.size });
    };
    step[WRAPPED] = { inner, own };
    model.trainStep = step;
    this.installedOn = model;
  }

  onBatchBegin(): void {
    this.batchDue = true;
  }

  onTrainEnd(): void {
    if (this.installedOn) unwrap(this.installedOn);
    this.installedOn = null;
  }
}

/** Put back the step an AdversarialTraining wrapper replaced (no-op when there is none). */
function unwrap(model: Model): void {
  const step = model.trainStep as TrainStep;
  const info = step[WRAPPED];
  if (!info) return;
  if (info.own) model.trainStep = info.inner;
  else delete (model as { trainStep?: unknown }).trainStep;
}

/**
 * adversarialTraining(options): a fit callback that trains on clean + adversarial batches.
 * adversarialTraining(model, x, y, options): fit(x, y) with that callback (epochs, batchSize,
 * seed, onEpochEnd), returning fit's per-epoch history.
 */
export function adversarialTraining(options: AdversarialCallbackOptions): AdversarialTraining;
export function adversarialTraining(model: Model, x: Tensor, y: Tensor, options: AdversarialTrainingOptions): Promise<Record<string, number[]>>;
export function adversarialTraining(
  first: Model | AdversarialCallbackOptions,
  x?: Tensor,
  y?: Tensor,
  options?: AdversarialTrainingOptions,
): AdversarialTraining | Promise<Record<string, number[]>> {
  if (x === undefined && y === undefined && options === undefined) return new AdversarialTraining(first as AdversarialCallbackOptions);
  return trainLoop(first as Model, x, y, options);
}

async function trainLoop(model: Model, x: unknown, y: unknown, options: AdversarialTrainingOptions | undefined): Promise<Record<string, number[]>> {
  const op = 'adversarial.adversarialTraining';
  checkModel(op, model);
  checkXY(op, x, y);
  const opts = checkOptions(op, options ?? ({} as AdversarialTrainingOptions), LOOP_SPEC);
  if (!model.compiled) throw new ValueError(`${op}: compile the model first (its loss is what the attack increases and training decreases)`);
  const { epochs, batchSize, onEpochEnd, ...attack } = opts;
  const callback = new AdversarialTraining(attack as AdversarialCallbackOptions);
  const history = await model.fit(x as Tensor, y as Tensor, {
    epochs: epochs ?? 1,
    batchSize: batchSize ?? 32,
    seed: opts.seed,
    verbose: 0,
    callbacks: onEpochEnd ? [callback, { onEpochEnd: (e: number, logs?: Logs) => onEpochEnd(e, logs ?? {}) }] : [callback],
  });
  return history.history;
}
