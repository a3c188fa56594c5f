// Looking inside a trained classifier for the report and `hebb evaluate`: test predictions and
// what follows from them (accuracy, loss, confusion matrix, the misclassified digits), and the
// first layer's filters with their feature maps for one digit.
import * as hb from '../src/index.js';
import { CliError } from './errors.js';
import type { ConvLayerView, FirstLayer, Misclassified, SaliencyView, Tile } from './report/index.js';

export type Model = Awaited<ReturnType<typeof hb.loadModel>>;
type Layer = Model['layers'][number];

/**
 * `images` [N, 28, 28, 1] reshaped to what the model takes: images as they are, or flattened
 * vectors [N, 784] for a model whose input is a vector.
 */
export function modelInput(model: Model, images: hb.Tensor): hb.Tensor {
  const shape = model.inputs[0].shape;
  const rest = shape.slice(1);
  const size = images.shape.slice(1).reduce((a, b) => a * b, 1);
  if (rest.some((d) => d === null)) return images;
  const want = (rest as number[]).reduce((a, b) => a * b, 1);
  if (want !== size) throw new CliError(`the model takes inputs of shape [${rest.join(', ')}], which do not hold a ${images.shape.slice(1).join('×')} image`);
  return hb.reshape(images, [images.shape[0], ...(rest as number[])]);
}

export interface TestResults {
  /** Probabilities [N, K] as a flat array. */
  probabilities: Float32Array;
  predictions: Int32Array;
  labels: Int32Array;
  classes: number;
  accuracy: number;
  /** Mean cross-entropy −log p(true class), from the softmax outputs. */
  loss: number;
  /** confusion[actual][predicted]. */
  confusion: number[][];
}

/**
 * Predict `images` [N, …] in batches and score them against int32 `labels` [N]. Computed from the
 * outputs rather than model.evaluate(), so it needs no compiled model and gives the confusion
 * matrix from the same pass.
 */
export function testModel(model: Model, images: hb.Tensor, labels: hb.Tensor, batchSize = 256): TestResults {
  const output = model.predict(images, { batchSize }) as hb.Tensor;
  const classes = output.shape[output.shape.length - 1];
  const probabilities = toProbabilities(output.dataSync() as Float32Array, classes);
  const truth = Int32Array.from(labels.dataSync() as ArrayLike<number>);
  const n = truth.length;
  const predictions = new Int32Array(n);
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
    predictions[i] = best;
    if (best === truth[i]) correct++;
    loss -= Math.log(Math.max(probabilities[i * classes + truth[i]], 1e-7));
  }
  const confusion = hb.metrics.confusionMatrix(labels, hb.tensor(predictions, [n], 'int32'), classes).toArray() as number[][];
  return { probabilities, predictions, labels: truth, classes, accuracy: n > 0 ? correct / n : NaN, loss: n > 0 ? loss / n : NaN, confusion };
}

/**
 * Rows that are not already distributions (a model ending in logits) go through softmax, so
 * the report's confidences and loss mean the same thing for every model.
 */
export function toProbabilities(values: Float32Array, classes: number): Float32Array {
  const rows = values.length / classes;
  let isDistribution = true;
  for (let i = 0; i < rows && isDistribution; i++) {
    let s = 0;
    for (let k = 0; k < classes; k++) {
      const v = values[i * classes + k];
      if (v < -1e-6) isDistribution = false;
      s += v;
    }
    if (Math.abs(s - 1) > 1e-3) isDistribution = false;
  }
  if (isDistribution) return values;
  const out = new Float32Array(values.length);
  for (let i = 0; i < rows; i++) {
    const row = values.subarray(i * classes, (i + 1) * classes);
    const m = Math.max(...row);
    let s = 0;
    for (let k = 0; k < classes; k++) s += (out[i * classes + k] = Math.exp(row[k] - m));
    for (let k = 0; k < classes; k++) out[i * classes + k] /= s;
  }
  return out;
}

/** One image [H, W, 1] of `images` [N, H, W, 1] (or [N, H·W]) as a tile. */
export function imageTile(images: hb.Tensor, index: number): Tile {
  const [, h, w] = images.shape.length === 4 ? images.shape : [0, 28, 28];
  const one = hb.slice(images, [index], [1]);
  return { width: w, height: h, data: one.dataSync() as Float32Array };
}

/** The first `max` misclassified test examples. */
export function misclassified(results: TestResults, images: hb.Tensor, max = 48): Misclassified[] {
  const out: Misclassified[] = [];
  for (let i = 0; i < results.predictions.length && out.length < max; i++) {
    const p = results.predictions[i];
    if (p !== results.labels[i]) {
      out.push({ image: imageTile(images, i), predicted: p, actual: results.labels[i], confidence: results.probabilities[i * results.classes + p], index: i });
    }
  }
  return out;
}

const isConv = (l: Layer) => /^Conv2D$/.test(l.className);
const isDense = (l: Layer) => l.className === 'Dense';

/**
 * The first layer with weights, drawn: a Conv2D's kernels (input channel 0) with its feature
 * maps for `digit` (the layers up to and including it applied in order, so the maps are what the
 * next layer sees); a Dense layer's first `maxUnits` units' input weights as images.
 */
export function firstLayer(model: Model, digit: hb.Tensor, label?: string, maxUnits = 36): FirstLayer | undefined {
  const layers = model.layers;
  const at = layers.findIndex((l) => isConv(l) || isDense(l));
  if (at < 0) return undefined;
  const layer = layers[at];
  const kernel = layer.getWeights()[0];
  if (isConv(layer)) {
    // kernel [kh, kw, cIn, cOut]
    const [kh, kw, cIn, cOut] = kernel.shape;
    const k = kernel.dataSync();
    const filters: Tile[] = Array.from({ length: cOut }, (_, o) => ({
      width: kw, height: kh, data: Float32Array.from({ length: kh * kw }, (_, p) => k[p * cIn * cOut + o]),
    }));
    let x = digit;
    hb.noGrad(() => {
      for (let i = 0; i <= at; i++) x = layers[i].apply(x, { training: false }) as hb.Tensor;
    });
    // x: [1, H, W, cOut] → one tile per channel
    const [, h, w, c] = x.shape;
    const v = x.dataSync();
    const maps: Tile[] = Array.from({ length: c }, (_, ch) => ({
      width: w, height: h, data: Float32Array.from({ length: h * w }, (_, p) => v[p * c + ch]),
    }));
    const input: Tile = { width: digit.shape[2], height: digit.shape[1], data: digit.dataSync() as Float32Array };
    return { name: layer.name, kind: 'conv', filters, featureMaps: { input, maps, label } };
  }
  // Dense after a flatten of [H, W, 1] images: kernel [H·W, units]; each unit's column is an image.
  const [inputs, units] = kernel.shape;
  const side = Math.round(Math.sqrt(inputs));
  if (side * side !== inputs) return undefined;
  const k = kernel.dataSync();
  const filters: Tile[] = Array.from({ length: Math.min(units, maxUnits) }, (_, u) => ({
    width: side, height: side, data: Float32Array.from({ length: inputs }, (_, p) => k[p * units + u]),
  }));
  return { name: layer.name, kind: 'dense', filters };
}

/** [1, H, W, C] → one tile per channel. */
function channelTiles(x: hb.Tensor): Tile[] {
  const [, h, w, c] = x.shape;
  const v = x.dataSync();
  return Array.from({ length: c }, (_, ch) => ({ width: w, height: h, data: Float32Array.from({ length: h * w }, (_, p) => v[p * c + ch]) }));
}

/**
 * Every Conv2D layer of the model: its feature maps for `digit` [1, H, W, 1] and, per filter
 * (at most `maxFilters`), the input that excites it most (hb.explain.activationMaximization).
 */
export function convLayerViews(model: Model, digit: hb.Tensor, { maxFilters = 16, steps = 30 } = {}): ConvLayerView[] {
  const convs = model.layers.filter(isConv);
  if (convs.length === 0 || digit.rank !== 4) return [];
  const maps = hb.explain.featureMaps(model, digit, convs.map((l) => l.name));
  return convs.map((layer, k) => {
    const filters = Math.min(maps[k].shape[3], maxFilters);
    const excitations = Array.from({ length: filters }, (_, f) => {
      const img = hb.explain.activationMaximization(model, { layer: layer.name, filter: f, steps, learningRate: 0.05, regularization: { l2: 0.05, totalVariation: 0.05 }, seed: f });
      return channelTiles(img.reshape([1, ...img.shape]))[0];
    });
    return { name: layer.name, maps: channelTiles(maps[k]), excitations };
  });
}

/** The saliency map of the predicted class for `digit` [1, H, W, 1]. */
export function saliencyView(model: Model, digit: hb.Tensor, label?: string): SaliencyView | undefined {
  if (digit.rank !== 4) return undefined;
  const map = hb.explain.saliency(model, digit);
  const [, h, w] = map.shape;
  return { input: { width: digit.shape[2], height: digit.shape[1], data: digit.dataSync() as Float32Array }, map: { width: w, height: h, data: map.dataSync() as Float32Array }, label };
}
