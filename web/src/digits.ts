// Digits: draw a digit, see what a LeNet-5 thinks it is, with its probabilities and the feature
// maps of both convolution layers. The model (web/public/models/lenet5) was trained by the CLI.
import * as hb from '../../src/index.js';
import { prepareDigit } from './prepare.js';
import { el, paintHeatmap, pixelCanvas } from './util.js';

const MODEL_URL = 'models/lenet5';
let cached: Promise<{ model: hb.Model; extractor: hb.Model }> | null = null;

/** The CLI-trained LeNet-5, and a model with the same input whose outputs are C1's and C3's maps and the probabilities. */
function loadLenet(): Promise<{ model: hb.Model; extractor: hb.Model }> {
  cached ??= hb.browser.loadModelFromUrl(MODEL_URL, { compile: false }).then((model) => {
    const outputs = [model.getLayer('c1').output, model.getLayer('c3').output, model.outputs[0]] as hb.SymbolicTensor[];
    return { model, extractor: hb.model({ inputs: model.inputs, outputs, name: 'lenet5_maps' }) };
  });
  cached.catch(() => (cached = null));
  return cached;
}

export async function render(root: HTMLElement): Promise<() => void> {
  const canvas = el('canvas', { width: 280, height: 280, class: 'draw', 'data-testid': 'draw' });
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clearCanvas = (): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 280, 280);
  };
  clearCanvas();
  const prediction = el('div', { class: 'prediction', 'data-testid': 'prediction' }, '–');
  const confidence = el('div', { class: 'note', 'data-testid': 'confidence' });
  const bars = el('div', { class: 'bars', 'data-testid': 'probabilities' });
  const input = pixelCanvas(28, 28, 4, 'the 28×28 input the network sees');
  const c1Maps = el('div', { class: 'maps', 'data-testid': 'maps-c1' });
  const c3Maps = el('div', { class: 'maps', 'data-testid': 'maps-c3' });
  const message = el('p', { class: 'note' }, 'Loading the model…');

  const predict = async (): Promise<void> => {
    const pixels = prepareDigit(canvas);
    if (pixels === null) {
      prediction.textContent = '–';
      message.textContent = 'Draw a digit first.';
      return;
    }
    const { extractor } = await loadLenet();
    paintHeatmap(input, pixels, 28, 28, { lo: 0, hi: 1 });
    const [c1, c3, probs] = hb.tidy(() => (extractor.predict(hb.tensor(pixels, [1, 28, 28, 1])) as hb.Tensor[]).map((t) => hb.keep(t)));
    // Read back asynchronously (on webgpu the results are on the GPU); dataSync works afterwards.
    await Promise.all([c1.data(), c3.data(), probs.data()]);
    const p = Array.from(probs.dataSync());
    const best = p.indexOf(Math.max(...p));
    prediction.textContent = String(best);
    confidence.textContent = `${(100 * p[best]).toFixed(1)} % sure`;
    bars.replaceChildren(...p.flatMap((v, d) => [
      el('span', {}, String(d)),
      el('div', { class: 'bar', style: { width: `${Math.max(0.5, 100 * v)}%`, background: d === best ? '#2f6fde' : '#98a2b3' } }),
      el('span', {}, `${(100 * v).toFixed(1)}%`),
    ]));
    showMaps(c1Maps, c1, 3);
    showMaps(c3Maps, c3, 6);
    hb.dispose(c1, c3, probs);
    message.textContent = '';
  };

  let drawing = false;
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * 280, ((e.clientY - r.top) / r.height) * 280];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    last = at(e);
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing || !last) return;
    const p = at(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 20;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...p);
    ctx.stroke();
    last = p;
  });
  const end = (): void => {
    if (!drawing) return;
    drawing = false;
    last = null;
    void predict();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  const clear = (): void => {
    clearCanvas();
    prediction.textContent = '–';
    confidence.textContent = '';
    bars.replaceChildren();
    c1Maps.replaceChildren();
    c3Maps.replaceChildren();
    paintHeatmap(input, new Float32Array(784), 28, 28, { lo: 0, hi: 1 });
  };

  root.append(
    el('h1', {}, 'Digits'),
    el('p', { class: 'lead' }, 'Draw a digit with the mouse (or a finger). A LeNet-5 trained with the hebb CLI (hebb train mnist --model lenet5) classifies it; below are the feature maps of its two convolution layers for your drawing.'),
    el('div', { class: 'row' },
      el('div', { class: 'card' }, canvas, el('div', { class: 'controls' },
        el('button', { class: 'primary', 'data-testid': 'predict', onclick: () => void predict() }, 'Predict'),
        el('button', { 'data-testid': 'clear', onclick: clear }, 'Clear'))),
      el('div', { class: 'card' }, el('h2', {}, 'Prediction'), prediction, confidence, el('h2', {}, 'Input (28×28)'), input),
      el('div', { class: 'card' }, el('h2', {}, 'Probabilities'), bars)),
    message,
    el('div', { class: 'row' },
      el('div', { class: 'card' }, el('h2', {}, 'C1: 6 maps, 5×5 convolution + ReLU (28×28)'), c1Maps),
      el('div', { class: 'card' }, el('h2', {}, 'C3: 16 maps, 5×5 convolution + ReLU (10×10)'), c3Maps)),
  );
  try {
    await loadLenet();
    message.textContent = '';
    root.dataset.modelReady = 'true';
  } catch (e) {
    message.textContent = `Could not load the model from ${MODEL_URL}: ${e instanceof Error ? e.message : String(e)}`;
    message.classList.add('error');
  }
  return () => {};
}

/** One small canvas per channel of a [1, H, W, C] activation. */
function showMaps(container: HTMLElement, t: hb.Tensor, scale: number): void {
  const [, h, w, c] = t.shape;
  const data = t.dataSync();
  container.replaceChildren();
  for (let k = 0; k < c; k++) {
    const map = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) map[i] = data[i * c + k];
    const canvas = pixelCanvas(w, h, scale, `channel ${k + 1}`);
    paintHeatmap(canvas, map, w, h, { lo: 0 });
    container.append(canvas);
  }
}
