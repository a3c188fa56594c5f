// Shared helpers of hb.explain and hb.adversarial: run a model on concrete tensors inside a
// gradient computation, and pick a layer's symbolic output.
import { ValueError } from '../base/index.js';
import { Model } from '../model/index.js';
import { type Layer, SymbolicTensor } from '../nn/index.js';
import { Tensor } from '../tensor/index.js';

/** The model's (first) output on `x`, in inference mode (dropout off, batch-norm statistics fixed). */
export function forward(model: Model, x: Tensor): Tensor {
  const out = model.apply(x, { training: false });
  return Array.isArray(out) ? out[0] : out;
}

export function checkModel(op: string, model: unknown): Model {
  if (!(model instanceof Model)) throw new ValueError(`${op}: expected a model (hb.sequential or hb.model), got ${typeof model}`);
  if (model.inputs.length !== 1) {
    throw new ValueError(`${op}: needs a model with one known input; this one has ${model.inputs.length} (build a Sequential first: give it an inputShape or call model.build([null, …]))`);
  }
  return model;
}

export function checkImages(op: string, x: unknown, model: Model): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: x must be a Tensor, got ${typeof x}`);
  const want = model.inputs[0].shape;
  if (x.rank !== want.length || want.some((d, i) => d !== null && d !== x.shape[i])) {
    throw new ValueError(`${op}: model '${model.name}' takes inputs of shape [${want.map((d) => d ?? 'null').join(', ')}], got [${x.shape.join(', ')}]`);
  }
  return x.dtype === 'float32' || x.dtype === 'float64' ? x : x.cast('float32');
}

/** The layer named (or at index) `which` in `model`, and its single symbolic output. */
export function layerOutput(op: string, model: Model, which: string | number | Layer): { layer: Layer; output: SymbolicTensor } {
  const layer = typeof which === 'string' || typeof which === 'number' ? model.getLayer(which) : which;
  const out = layer.output;
  if (!(out instanceof SymbolicTensor)) throw new ValueError(`${op}: layer '${layer.name}' has ${out.length} outputs; pick a single-output layer`);
  return { layer, output: out };
}

/** A model from `model`'s input to the given layers' outputs (sharing weights). */
export function extractor(op: string, model: Model, layers: readonly (string | number | Layer)[]): Model {
  const outputs = layers.map((l) => layerOutput(op, model, l).output);
  return new Model({ inputs: model.inputs, outputs, name: `${model.name}_features` });
}
