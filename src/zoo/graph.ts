// The functional zoo models are written once, against a tiny graph interface, and run two ways:
// on symbolic tensors (hb.input / layer.apply / hb.model: the real model, weights and all) or on
// bare shapes, adding up each layer's parameter count from its configuration. The second is a
// dry run: VGG16's 138 M float32 weights take seconds to initialise, its count takes none.
import { ValueError } from '../base/index.js';
import { input, type Model, model } from '../model/index.js';
import { type Layer, layers as nn, type Shape, type SymbolicTensor } from '../nn/index.js';
import { checkZooArgs, type ZooOptions } from './common.js';

/** A tensor in the graph being described: a symbolic tensor, or in a dry run just its shape. */
export interface Node {
  readonly shape: Shape;
}

/** Connects layers; the zoo's model bodies see only this. */
export interface Graph {
  apply(layer: Layer, inputs: Node | Node[]): Node;
}

/** The real thing: layer.apply on symbolic tensors (builds each layer, allocating its weights). */
export const symbolicGraph: Graph = {
  apply: (layer, inputs) => (Array.isArray(inputs) ? layer.apply(inputs as SymbolicTensor[]) : layer.apply(inputs as SymbolicTensor)),
};

// Layers without weights that the zoo uses; any other class met in a dry run must declare its
// weights (Layer.weightShapes), so a new layer cannot be silently counted as zero.
const WEIGHTLESS = new Set([
  'Activation', 'ReLU', 'Softmax', 'Dropout', 'Flatten', 'Reshape', 'Permute', 'ZeroPadding2D', 'Cropping2D', 'MaxPooling2D', 'AveragePooling2D',
  'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'Add', 'Concatenate', 'Multiply',
]);

/**
 * Trainable and non-trainable parameters of `layer` on inputs of `shapes`, from the weight shapes
 * the layer itself declares (the ones its build() creates), without allocating them.
 */
export function layerParams(layer: Layer, shapes: Shape[]): { trainable: number; frozen: number } {
  const specs = layer.weightShapes(shapes.length === 1 ? shapes[0] : shapes);
  if (specs === null) {
    if (WEIGHTLESS.has(layer.className)) return { trainable: 0, frozen: 0 };
    throw new ValueError(`zoo dry run: no parameter rule for ${layer.className} '${layer.name}' (it declares no weightShapes)`);
  }
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  let trainable = 0;
  let frozen = 0;
  for (const w of specs) {
    if (w.trainable) trainable += size(w.shape);
    else frozen += size(w.shape);
  }
  return { trainable, frozen };
}

/** Counts parameters while passing shapes along (computeOutputShape needs no weights). */
class CountingGraph implements Graph {
  trainable = 0;
  frozen = 0;
  apply(layer: Layer, inputs: Node | Node[]): Node {
    const shapes = (Array.isArray(inputs) ? inputs : [inputs]).map((n) => n.shape);
    const p = layerParams(layer, shapes);
    this.trainable += p.trainable;
    this.frozen += p.frozen;
    return { shape: layer.computeOutputShape(Array.isArray(inputs) ? shapes : shapes[0]) as Shape };
  }
}

/** The options every functional zoo model takes. */
export interface ImageNetOptions extends ZooOptions {
  /** End with the classifier (default true); false returns the last feature maps (Keras `includeTop`). */
  includeTop?: boolean;
}

/** What a model body gets: the graph, its input node, and the options with defaults filled in. */
export type Body<O> = (g: Graph, x: Node, options: O & Required<ImageNetOptions>) => Node;

type Maker<O> = (options?: O) => Model;
const bodies = new WeakMap<object, { name: string; defaults: Required<ImageNetOptions>; body: Body<never>; check?: (o: never) => void }>();

/**
 * A zoo constructor `(options?) => Model` from a body, for [224, 224, 3] inputs and 1000 classes
 * unless told otherwise; `check` validates the model's own options before any layer is made.
 */
export function zooModel<O extends ImageNetOptions>(name: string, body: Body<O>, check?: (o: O & Required<ImageNetOptions>) => void): Maker<O> {
  const full: Required<ImageNetOptions> = { inputShape: [224, 224, 3], classes: 1000, includeTop: true };
  const make = (options?: O): Model => {
    const o = resolve(name, full, options, check);
    const x = input({ shape: [...o.inputShape], name: 'input' });
    const y = body(symbolicGraph, x, o) as SymbolicTensor;
    return model({ inputs: x, outputs: y, name });
  };
  bodies.set(make, { name, defaults: full, body: body as Body<never>, check: check as ((o: never) => void) | undefined });
  return make;
}

function resolve<O extends ImageNetOptions>(name: string, defaults: Required<ImageNetOptions>, options: O | undefined, check?: (o: O & Required<ImageNetOptions>) => void) {
  const o = { ...defaults, ...(options ?? {}) } as O & Required<ImageNetOptions>;
  checkZooArgs(name, o.inputShape, o.classes, 3);
  check?.(o);
  return o;
}

/**
 * Parameter counts of a functional zoo model without building it: `{ total, trainable, outputShape }`,
 * equal to model.countParams(), model.countParams({ trainableOnly: true }) and the output shape.
 */
export function countZooParams<O extends ImageNetOptions>(make: Maker<O>, options?: O): { total: number; trainable: number; outputShape: Shape } {
  const entry = bodies.get(make);
  if (!entry) throw new ValueError('countZooParams: not a functional zoo constructor');
  const o = resolve(entry.name, entry.defaults, options, entry.check as ((o: O & Required<ImageNetOptions>) => void) | undefined);
  const g = new CountingGraph();
  const out = (entry.body as unknown as Body<O>)(g, { shape: [null, ...o.inputShape] }, o);
  return { total: g.trainable + g.frozen, trainable: g.trainable, outputShape: out.shape };
}

export { nn };
