// Digit scenes for detection: 96×96 canvases holding 1–5 MNIST digits of one split, each
// resized to s×s (s uniform in 20–40) and placed where its s×s square overlaps no other. A
// digit's box is the bounding box of its ink — pixels ≥ 0.2 after resizing — not its square,
// in pixel coordinates [x0, y0, x1, y1] with x1, y1 exclusive (a one-pixel dot at (3, 5) is
// [3, 5, 4, 6]). Where squares touch, the brighter pixel wins.
import { checkOptions, is, Rng, ValueError } from '../base/index.js';
import { interpolationMatrix } from '../ops/image.js';
import { type Tensor, tensor } from '../tensor/index.js';
import { MNIST_SOURCE_SPEC, type MnistSource, mnistSplit } from './mnist-source.js';

/** A box `[x0, y0, x1, y1]` in pixels. */
export type Box = [number, number, number, number];

/** Options of {@link digitScenes}: how many scenes, from which split, their size and the digits' count and scale. */
export interface DigitScenesOptions extends MnistSource {
  /** Number of scenes. */
  n: number;
  seed?: number;
  /** Canvas side (default 96). */
  size?: number;
  /** Digits per scene, uniform in [minDigits, maxDigits] (default 1–5). */
  minDigits?: number;
  maxDigits?: number;
  /** Digit side s, uniform in [minScale, maxScale] pixels (default 20–40). */
  minScale?: number;
  maxScale?: number;
}

/** Scenes of scattered MNIST digits with their boxes and classes, for detection. */
export interface DigitScenes {
  /** [n, size, size, 1] float32 in [0, 1]. */
  images: Tensor;
  /** Per scene, one ink box per digit. */
  boxes: Box[][];
  /** Per scene, the digit classes, in the order of boxes. */
  labels: number[][];
}

const SPEC = {
  n: is.posInt,
  seed: is.int,
  size: is.posInt,
  minDigits: is.posInt,
  maxDigits: is.posInt,
  minScale: is.posInt,
  maxScale: is.posInt,
  ...MNIST_SOURCE_SPEC,
};

/** Ink threshold for boxes. */
export const INK = 0.2;

/** Resize a 28×28 digit to s×s: A · D · Aᵀ with the antialiased bilinear matrix (every input pixel counts when shrinking). */
function resizeDigit(d: ArrayLike<number>, s: number): Float32Array {
  const a = interpolationMatrix(28, s, 'bilinear', { cubicA: -0.5, edge: 'renormalize', antialias: true });
  const tmp = new Float64Array(s * 28);
  for (let i = 0; i < s; i++) for (let k = 0; k < 28; k++) {
    const w = a[i * 28 + k];
    if (w !== 0) for (let j = 0; j < 28; j++) tmp[i * 28 + j] += w * d[k * 28 + j];
  }
  const out = new Float32Array(s * s);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
    let v = 0;
    for (let k = 0; k < 28; k++) v += tmp[i * 28 + k] * a[j * 28 + k];
    out[i * s + j] = Math.min(1, Math.max(0, v));
  }
  return out;
}

/** Scenes of MNIST digits with their ink boxes and labels (see the file comment). */
export async function digitScenes(options: DigitScenesOptions): Promise<DigitScenes> {
  const op = 'datasets.digitScenes';
  const opts = checkOptions(op, options, SPEC);
  if (opts.n === undefined) throw new ValueError(`${op}: n (the number of scenes) is required`);
  const size = opts.size ?? 96;
  const minDigits = opts.minDigits ?? 1;
  const maxDigits = opts.maxDigits ?? 5;
  const minScale = opts.minScale ?? 20;
  const maxScale = opts.maxScale ?? 40;
  if (minDigits > maxDigits) throw new ValueError(`${op}: minDigits ${minDigits} > maxDigits ${maxDigits}`);
  if (minScale > maxScale || maxScale > size) throw new ValueError(`${op}: need minScale ≤ maxScale ≤ size, got ${minScale}, ${maxScale}, ${size}`);
  const source = await mnistSplit(opts);
  const pixels = source.images.dataSync();
  const classes = source.labels.dataSync();
  const count = classes.length;
  const rng = new Rng(opts.seed ?? 1);
  const n = opts.n;
  const canvas = new Float32Array(n * size * size);
  const boxes: Box[][] = [];
  const labels: number[][] = [];
  for (let scene = 0; scene < n; scene++) {
    const want = minDigits + rng.int(maxDigits - minDigits + 1);
    const squares: Box[] = [];
    const sceneBoxes: Box[] = [];
    const sceneLabels: number[] = [];
    const base = scene * size * size;
    for (let placed = 0, tries = 0; placed < want && tries < 200; tries++) {
      const s = minScale + rng.int(maxScale - minScale + 1);
      const x = rng.int(size - s + 1);
      const y = rng.int(size - s + 1);
      if (squares.some(([x0, y0, x1, y1]) => x < x1 && x + s > x0 && y < y1 && y + s > y0)) continue;
      const index = rng.int(count);
      const digit = resizeDigit(pixels.subarray(index * 784, (index + 1) * 784), s);
      let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
      for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
        const v = digit[i * s + j];
        const p = base + (y + i) * size + x + j;
        if (v > canvas[p]) canvas[p] = v;
        if (v >= INK) {
          bx0 = Math.min(bx0, x + j);
          bx1 = Math.max(bx1, x + j + 1);
          by0 = Math.min(by0, y + i);
          by1 = Math.max(by1, y + i + 1);
        }
      }
      // A digit without ink at this size (never for real MNIST) is drawn but has no box.
      squares.push([x, y, x + s, y + s]);
      placed++;
      if (bx1 > bx0) {
        sceneBoxes.push([bx0, by0, bx1, by1]);
        sceneLabels.push(classes[index]);
      }
    }
    boxes.push(sceneBoxes);
    labels.push(sceneLabels);
  }
  return { images: tensor(canvas, [n, size, size, 1]), boxes, labels };
}
