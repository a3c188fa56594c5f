// Convolution and pooling emitters of the ONNX exporter: Conv (and capsule layers built on it),
// ConvTranspose, depthwise Conv and MaxPool/AveragePool, with hebb's 'same' padding written as
// explicit ONNX pads. Grouped because they are the channels-first ops: each asks the exporter
// for its input in 'cf' layout and transposes its kernel into ONNX's [out, in, …] order.
import { ValueError } from '../../base/index.js';
import type { Layer, Shape } from '../../nn/index.js';
import { reshape, transpose } from '../../ops/index.js';
import { type Val, prod, config, weightOf, requireWeight, samePads } from './export-values.js';
import { type OnnxExporter } from './export.js';

/** Explicit pads for each spatial axis (TF 'same' / 'valid' / 'causal'), or SAME_UPPER when a size is unknown. */
export function emitPads(ex: OnnxExporter, x: Val, padding: string, kernel: number[], strides: number[], dilation: number[]): { pads?: number[]; auto_pad?: string } {
  const spatial = x.shape.slice(1, -1);
  if (padding === 'valid') return { pads: new Array<number>(2 * spatial.length).fill(0) };
  if (padding === 'causal') return { pads: [(kernel[0] - 1) * dilation[0], 0] };
  if (spatial.some((n) => n === null)) return { auto_pad: 'SAME_UPPER' };
  const pairs = spatial.map((n, i) => samePads(n as number, kernel[i], strides[i], dilation[i]));
  return { pads: [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])] };
}

export function emitFinishConv(ex: OnnxExporter, layer: Layer, y: string, outShape: Shape): Val {
  const name = ex.activation(config<string>(layer, 'activation'), y, layer.name, 1, `layer '${layer.name}'`);
  return ex.val(name, outShape, 'cf');
}

/** squash(s) = s · ‖s‖² / ((1 + ‖s‖²) · sqrt(‖s‖² + ε)) over the last axis (src/nn/layers/capsule.ts). */
export function emitSquash(ex: OnnxExporter, s: string, base: string, eps: number): string {
  const g = ex.g;
  const n2 = g.node('ReduceSum', [g.node('Mul', [s, s], `${base}_sq`)[0], g.ints('last', [-1])], `${base}_norm2`, { keepdims: 1 })[0];
  const denom = g.node('Mul', [
    g.node('Add', [n2, g.floats('one', [], [1])], `${base}_1p`)[0],
    g.node('Sqrt', [g.node('Add', [n2, g.floats('squash_eps', [], [eps])], `${base}_n2eps`)[0]], `${base}_norm`)[0],
  ], `${base}_denom`)[0];
  return g.node('Mul', [s, g.node('Div', [n2, denom], `${base}_scale`)[0]], `${base}_squash`)[0];
}

/**
 * Capsule layer: û = W·u per (input, output) capsule pair, then routing by agreement unrolled
 * (src/nn/layers/capsule.ts). The first iteration's logits are zero, so its coupling is 1/J.
 */
export function emitCapsule(ex: OnnxExporter, layer: Layer, u: string, base: string): string {
  const g = ex.g;
  const kernel = requireWeight(layer, 'kernel');
  const [inCaps, J, D, inDim] = kernel.shape;
  const routings = config<number>(layer, 'routings');
  const w = ex.weight(layer, 'kernel', () => reshape(kernel.value, [inCaps, J * D, inDim]));
  // [I, J·D, inDim] · [I, inDim, N] → [I, J·D, N] → [N, I, J·D] → [N, I, J, D]
  const ut = g.node('Transpose', [u], `${base}_u_t`, { perm: [1, 2, 0] })[0];
  const prod = g.node('MatMul', [w, ut], `${base}_wu`)[0];
  const uHat = g.node('Reshape', [g.node('Transpose', [prod], `${base}_wu_t`, { perm: [2, 0, 1] })[0], g.ints('shape', [0, inCaps, J, D])], `${base}_uhat`)[0];
  let b = '';
  let v = '';
  for (let r = 0; r < routings; r++) {
    let s: string;
    if (r === 0) {
      s = g.node('Mul', [g.node('ReduceSum', [uHat, g.ints('axis1', [1])], `${base}_s${r}_sum`, { keepdims: 0 })[0], g.floats('inv_j', [], [1 / J])], `${base}_s${r}`)[0];
    } else {
      const c = g.node('Softmax', [b], `${base}_c${r}`, { axis: 2 })[0];
      const cu = g.node('Mul', [g.node('Unsqueeze', [c, g.ints('axis3', [3])], `${base}_c${r}_4d`)[0], uHat], `${base}_cu${r}`)[0];
      s = g.node('ReduceSum', [cu, g.ints('axis1', [1])], `${base}_s${r}`, { keepdims: 0 })[0];
    }
    v = emitSquash(ex, s, `${base}_v${r}`, 1e-7);
    if (r < routings - 1) {
      const agree = g.node('ReduceSum', [g.node('Mul', [uHat, g.node('Unsqueeze', [v, g.ints('axis1', [1])], `${base}_v${r}_4d`)[0]], `${base}_uv${r}`)[0], g.ints('axis3', [3])], `${base}_a${r}`, { keepdims: 0 })[0];
      b = r === 0 ? agree : g.node('Add', [b, agree], `${base}_b${r + 1}`)[0];
    }
  }
  return v;
}

export function emitConv(ex: OnnxExporter, layer: Layer, x: Val, outShape: Shape, primaryCaps?: { filters: true }): Val {
  const k = config<number[]>(layer, 'kernelSize');
  const r = k.length;
  const strides = config<number[]>(layer, 'strides');
  const dilations = primaryCaps ? k.map(() => 1) : config<number[]>(layer, 'dilationRate');
  const kernel = requireWeight(layer, 'kernel');
  // hebb [...k, C/groups, F] → ONNX [F, C/groups, ...k].
  const w = ex.weight(layer, 'kernel', () => transpose(kernel.value, [r + 1, r, ...k.map((_, i) => i)]));
  const bias = weightOf(layer, 'bias');
  const inputs = [ex.cf(x), w];
  if (bias) inputs.push(ex.weight(layer, 'bias', () => bias.value));
  const y = ex.g.node('Conv', inputs, `${layer.name}_conv`, {
    kernel_shape: k, strides, dilations, group: primaryCaps ? 1 : config<number>(layer, 'groups'),
    ...emitPads(ex, x, config<string>(layer, 'padding'), k, strides, dilations),
  })[0];
  if (primaryCaps) return ex.val(y, outShape, 'cf');
  return emitFinishConv(ex, layer, y, outShape);
}

export function emitConvTranspose(ex: OnnxExporter, layer: Layer, x: Val, outShape: Shape): Val {
  const k = config<number[]>(layer, 'kernelSize');
  const r = k.length;
  const strides = config<number[]>(layer, 'strides');
  const dilations = config<number[]>(layer, 'dilationRate');
  const padding = config<string>(layer, 'padding');
  const kernel = requireWeight(layer, 'kernel');
  // hebb [...k, F, C] → ONNX [C, F, ...k] (ConvTranspose's W is [in, out/group, ...k]).
  const w = ex.weight(layer, 'kernel', () => transpose(kernel.value, [r + 1, r, ...k.map((_, i) => i)]));
  const begins: number[] = [];
  const ends: number[] = [];
  const outputPadding: number[] = [];
  for (let i = 0; i < r; i++) {
    const n = x.shape[i + 1];
    const o = outShape[i + 1];
    if (n === null || o === null) throw new ValueError(`exportOnnx: layer '${layer.name}' (${layer.className}) needs known spatial sizes, got input [${x.shape.join(',')}]`);
    const keff = (k[i] - 1) * dilations[i] + 1;
    // The forward convolution ex is the transpose of maps o → n; its padding P is ours.
    const total = padding === 'same' ? Math.max((n - 1) * strides[i] + keff - o, 0) : 0;
    begins.push(Math.floor(total / 2));
    ends.push(total - Math.floor(total / 2));
    outputPadding.push(o - (strides[i] * (n - 1) + keff - total));
  }
  if (outputPadding.some((p) => p < 0)) throw new ValueError(`exportOnnx: layer '${layer.name}' (${layer.className}): output size has no ONNX ConvTranspose form`);
  const bias = weightOf(layer, 'bias');
  const inputs = [ex.cf(x), w];
  if (bias) inputs.push(ex.weight(layer, 'bias', () => bias.value));
  const y = ex.g.node('ConvTranspose', inputs, `${layer.name}_convT`, {
    kernel_shape: k, strides, dilations, pads: [...begins, ...ends], output_padding: outputPadding.some((p) => p > 0) ? outputPadding : undefined,
  })[0];
  return emitFinishConv(ex, layer, y, outShape);
}

export function emitDepthwise(ex: OnnxExporter, layer: Layer, x: Val, outShape: Shape): Val {
  const k = config<number[]>(layer, 'kernelSize');
  const strides = config<number[]>(layer, 'strides');
  const dilations = config<number[]>(layer, 'dilationRate');
  const dk = requireWeight(layer, 'depthwise_kernel');
  const [kh, kw, c, m] = dk.shape;
  // [kh, kw, C, m] → [C·m, 1, kh, kw]: output channel c·m + j is filter j of channel c, group = C.
  const w = ex.weight(layer, 'depthwise_kernel', () => transpose(reshape(dk.value, [kh, kw, 1, c * m]), [3, 2, 0, 1]));
  const separable = layer.className === 'SeparableConv2D';
  const bias = weightOf(layer, 'bias');
  const inputs = [ex.cf(x), w];
  if (bias && !separable) inputs.push(ex.weight(layer, 'bias', () => bias.value));
  let y = ex.g.node('Conv', inputs, `${layer.name}_depthwise`, {
    kernel_shape: k, strides, dilations, group: c, ...emitPads(ex, x, config<string>(layer, 'padding'), k, strides, dilations),
  })[0];
  if (separable) {
    const pk = requireWeight(layer, 'pointwise_kernel');
    const pw = ex.weight(layer, 'pointwise_kernel', () => transpose(pk.value, [3, 2, 0, 1]));
    const pin = [y, pw];
    if (bias) pin.push(ex.weight(layer, 'bias', () => bias.value));
    y = ex.g.node('Conv', pin, `${layer.name}_pointwise`, { kernel_shape: [1, 1] })[0];
  }
  return emitFinishConv(ex, layer, y, outShape);
}

export function emitPool(ex: OnnxExporter, layer: Layer, x: Val, outShape: Shape): Val {
  const k = config<number[]>(layer, 'poolSize');
  const strides = config<number[]>(layer, 'strides');
  const pads = emitPads(ex, x, config<string>(layer, 'padding'), k, strides, k.map(() => 1));
  const cls = layer.className;
  let y: string;
  if (cls.startsWith('Max')) y = ex.g.node('MaxPool', [ex.cf(x)], layer.name, { kernel_shape: k, strides, ...pads })[0];
  else if (cls.startsWith('Average')) y = ex.g.node('AveragePool', [ex.cf(x)], layer.name, { kernel_shape: k, strides, count_include_pad: 0, ...pads })[0];
  else {
    // Sum pooling: the mean over the whole window (zeros included) times its size.
    const avg = ex.g.node('AveragePool', [ex.cf(x)], `${layer.name}_mean`, { kernel_shape: k, strides, count_include_pad: 1, ...pads })[0];
    y = ex.g.node('Mul', [avg, ex.g.floats('window', [], [prod(k)])], layer.name)[0];
  }
  return ex.val(y, outShape, 'cf');
}
