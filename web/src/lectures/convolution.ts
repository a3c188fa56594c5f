// Convolution of a binary image with an editable 3×3 kernel (valid padding, stride 1, as the
// lecture computes it by hand), and edge detection with the Sobel kernels on a larger picture.
import * as hb from '../../../src/index.js';
import { el, numberGrid, paintHeatmap, pixelCanvas } from '../util.js';

const N = 10;
const KERNELS: Record<string, number[]> = {
  'vertical edges (Sobel x)': [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  'horizontal edges (Sobel y)': [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  'Laplacian': [0, 1, 0, 1, -4, 1, 0, 1, 0],
  'box blur': [1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
  'sharpen': [0, -1, 0, -1, 5, -1, 0, -1, 0],
  'identity': [0, 0, 0, 0, 1, 0, 0, 0, 0],
};

function preset(name: string): number[] {
  const img = new Array<number>(N * N).fill(0);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const on = name === 'square' ? x >= 2 && x <= 7 && y >= 2 && y <= 7
        : name === 'cross' ? x === 4 || x === 5 || y === 4 || y === 5
          : name === 'L' ? (x >= 2 && x <= 3 && y >= 1 && y <= 8) || (y >= 7 && y <= 8 && x >= 2 && x <= 7)
            : x === y || x === y + 1;
      img[y * N + x] = on ? 1 : 0;
    }
  }
  return img;
}

/** conv2d of one-channel images: image [h, w] and kernel [kh, kw] as flat arrays. */
function convolve(image: number[] | Float32Array, h: number, w: number, kernel: number[], padding: 'valid' | 'same'): hb.Tensor {
  return hb.conv2d(hb.tensor(image, [1, h, w, 1]), hb.tensor(kernel, [3, 3, 1, 1]), { padding });
}

export function render(root: HTMLElement): void {
  let image = preset('square');
  let kernel = [...KERNELS['vertical edges (Sobel x)']];
  const imageBox = el('div', { 'data-testid': 'conv-input' });
  const outputBox = el('div', { 'data-testid': 'conv-output' });
  const inputs = kernel.map((v, i) => el('input', { type: 'number', step: '0.5', value: String(v), 'data-testid': `kernel-${i}` }));
  const kernelBox = el('div', { class: 'kernel' }, ...inputs);
  const kernelSel = el('select', {}, ...Object.keys(KERNELS).map((k) => el('option', { value: k }, k)));
  const imageSel = el('select', {}, ...['square', 'cross', 'L', 'diagonal'].map((k) => el('option', { value: k }, k)));

  const update = (): void => {
    imageBox.replaceChildren(numberGrid(image, N, N, { lo: 0, hi: 1, onClick: (i) => {
      image[i] = 1 - image[i];
      update();
    } }));
    const out = convolve(image, N, N, kernel, 'valid');
    const values = Array.from(out.dataSync());
    const integral = values.every((v) => Math.abs(v - Math.round(v)) < 1e-6);
    outputBox.replaceChildren(numberGrid(values.map((v) => (integral ? Math.round(v) : v)), N - 2, N - 2, { diverging: true, digits: integral ? undefined : 1 }));
  };
  inputs.forEach((input, i) => input.addEventListener('input', () => {
    const v = Number(input.value);
    if (Number.isFinite(v)) {
      kernel[i] = v;
      update();
    }
  }));
  kernelSel.addEventListener('change', () => {
    kernel = [...KERNELS[kernelSel.value]];
    kernel.forEach((v, i) => (inputs[i].value = String(Number(v.toFixed(3)))));
    update();
  });
  imageSel.addEventListener('change', () => {
    image = preset(imageSel.value);
    update();
  });

  // Edge detection on a 48×48 picture: a disc and a rectangle.
  const S = 48;
  const picture = new Float32Array(S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const disc = (x - 16) ** 2 + (y - 18) ** 2 < 100;
      const rect = x >= 26 && x <= 42 && y >= 24 && y <= 40;
      picture[y * S + x] = disc || rect ? 1 : 0;
    }
  }
  const [gx, gy, magnitude] = hb.tidy(() => {
    const x = convolve(picture, S, S, KERNELS['vertical edges (Sobel x)'], 'same');
    const y = convolve(picture, S, S, KERNELS['horizontal edges (Sobel y)'], 'same');
    return [x, y, hb.sqrt(hb.add(hb.square(x), hb.square(y)))].map((t) => hb.keep(t).dataSync());
  });
  const panels = ([['picture', picture, false], ['Gx: Sobel x', gx, true], ['Gy: Sobel y', gy, true], ['|G| = √(Gx² + Gy²)', magnitude, false]] as const).map(([title, data, diverging]) => {
    const c = pixelCanvas(S, S, 4, title);
    paintHeatmap(c, data, S, S, { diverging });
    return el('div', { class: 'card' }, el('h2', {}, title), c);
  });

  root.append(
    el('h1', {}, 'Convolution'),
    el('p', { class: 'lead' }, 'Each output value is the sum of the 3×3 window of the image multiplied element-wise by the kernel (deep-learning libraries compute this cross-correlation and call it convolution). Click pixels to flip them; edit the kernel.'),
    el('div', { class: 'controls' }, el('label', {}, 'image', imageSel), el('label', {}, 'kernel', kernelSel)),
    el('div', { class: 'row' },
      el('div', { class: 'card' }, el('h2', {}, `Input ${N}×${N}`), imageBox),
      el('div', { class: 'card' }, el('h2', {}, 'Kernel 3×3'), kernelBox),
      el('div', { class: 'card' }, el('h2', {}, `Output ${N - 2}×${N - 2} (valid)`), outputBox)),
    el('h2', {}, 'Edge detection'),
    el('p', { class: 'note' }, 'The Sobel kernels respond to horizontal and vertical changes of brightness; the gradient magnitude outlines every edge, whatever its direction.'),
    el('div', { class: 'row', 'data-testid': 'edges' }, ...panels),
  );
  update();
}
