// Dense and normalisation emitters of the ONNX exporter: Dense (as Gemm or MatMul + Add, folding a
// preceding channels-first Flatten into the weight rows), BatchNormalization and layer
// normalisation. Grouped because they are the per-feature layers whose weights are written as
// initializers mostly unchanged, along the feature axis of whatever layout the input has.
import { ValueError } from '../../base/index.js';
import type { Layer, Shape } from '../../nn/index.js';
import { reshape, transpose } from '../../ops/index.js';
import { ones, zeros } from '../../tensor/index.js';
import { type Val, rankOf, prod, config, axesOf, weightOf, requireWeight } from './export-values.js';
import { type OnnxExporter } from './export.js';

export function emitDense(ex: OnnxExporter, layer: Layer, x: Val, outShape: Shape): Val {
  const g = ex.g;
  const kernel = requireWeight(layer, 'kernel');
  const bias = weightOf(layer, 'bias');
  const units = config<number>(layer, 'units');
  let input: string;
  let w: string;
  const source = x.flatOf;
  if (source) {
    // Fold the channels-last flattening into the kernel: rows (s, c) → (c, s).
    const [, ...rest] = source.shape as number[];
    const c = rest[rest.length - 1];
    const spatial = rest.slice(0, -1);
    input = x.name;
    w = ex.weight(layer, 'kernel_cf', () => {
      const k = reshape(kernel.value, [...spatial, c, units]);
      const perm = [spatial.length, ...spatial.map((_, i) => i), spatial.length + 1];
      return reshape(transpose(k, perm), [c * prod(spatial), units]);
    });
  } else {
    input = ex.cl(x);
    w = ex.weight(layer, 'kernel', () => kernel.value);
  }
  let y: string;
  const b = bias ? ex.weight(layer, 'bias', () => bias.value) : null;
  if (outShape.length === 2) {
    y = g.node('Gemm', b ? [input, w, b] : [input, w], `${layer.name}_gemm`)[0];
  } else {
    y = g.node('MatMul', [input, w], `${layer.name}_matmul`)[0];
    if (b) y = g.node('Add', [y, b], `${layer.name}_bias`)[0];
  }
  y = ex.activation(config<string>(layer, 'activation'), y, layer.name, outShape.length - 1, `layer '${layer.name}'`);
  return ex.val(y, outShape, 'cl');
}

export function emitBatchNorm(ex: OnnxExporter, layer: Layer, x: Val, outShape: Shape): Val {
  const r = rankOf(x);
  const axes = axesOf(layer, r);
  if (axes.length !== 1 || axes[0] !== r - 1) throw new ValueError(`exportOnnx: layer '${layer.name}' (BatchNormalization): only the channel axis (-1) exports, got axis ${JSON.stringify(config(layer, 'axis'))}`);
  const mean = requireWeight(layer, 'moving_mean');
  const c = mean.shape[0];
  const param = (key: string, fill: number): string => {
    const v = weightOf(layer, key);
    return ex.weight(layer, key, () => (v ? v.value : fill === 1 ? ones([c]) : zeros([c])));
  };
  const xin = x.flatOf ? ex.cl(x) : ex.cf(x);
  const y = ex.g.node('BatchNormalization', [xin, param('gamma', 1), param('beta', 0), param('moving_mean', 0), param('moving_variance', 1)], layer.name, {
    epsilon: { float: config<number>(layer, 'epsilon') },
    // Same meaning in both: moving = moving·momentum + batch·(1 − momentum); kept for re-import and training.
    momentum: { float: config<number>(layer, 'momentum') },
  })[0];
  return ex.val(y, outShape, 'cf');
}

export function emitLayerNorm(ex: OnnxExporter, layer: Layer, x: Val, outShape: Shape): Val {
  const g = ex.g;
  const r = rankOf(x);
  const axes = axesOf(layer, r);
  const first = axes[0];
  if (axes.some((a, i) => a !== first + i) || axes[axes.length - 1] !== r - 1 || first === 0) {
    throw new ValueError(`exportOnnx: layer '${layer.name}' (LayerNormalization): only trailing axes export, got axis ${JSON.stringify(config(layer, 'axis'))}`);
  }
  const featShape = x.shape.slice(first) as number[];
  const param = (key: string, fill: number): string => {
    const v = weightOf(layer, key);
    return ex.weight(layer, key, () => (v ? reshape(v.value, featShape) : fill === 1 ? ones(featShape) : zeros(featShape)));
  };
  const eps = config<number>(layer, 'epsilon');
  const xin = ex.cl(x);
  if (ex.opset >= 17) {
    return ex.val(g.node('LayerNormalization', [xin, param('gamma', 1), param('beta', 0)], layer.name, { axis: first, epsilon: { float: eps } })[0], outShape, 'cl');
  }
  // (x − μ) / √(σ² + ε) · γ + β with μ, σ² over the trailing axes (ReduceMean takes axes as an attribute before opset 18).
  const ax = axes;
  const mu = g.node('ReduceMean', [xin], `${layer.name}_mean`, { axes: ax, keepdims: 1 })[0];
  const d = g.node('Sub', [xin, mu], `${layer.name}_centered`)[0];
  const v = g.node('ReduceMean', [g.node('Mul', [d, d], `${layer.name}_sq`)[0]], `${layer.name}_var`, { axes: ax, keepdims: 1 })[0];
  const sd = g.node('Sqrt', [g.node('Add', [v, g.floats('eps', [], [eps])], `${layer.name}_veps`)[0]], `${layer.name}_std`)[0];
  const n = g.node('Div', [d, sd], `${layer.name}_norm`)[0];
  const y = g.node('Add', [g.node('Mul', [n, param('gamma', 1)], `${layer.name}_scaled`)[0], param('beta', 0)], layer.name)[0];
  return ex.val(y, outShape, 'cl');
}
