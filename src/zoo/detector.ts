// A YOLO-style single-shot detector (Redmon et al. 2016, as the decks draw it). The image is cut
// into an S×S grid; the cell that holds an object's centre predicts, in one pass over the image,
//   y = [p_c, b_x, b_y, b_w, b_h, c₁ … c_K]
// p_c: is there an object (sigmoid); b_x, b_y: its centre within the cell, in [0, 1] (sigmoid);
// b_w, b_h: its size as a fraction of the image (sigmoid); c: class probabilities (softmax).
// The decks' two-case squared loss: for a cell with an object every component counts,
//   L = Σᵢ (ŷᵢ − yᵢ)²   (weighted: λ_coord on the box, as YOLO),
// and for an empty cell only the objectness, L = λ_noobj · (ŷ₁ − y₁)².
// Boxes are decoded, thresholded on score = p_c · max c, and pruned by non-maximum suppression.
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import { input, loadModel, model, type Model } from '../model/index.js';
import { layers as nn } from '../nn/index.js';
import { add, concat, mean, mul, sigmoid, slice, softmax, square, sub, sum } from '../ops/index.js';
import { noGrad, type Tensor, tensor } from '../tensor/index.js';

export type Box = [number, number, number, number];

/** One detected object: its box `[x0, y0, x1, y1]` in pixels, its class and its score. */
export interface Detection {
  box: Box;
  label: number;
  score: number;
}

/** Intersection over union of two boxes [x0, y0, x1, y1] (0 when either is empty). */
export function iou(a: readonly number[], b: readonly number[]): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const area = (r: readonly number[]) => Math.max(0, r[2] - r[0]) * Math.max(0, r[3] - r[1]);
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression: take the highest-scoring detection, drop every other of the
 * same label (or any label, with `classAgnostic`) whose IoU with it exceeds `iouThreshold`, repeat.
 */
export function nonMaxSuppression(detections: readonly Detection[], { iouThreshold = 0.5, classAgnostic = false, maxDetections = Infinity } = {}): Detection[] {
  const sorted = [...detections].sort((p, q) => q.score - p.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.length >= maxDetections) break;
    if (kept.some((k) => (classAgnostic || k.label === d.label) && iou(k.box, d.box) > iouThreshold)) continue;
    kept.push(d);
  }
  return kept;
}

/**
 * Mean average precision at one IoU threshold (PASCAL VOC, all-point interpolation): per class,
 * detections of all images sorted by score are matched greedily to unmatched true boxes with
 * IoU ≥ threshold; AP is the area under the precision envelope over recall. Classes without
 * true boxes are left out of the mean.
 */
export function meanAveragePrecision(detections: readonly (readonly Detection[])[], boxes: readonly (readonly Box[])[], labels: readonly (readonly number[])[], { iouThreshold = 0.5 } = {}): { map: number; perClass: Record<number, number> } {
  if (detections.length !== boxes.length || boxes.length !== labels.length) throw new ValueError(`meanAveragePrecision: ${detections.length} detection lists for ${boxes.length} images`);
  const classes = [...new Set(labels.flat())].sort((a, b) => a - b);
  const perClass: Record<number, number> = {};
  for (const c of classes) {
    const truth = boxes.map((bs, i) => bs.filter((_, k) => labels[i][k] === c));
    const used = truth.map((t) => t.map(() => false));
    const total = truth.reduce((s, t) => s + t.length, 0);
    const dets = detections.flatMap((ds, i) => ds.filter((d) => d.label === c).map((d) => ({ d, i }))).sort((p, q) => q.d.score - p.d.score);
    const tp: number[] = [];
    for (const { d, i } of dets) {
      let best = -1, bestIou = iouThreshold;
      truth[i].forEach((t, k) => {
        const v = iou(d.box, t);
        if (!used[i][k] && v >= bestIou) { best = k; bestIou = v; }
      });
      if (best >= 0) used[i][best] = true;
      tp.push(best >= 0 ? 1 : 0);
    }
    let hits = 0;
    const recall: number[] = [], precision: number[] = [];
    tp.forEach((t, k) => {
      hits += t;
      recall.push(hits / total);
      precision.push(hits / (k + 1));
    });
    // Envelope: precision made non-increasing from the right, summed over the recall steps.
    for (let k = precision.length - 2; k >= 0; k--) precision[k] = Math.max(precision[k], precision[k + 1]);
    let ap = 0, prev = 0;
    recall.forEach((r, k) => { ap += (r - prev) * precision[k]; prev = r; });
    perClass[c] = ap;
  }
  const values = Object.values(perClass);
  return { map: values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0, perClass };
}

/** Options of {@link yoloDetector}: image shape, grid size and classes. */
export interface YoloOptions {
  /** Image shape (default [96, 96, 1]). */
  inputShape?: readonly number[];
  /** Grid side S: the backbone halves the image log₂(H/S) times (default 6: 16-pixel cells for 96×96). */
  grid?: number;
  /** Object classes K (default 10). */
  classes?: number;
  /** Filters of the backbone's convolutions, one per halving (default [16, 32, 64, 64]). */
  filters?: readonly number[];
}

const YOLO_SPEC = { inputShape: is.intArray, grid: is.posInt, classes: is.posInt, filters: is.intArray };

/** The detector network: conv-pool stages down to the S×S grid, then a 1×1 conv to 5 + K raw outputs per cell. */
export function yoloDetector(options: YoloOptions = {}): Model {
  const opts = checkOptions('zoo.yoloDetector', options, YOLO_SPEC);
  const shape = opts.inputShape ?? [96, 96, 1];
  const grid = opts.grid ?? 6;
  const classes = opts.classes ?? 10;
  const filters = opts.filters ?? [16, 32, 64, 64];
  if (shape.length !== 3 || shape[0] !== shape[1]) throw new ValueError(`zoo.yoloDetector: inputShape must be a square [H, H, C], got ${JSON.stringify(shape)}`);
  if (shape[0] !== grid * 2 ** filters.length) throw new ValueError(`zoo.yoloDetector: ${filters.length} halvings of ${shape[0]} give ${shape[0] / 2 ** filters.length}, not grid ${grid}; pass filters with log2(H/grid) entries`);
  const x = input({ shape, name: 'scene' });
  let h = x;
  filters.forEach((f, i) => {
    h = nn.conv2d({ name: `conv${i + 1}`, filters: f, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(h);
    h = nn.maxPooling2d({ name: `pool${i + 1}`, poolSize: 2 }).apply(h);
  });
  h = nn.conv2d({ name: 'head_conv', filters: filters[filters.length - 1], kernelSize: 3, padding: 'same', activation: 'relu' }).apply(h);
  const y = nn.conv2d({ name: 'yolo_output', filters: 5 + classes, kernelSize: 1 }).apply(h);
  return model({ inputs: x, outputs: y, name: 'yolo_detector' });
}

/** Raw outputs [N, S, S, 5 + K] → [p_c, b_x, b_y, b_w, b_h] through sigmoid, classes through softmax. */
export function yoloActivate(raw: Tensor): Tensor {
  const [n, s, s2, d] = raw.shape;
  const head = sigmoid(slice(raw, [0, 0, 0, 0], [n, s, s2, 5]));
  const cls = softmax(slice(raw, [0, 0, 0, 5], [n, s, s2, d - 5]), -1);
  return concat([head, cls], -1);
}

/**
 * Targets [N, S, S, 5 + K] for ink boxes: the cell holding a box's centre gets p_c = 1, the
 * centre's offset in the cell, the size over the image size, and the one-hot class.
 */
export function yoloTargets(boxes: readonly (readonly Box[])[], labels: readonly (readonly number[])[], { imageSize = 96, grid = 6, classes = 10 } = {}): Tensor {
  const d = 5 + classes;
  const out = new Float32Array(boxes.length * grid * grid * d);
  const cell = imageSize / grid;
  boxes.forEach((bs, n) => bs.forEach((b, k) => {
    const cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
    const gx = Math.min(grid - 1, Math.floor(cx / cell)), gy = Math.min(grid - 1, Math.floor(cy / cell));
    const o = ((n * grid + gy) * grid + gx) * d;
    out[o] = 1;
    out[o + 1] = cx / cell - gx;
    out[o + 2] = cy / cell - gy;
    out[o + 3] = (b[2] - b[0]) / imageSize;
    out[o + 4] = (b[3] - b[1]) / imageSize;
    const label = labels[n][k];
    if (!(label >= 0 && label < classes)) throw new ValueError(`yoloTargets: label ${label} is outside 0…${classes - 1}`);
    out[o + 5 + label] = 1;
  }));
  return tensor(out, [boxes.length, grid, grid, d]);
}

/**
 * The decks' two-case squared loss on raw outputs: per cell, p_c = 1 → λ_coord·(box errors²) +
 * (p_c error)² + (class errors²); p_c = 0 → λ_noobj·(p_c error)². Summed over cells, mean over
 * images. λ_coord = 5 and λ_noobj = 0.5 as YOLO (1 and 1 give the decks' plain version).
 */
export function yoloLoss(yTrue: Tensor, yPred: Tensor, { lambdaCoord = 5, lambdaNoObj = 0.5 } = {}): Tensor {
  if (yTrue.rank !== 4 || yTrue.shape.some((v, i) => v !== yPred.shape[i])) throw new ShapeError(`yoloLoss: targets [${yTrue.shape.join(', ')}] and outputs [${yPred.shape.join(', ')}] must have the same shape [N, S, S, 5 + K]`);
  const [n, s, s2, d] = yTrue.shape;
  const p = yoloActivate(yPred);
  const part = (t: Tensor, from: number, size: number) => slice(t, [0, 0, 0, from], [n, s, s2, size]);
  const obj = part(yTrue, 0, 1);
  const noObj = sub(1, obj);
  const pcErr = square(sub(part(p, 0, 1), obj));
  const boxErr = sum(square(sub(part(p, 1, 4), part(yTrue, 1, 4))), -1, true);
  const clsErr = sum(square(sub(part(p, 5, d - 5), part(yTrue, 5, d - 5))), -1, true);
  const cells = add(mul(obj, add(add(mul(boxErr, lambdaCoord), pcErr), clsErr)), mul(noObj, mul(pcErr, lambdaNoObj)));
  return mul(mean(sum(cells.reshape([n, -1]), 1)), 1);
}

/** Options of `Detector.detect`: score and non-maximum-suppression thresholds, and the most detections per image. */
export interface DetectOptions {
  /** Keep detections with p_c · max class probability ≥ this (default 0.5). */
  scoreThreshold?: number;
  /** Non-maximum suppression threshold (default 0.5). */
  iouThreshold?: number;
  /** At most this many detections per image (default 100). */
  maxDetections?: number;
  batchSize?: number;
}

const DETECT_SPEC = { scoreThreshold: is.range(0, 1), iouThreshold: is.range(0, 1), maxDetections: is.posInt, batchSize: is.posInt };

/** A trained YOLO-style network with its decoding: `detect(images)` gives boxes, labels and scores per image. */
export class Detector {
  readonly grid: number;
  readonly classes: number;
  readonly imageSize: number;

  constructor(readonly model: Model) {
    const out = model.outputs[0]?.shape;
    const inp = model.inputs[0]?.shape;
    if (!out || !inp || out.length !== 4 || inp.length !== 4 || out[1] === null || out[1] !== out[2] || out[3] === null || out[3] <= 5 || inp[1] === null) {
      throw new ValueError(`Detector: expected a model from images [N, H, W, C] to a grid [N, S, S, 5 + K], got [${inp?.join(', ')}] → [${out?.join(', ')}]`);
    }
    this.grid = out[1];
    this.classes = out[3] - 5;
    this.imageSize = inp[1];
  }

  /** Decoded, thresholded and NMS-pruned detections, one list per image. Boxes in pixels [x0, y0, x1, y1]. */
  detect(images: Tensor, options: DetectOptions = {}): Detection[][] {
    const opts = checkOptions('detect', options, DETECT_SPEC);
    const threshold = opts.scoreThreshold ?? 0.5;
    const raw = this.model.predict(images, { batchSize: opts.batchSize ?? 64 }) as Tensor;
    const p = noGrad(() => yoloActivate(raw)).dataSync();
    const [n] = raw.shape;
    const S = this.grid, d = 5 + this.classes, cell = this.imageSize / S;
    const result: Detection[][] = [];
    for (let i = 0; i < n; i++) {
      const found: Detection[] = [];
      for (let gy = 0; gy < S; gy++) for (let gx = 0; gx < S; gx++) {
        const o = ((i * S + gy) * S + gx) * d;
        let label = 0;
        for (let k = 1; k < this.classes; k++) if (p[o + 5 + k] > p[o + 5 + label]) label = k;
        const score = p[o] * p[o + 5 + label];
        if (score < threshold) continue;
        const cx = (gx + p[o + 1]) * cell, cy = (gy + p[o + 2]) * cell;
        const w = p[o + 3] * this.imageSize, h = p[o + 4] * this.imageSize;
        found.push({ box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], label, score });
      }
      result.push(nonMaxSuppression(found, { iouThreshold: opts.iouThreshold ?? 0.5, maxDetections: opts.maxDetections ?? 100 }));
    }
    return result;
  }
}

/**
 * Load a detector saved by `hebb train digit-scenes --out DIR` (a model directory). Only the
 * network is needed to detect, so the training config (whose loss is a custom function) is not
 * restored; to train further, use hb.loadModel(dir, { customObjects: { yoloLoss } }).
 */
export async function loadDetector(dir: string): Promise<Detector> {
  return new Detector(await loadModel(dir, { compile: false }));
}

/**
 * The deck's convolutional sliding window: a classifier's Flatten → Dense layers become
 * convolutions (the first Dense over an h×w×c map is an h×w conv with its kernel reshaped to
 * [h, w, c, units]; later Dense layers are 1×1 convs), so the network runs over a larger image in
 * one pass and gives a class map, one prediction per window position (stride = the product of
 * the pooling strides). Dropout layers are dropped (inference). The new model shares nothing
 * with the old: weights are copied.
 */
export function convolutionalize(classifier: Model, inputShape: readonly (number | null)[] = [null, null, classifier.inputs[0].shape[3] ?? 1]): Model {
  const op = 'zoo.convolutionalize';
  const layers = classifier.layers;
  const x = input({ shape: inputShape, name: 'image' });
  let h = x;
  let mapShape: readonly (number | null)[] | null = null;
  let first = true;
  for (const layer of layers) {
    const cls = layer.className;
    if (cls === 'InputLayer' || cls === 'Dropout') continue;
    if (cls === 'Flatten') {
      const fin = layer.input;
      mapShape = Array.isArray(fin) ? null : fin.shape;
      continue;
    }
    if (cls === 'Dense') {
      if (!mapShape) throw new ValueError(`${op}: Dense layer '${layer.name}' does not follow a Flatten of a feature map`);
      const [kernel, bias] = layer.getWeights();
      const units = kernel.shape[1];
      const [kh, kw, c] = first ? (mapShape.slice(1) as number[]) : [1, 1, kernel.shape[0]];
      const config = layer.getConfig();
      const conv = nn.conv2d({ name: `${layer.name}_conv`, filters: units, kernelSize: [kh, kw], activation: config.activation as 'relu' });
      h = conv.apply(h);
      conv.setWeights([kernel.reshape([kh, kw, c, units]), bias]);
      first = false;
      continue;
    }
    if (mapShape) throw new ValueError(`${op}: layer '${layer.name}' (${cls}) after Flatten cannot be turned into a convolution`);
    // Feature layers (conv, pool, activation, batch norm) are rebuilt from their config and weights.
    const ctor = (layer.constructor as unknown as { fromConfig(c: unknown): typeof layer });
    const { batchInputShape: _b, ...config } = layer.getConfig();
    const copy = ctor.fromConfig({ ...config, name: `${layer.name}_copy` });
    h = copy.apply(h);
    copy.setWeights(layer.getWeights());
  }
  if (first) throw new ValueError(`${op}: the classifier has no Flatten → Dense part to convolutionalize`);
  return model({ inputs: x, outputs: h, name: `${classifier.name}_fully_convolutional` });
}
