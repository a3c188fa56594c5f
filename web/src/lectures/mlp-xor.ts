// A multilayer perceptron solving XOR: 2 inputs, a tanh hidden layer, a sigmoid output, trained
// with back-propagation (Adam on binary cross-entropy). The hidden layer bends the boundary.
import * as hb from '../../../src/index.js';
import { el, LineChart, nextFrame } from '../util.js';
import { CORNERS, drawPlane, GATES, planeCanvas } from './plane.js';

const EPOCHS = 400;
const CHUNK = 20;
const G = 40;

export function render(root: HTMLElement): () => void {
  const hiddenSel = el('select', { 'data-testid': 'hidden-units' }, ...['2', '3', '4', '8'].map((v) => el('option', { value: v, selected: v === '4' }, v)));
  const canvas = planeCanvas();
  const status = el('p', { 'data-testid': 'xor-status' });
  const chart = new LineChart(420, 220, { title: 'loss (binary cross-entropy)', yMin: 0, xLabel: 'epochs' });
  const x = hb.tensor(CORNERS, [4, 2]);
  const y = hb.tensor(GATES.XOR, [4, 1]);
  // The grid of points whose predictions shade the plane.
  const grid: number[] = [];
  for (let i = 0; i < G; i++) for (let j = 0; j < G; j++) grid.push(-0.5 + (2 * j + 1) / (G), -0.5 + (2 * i + 1) / (G));
  const gridT = hb.tensor(grid, [G * G, 2]);
  let generation = 0;

  const train = async (): Promise<void> => {
    const mine = ++generation;
    hb.setSeed(Number(hiddenSel.value) * 7 + 3);
    const model = hb.sequential([
      hb.layers.dense({ units: Number(hiddenSel.value), activation: 'tanh', inputShape: [2] }),
      hb.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
    const losses: [number, number][] = [];
    chart.series = [{ name: 'loss', colour: '#d92d20', points: losses }];
    for (let epoch = 0; epoch < EPOCHS && mine === generation; epoch += CHUNK) {
      const history = await model.fit(x, y, { epochs: CHUNK, batchSize: 4, verbose: 0, shuffle: false });
      history.history.loss.forEach((l, i) => losses.push([epoch + i + 1, l]));
      const scores = hb.tidy(() => (model.predict(gridT) as hb.Tensor).dataSync());
      const outputs = Array.from(hb.tidy(() => (model.predict(x) as hb.Tensor).dataSync()));
      drawPlane(canvas, GATES.XOR, (px, py) => {
        const j = Math.min(G - 1, Math.max(0, Math.floor(((px + 0.5) / 2) * G)));
        const i = Math.min(G - 1, Math.max(0, Math.floor(((py + 0.5) / 2) * G)));
        return scores[i * G + j];
      });
      chart.draw();
      const right = outputs.filter((o, i) => (o > 0.5 ? 1 : 0) === GATES.XOR[i]).length;
      const loss = losses[losses.length - 1][1];
      status.textContent = `epoch ${epoch + CHUNK}: loss ${loss.toFixed(4)}, ${right} of 4 points right; outputs ${outputs.map((o) => o.toFixed(2)).join(', ')}`;
      status.dataset.right = String(right);
      await nextFrame();
    }
    if (mine === generation) status.dataset.done = 'true';
  };
  hiddenSel.addEventListener('change', () => void train());

  root.append(
    el('h1', {}, 'MLP solves XOR'),
    el('p', { class: 'lead' }, 'No single line separates XOR, but a hidden layer maps the four points into a space where one does. A 2-H-1 network (tanh hidden units, sigmoid output) learns it by back-propagation; the shading is its output over the plane.'),
    el('div', { class: 'controls' }, el('label', {}, 'hidden units', hiddenSel), el('button', { class: 'primary', onclick: () => void train() }, 'Train again')),
    el('div', { class: 'row' }, canvas, el('div', { class: 'card' }, chart.canvas, status)),
  );
  void train();
  return () => {
    generation++;
  };
}
