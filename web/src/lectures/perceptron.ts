// Rosenblatt's perceptron rule on AND, OR and XOR: w ← w + η (y − ŷ) x, b ← b + η (y − ŷ),
// one sample at a time. It converges for AND and OR (linearly separable) and never for XOR.
import * as hb from '../../../src/index.js';
import { el } from '../util.js';
import { CORNERS, drawPlane, GATES, planeCanvas } from './plane.js';

const MAX_EPOCHS = 30;

export function render(root: HTMLElement): () => void {
  const gateSel = el('select', { 'data-testid': 'gate' }, ...Object.keys(GATES).map((g) => el('option', { value: g }, g)));
  const lrSel = el('select', {}, ...['0.1', '0.5', '1'].map((v) => el('option', { value: v, selected: v === '0.5' }, v)));
  const canvas = planeCanvas();
  const status = el('p', { 'data-testid': 'perceptron-status' });
  const tbody = el('tbody');
  const x = hb.tensor(CORNERS, [4, 2]);
  let w = hb.zeros([2]);
  let b = 0;
  let epoch = 0;
  let timer: ReturnType<typeof setInterval> | null = null;

  const labels = (): number[] => GATES[gateSel.value];
  const predictAll = (): number[] => Array.from(hb.tidy(() => hb.cast(hb.greater(hb.add(hb.matmul(x, hb.reshape(w, [2, 1])), b), 0), 'int32')).dataSync());
  const errors = (): number => predictAll().reduce((n, p, i) => n + (p === labels()[i] ? 0 : 1), 0);
  const draw = (): void => {
    const [w1, w2] = Array.from(w.dataSync());
    drawPlane(canvas, labels(), (px, py) => (w1 * px + w2 * py + b > 0 ? 1 : 0), [w1, w2, b]);
  };
  /** One pass of the perceptron rule over the four samples. */
  const step = (): number => {
    const lr = Number(lrSel.value);
    const y = labels();
    for (let i = 0; i < 4; i++) {
      const xi = hb.tensor(CORNERS[i]);
      const out = hb.tidy(() => hb.add(hb.dot(w, xi), b).item());
      const delta = lr * (y[i] - (out > 0 ? 1 : 0));
      if (delta !== 0) {
        const next = hb.add(w, hb.mul(xi, delta));
        w.dispose();
        w = next;
        b += delta;
      }
      xi.dispose();
    }
    epoch++;
    const e = errors();
    const [w1, w2] = Array.from(w.dataSync());
    tbody.append(el('tr', {}, el('td', {}, String(epoch)), el('td', {}, w1.toFixed(2)), el('td', {}, w2.toFixed(2)), el('td', {}, b.toFixed(2)), el('td', {}, String(e))));
    return e;
  };
  const report = (e: number): void => {
    if (e === 0) status.textContent = `${gateSel.value}: converged after ${epoch} epoch${epoch === 1 ? '' : 's'}: the line separates the classes.`;
    else if (epoch >= MAX_EPOCHS) status.textContent = `${gateSel.value}: still ${e} error${e === 1 ? '' : 's'} after ${epoch} epochs. No straight line separates XOR, so the perceptron rule never settles.`;
    else status.textContent = `${gateSel.value}: epoch ${epoch}, ${e} error${e === 1 ? '' : 's'}.`;
    status.dataset.errors = String(e);
    status.dataset.epochs = String(epoch);
  };
  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const reset = (): void => {
    stop();
    w.dispose();
    w = hb.zeros([2]);
    b = 0;
    epoch = 0;
    tbody.replaceChildren();
    draw();
    report(errors());
  };
  const runAll = (animate: boolean): void => {
    stop();
    const tick = (): boolean => {
      const e = step();
      draw();
      report(e);
      return e === 0 || epoch >= MAX_EPOCHS;
    };
    if (!animate) {
      while (!tick());
      return;
    }
    timer = setInterval(() => {
      if (tick()) stop();
    }, 180);
  };
  gateSel.addEventListener('change', () => {
    reset();
    runAll(true);
  });

  root.append(
    el('h1', {}, 'Perceptron'),
    el('p', { class: 'lead' }, 'A perceptron outputs 1 when w₁x₁ + w₂x₂ + b > 0: its decision boundary is a straight line. The perceptron rule (w ← w + η(y − ŷ)x) finds such a line whenever one exists, as for AND and OR. For XOR none exists.'),
    el('div', { class: 'controls' }, el('label', {}, 'function', gateSel), el('label', {}, 'learning rate η', lrSel),
      el('button', { onclick: () => { stop(); const e = step(); draw(); report(e); } }, 'One epoch'),
      el('button', { class: 'primary', 'data-testid': 'perceptron-run', onclick: () => runAll(true) }, 'Train'),
      el('button', { onclick: reset }, 'Reset')),
    el('div', { class: 'row' }, canvas,
      el('div', { class: 'card' }, status,
        el('table', {}, el('thead', {}, el('tr', {}, ...['epoch', 'w₁', 'w₂', 'b', 'errors'].map((h) => el('th', {}, h)))), tbody))),
  );
  reset();
  runAll(false);
  return () => {
    stop();
    hb.dispose(w, x);
  };
}
