// Vanishing gradients: the gradient norm of each layer's weights in a deep fully-connected
// network, with sigmoid and with ReLU activations (Glorot-uniform weights, zero biases, a mean
// squared error on a random batch). Sigmoid's derivative is at most 1/4, so the gradient
// shrinks layer by layer on its way back; ReLU's is 0 or 1.
import * as hb from '../../../src/index.js';
import { el, LineChart } from '../util.js';

const WIDTH = 32;
const BATCH = 64;

/** The Frobenius norm of the loss's gradient with respect to each layer's weight matrix, first layer first. */
function gradientNorms(depth: number, activation: 'sigmoid' | 'relu', seed: number): number[] {
  return hb.tidy(() => {
    hb.setSeed(seed);
    const limit = Math.sqrt(6 / (WIDTH + WIDTH));
    const weights = Array.from({ length: depth }, () => hb.randomUniform([WIDTH, WIDTH], { min: -limit, max: limit }));
    const x = hb.randomNormal([BATCH, WIDTH]);
    const target = hb.randomNormal([BATCH, WIDTH]);
    const act = activation === 'sigmoid' ? hb.sigmoid : hb.relu;
    const loss = (...ws: hb.Tensor[]): hb.Tensor => {
      let h = x;
      ws.forEach((w, i) => {
        h = hb.matmul(h, w);
        if (i < ws.length - 1) h = act(h);
      });
      return hb.mean(hb.square(hb.sub(h, target)));
    };
    const grads = hb.grad(loss, weights.map((_, i) => i))(...weights);
    return grads.map((g) => Math.sqrt(hb.sum(hb.square(g)).item()));
  });
}

export function render(root: HTMLElement): void {
  const depthSel = el('select', { 'data-testid': 'depth' }, ...['5', '10', '15', '20'].map((v) => el('option', { value: v, selected: v === '10' }, `${v} layers`)));
  const chart = new LineChart(620, 300, { title: 'gradient norm per layer (log scale)', logY: true, xLabel: 'layer' });
  const table = el('div', { class: 'note', 'data-testid': 'vanishing-summary' });
  let seed = 1;
  const update = (): void => {
    const depth = Number(depthSel.value);
    const sig = gradientNorms(depth, 'sigmoid', seed);
    const relu = gradientNorms(depth, 'relu', seed);
    chart.series = [
      { name: 'sigmoid', colour: '#d92d20', points: sig.map((v, i) => [i + 1, v]) },
      { name: 'ReLU', colour: '#2f6fde', points: relu.map((v, i) => [i + 1, v]) },
    ];
    chart.draw();
    const ratio = (v: number[]): string => (v[v.length - 1] / v[0]).toExponential(1);
    table.textContent = `Last layer's gradient norm ÷ first layer's: sigmoid ${ratio(sig)}, ReLU ${ratio(relu)}. ` +
      `With sigmoid, plain gradient descent moves the first layer's weights about ${(sig[sig.length - 1] / sig[0]).toExponential(0)} times less than the last's.`;
    table.dataset.sigmoid = sig.join(',');
    table.dataset.relu = relu.join(',');
  };
  depthSel.addEventListener('change', update);
  root.append(
    el('h1', {}, 'Vanishing gradients'),
    el('p', { class: 'lead' }, `Back-propagation multiplies by each layer's activation derivative on the way back. A sigmoid's derivative is at most 0.25, so in a deep sigmoid network the early layers get tiny gradients; ReLU passes gradients through unchanged where it is active. ${WIDTH} units per layer, Glorot-uniform weights, mean squared error on a random batch of ${BATCH}.`),
    el('div', { class: 'controls' }, el('label', {}, 'depth', depthSel), el('button', { onclick: () => { seed++; update(); } }, 'New weights')),
    el('div', { class: 'card', 'data-testid': 'vanishing-chart' }, chart.canvas, table),
  );
  update();
}
