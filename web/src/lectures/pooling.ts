// Max and average pooling of an 8×8 grid: each output cell summarises one window (colour-coded).
import * as hb from '../../../src/index.js';
import { el, numberGrid } from '../util.js';

const N = 8;
const WINDOW_COLOURS = ['#fde2e1', '#dbeafe', '#dcfce7', '#fef3c7', '#ede9fe', '#cffafe', '#fce7f3', '#e0e7ff', '#f3f4f6'];

export function render(root: HTMLElement): void {
  let values = Array.from({ length: N * N }, () => Math.floor(Math.random() * 10));
  const sizeSel = el('select', { 'data-testid': 'pool-size' }, ...['2', '4'].map((v) => el('option', { value: v }, `${v}×${v}`)));
  const strideSel = el('select', { 'data-testid': 'pool-stride' }, el('option', { value: 'same' }, 'stride = size'), el('option', { value: '1' }, 'stride 1'));
  const inputBox = el('div', {});
  const maxBox = el('div', { 'data-testid': 'pool-max' });
  const avgBox = el('div', { 'data-testid': 'pool-avg' });

  const update = (): void => {
    const size = Number(sizeSel.value);
    const stride = strideSel.value === 'same' ? size : 1;
    const x = hb.tensor(values, [1, N, N, 1]);
    const maxT = hb.maxPool2d(x, { poolSize: size, strides: stride });
    const avgT = hb.avgPool2d(x, { poolSize: size, strides: stride });
    const [, oh, ow] = maxT.shape;
    // Colour the input by window when windows do not overlap.
    const windowOf = (i: number): string | null => {
      if (stride !== size) return null;
      const r = Math.floor(Math.floor(i / N) / size), c = Math.floor((i % N) / size);
      return WINDOW_COLOURS[(r * ow + c) % WINDOW_COLOURS.length];
    };
    inputBox.replaceChildren(numberGrid(values, N, N, { highlight: windowOf, onClick: (i) => {
      values[i] = (values[i] + 1) % 10;
      update();
    } }));
    const outColour = (i: number): string | null => (stride === size ? WINDOW_COLOURS[i % WINDOW_COLOURS.length] : null);
    maxBox.replaceChildren(numberGrid(Array.from(maxT.dataSync()), ow, oh, { highlight: outColour, lo: 0, hi: 9 }));
    avgBox.replaceChildren(numberGrid(Array.from(avgT.dataSync()), ow, oh, { digits: 2, highlight: outColour, lo: 0, hi: 9 }));
    hb.dispose(x, maxT, avgT);
  };
  sizeSel.addEventListener('change', update);
  strideSel.addEventListener('change', update);

  root.append(
    el('h1', {}, 'Pooling'),
    el('p', { class: 'lead' }, 'Pooling slides a window over each feature map and keeps one number per window: the largest (max pooling) or the mean (average pooling). It shrinks the map and makes the features tolerant to small shifts. Click a cell to change it.'),
    el('div', { class: 'controls' }, el('label', {}, 'window', sizeSel), el('label', {}, 'stride', strideSel),
      el('button', { onclick: () => {
        values = Array.from({ length: N * N }, () => Math.floor(Math.random() * 10));
        update();
      } }, 'New numbers')),
    el('div', { class: 'row' },
      el('div', { class: 'card' }, el('h2', {}, `Input ${N}×${N}`), inputBox),
      el('div', { class: 'card' }, el('h2', {}, 'Max pooling'), maxBox),
      el('div', { class: 'card' }, el('h2', {}, 'Average pooling'), avgBox)),
  );
  update();
}
