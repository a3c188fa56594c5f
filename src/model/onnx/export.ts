// hebb model → ONNX graph. Each layer call of the model's graph becomes a few ONNX nodes; the
// weights become initializers, transposed into ONNX's layouts once, at export time.
//
// Layout. hebb is channels-last ([N, H, W, C]); ONNX's Conv, pooling and BatchNormalization
// want channels-first ([N, C, H, W]). Every value carries the layout it is stored in ('cl' or
// 'cf'); a layer asks for the layout it needs and a Transpose is inserted only when the value is
// in the other one (and only once per value). Layout-neutral layers (activations, merges,
// dropout, padding, up-sampling) keep whatever they get, so a CNN is transposed once at its
// input and once where it leaves the channels-first world. A Flatten of a channels-first value
// followed by a Dense is folded into the Dense's weights (its rows are permuted from the
// channels-last flattening order (h, w, c) to the channels-first one (c, h, w)), so no
// Transpose is needed there. The model's inputs and outputs keep hebb's channels-last shapes,
// with a dynamic batch dimension.
import { ValueError } from '../../base/index.js';
import { ONNX_FLOAT, ONNX_INT32, type ValueInfoProto, encodeModel, irVersionFor, onnx } from '../../io/onnx/index.js';
import type { Layer, LayerNode, Shape, SymbolicTensor, Variable } from '../../nn/index.js';
import { concat, reshape, split, transpose } from '../../ops/index.js';
import { noGrad, ones, type Tensor, zeros } from '../../tensor/index.js';
import { InputLayer } from '../input-layer.js';
import { Model } from '../model.js';
import { type AttrValue, GraphBuilder } from './builder.js';

export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
/** The default opset: the newest this exporter writes, which onnxruntime 1.30 (node and web) runs. */
export const DEFAULT_OPSET = 21;

type Layout = 'cl' | 'cf';

/** A value of the ONNX graph standing for one hebb tensor. */
interface Val {
  name: string;
  /** The hebb (channels-last) shape, batch axis first and possibly null. */
  shape: Shape;
  layout: Layout;
  /** Set on a Flatten of a channels-first value: the value it flattened (in 'cf' order). */
  flatOf?: Val;
  /** Conversions already emitted, by layout. */
  alt: Partial<Record<Layout, string>>;
  /** ONNX element type (FLOAT unless an integer model input). */
  elemType: number;
}

const rankOf = (v: Val): number => v.shape.length;
/** cl → cf: [0, r−1, 1, …, r−2]. */
const toCfPerm = (r: number): number[] => [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
/** cf → cl: [0, 2, …, r−1, 1]. */
const toClPerm = (r: number): number[] => [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function config<T>(layer: Layer, key: string): T {
  return layer.getConfig()[key] as T;
}

/** A normalisation layer's axis config (a number or a list) as a sorted list of non-negative axes. */
function axesOf(layer: Layer, r: number): number[] {
  const a = layer.getConfig().axis as number | number[];
  return (Array.isArray(a) ? a : [a]).map((v) => (v < 0 ? v + r : v)).sort((p, q) => p - q);
}

/** The layer's weight whose name ends in `/suffix` (hebb names weights `layer/kernel`, …). */
function weightOf(layer: Layer, suffix: string): Variable | null {
  return layer.weights.find((w) => w.name === `${layer.name}/${suffix}`) ?? null;
}

function requireWeight(layer: Layer, suffix: string): Variable {
  const w = weightOf(layer, suffix);
  if (!w) throw new ValueError(`exportOnnx: layer '${layer.name}' (${layer.className}) has no weight '${suffix}' (is it built?)`);
  return w;
}

/** TF/Keras 'same' padding for one axis: total = max((⌈n/s⌉ − 1)·s + (k − 1)·d + 1 − n, 0), the extra one at the end. */
function samePads(n: number, k: number, s: number, d: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export class OnnxExporter {
  readonly g = new GraphBuilder();

  constructor(readonly opset: number) {}

  // ---- layouts ----

  /** The value's name in channels-last layout (transposing at most once). */
  cl(v: Val): string {
    if (v.layout === 'cl' || rankOf(v) < 3 && !v.flatOf) return v.name;
    if (v.alt.cl) return v.alt.cl;
    let name: string;
    if (v.flatOf) name = this.g.node('Flatten', [this.cl(v.flatOf)], `${v.name}_nhwc`, { axis: 1 })[0];
    else name = this.g.node('Transpose', [v.name], `${v.name}_nhwc`, { perm: toClPerm(rankOf(v)) })[0];
    v.alt.cl = name;
    return name;
  }

  /** The value's name in channels-first layout (rank ≥ 3). */
  cf(v: Val): string {
    if (v.layout === 'cf' || rankOf(v) < 3) return v.name;
    if (v.alt.cf) return v.alt.cf;
    const name = this.g.node('Transpose', [v.name], `${v.name}_nchw`, { perm: toCfPerm(rankOf(v)) })[0];
    v.alt.cf = name;
    return name;
  }

  in(v: Val, layout: Layout): string {
    return layout === 'cl' ? this.cl(v) : this.cf(v);
  }

  /** The ONNX axis of hebb axis `axis` (may be negative) of a rank-r value stored in `layout`. */
  axis(axis: number, r: number, layout: Layout): number {
    const a = axis < 0 ? axis + r : axis;
    if (layout === 'cl' || r < 3) return a;
    return a === 0 ? 0 : a === r - 1 ? 1 : a + 1;
  }

  val(name: string, shape: Shape, layout: Layout, elemType = ONNX_FLOAT): Val {
    return { name, shape: [...shape], layout: shape.length < 3 ? 'cl' : layout, alt: {}, elemType };
  }

  /** A weight transformed once (cached by key) and stored as an initializer. */
  weight(layer: Layer, key: string, make: () => Tensor): string {
    return this.g.weight(`${layer.name}|${key}`, noGrad(make), `${layer.name}/${key}`);
  }

  // ---- activations ----

  /** `activation` applied to ONNX value x; `axis` is the ONNX axis for softmax. */
  activation(name: string, x: string, base: string, axis: number, who: string): string {
    const g = this.g;
    switch (name) {
      case 'linear': return x;
      case 'relu': return g.node('Relu', [x], base)[0];
      case 'relu6': return g.node('Clip', [x, g.floats('zero', [], [0]), g.floats('six', [], [6])], base)[0];
      case 'sigmoid': return g.node('Sigmoid', [x], base)[0];
      case 'tanh': return g.node('Tanh', [x], base)[0];
      case 'softmax': return g.node('Softmax', [x], base, { axis })[0];
      case 'logSoftmax': return g.node('LogSoftmax', [x], base, { axis })[0];
      case 'elu': return g.node('Elu', [x], base, { alpha: { float: 1 } })[0];
      case 'selu': return g.node('Selu', [x], base, { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } })[0];
      case 'softplus': return g.node('Softplus', [x], base)[0];
      case 'softsign': return g.node('Softsign', [x], base)[0];
      case 'swish': return g.node('Mul', [x, g.node('Sigmoid', [x], `${base}_sigmoid`)[0]], base)[0];
      case 'leakyRelu': return g.node('LeakyRelu', [x], base, { alpha: { float: 0.2 } })[0];
      case 'hardSigmoid': return g.node('HardSigmoid', [x], base, { alpha: { float: 0.2 }, beta: { float: 0.5 } })[0];
      case 'gelu': {
        if (this.opset >= 20) return g.node('Gelu', [x], base)[0];
        // ½·x·(1 + erf(x/√2))
        const e = g.node('Erf', [g.node('Mul', [x, g.floats('inv_sqrt2', [], [Math.SQRT1_2])], `${base}_scaled`)[0]], `${base}_erf`)[0];
        const onePlus = g.node('Add', [e, g.floats('one', [], [1])], `${base}_1p`)[0];
        return g.node('Mul', [g.node('Mul', [x, onePlus], `${base}_x`)[0], g.floats('half', [], [0.5])], base)[0];
      }
      default: throw new ValueError(`exportOnnx: ${who}: activation '${name}' has no ONNX form`);
    }
  }

  // ---- the graph ----

  /** Emit a model's graph applied to `inputs`; returns its output values. */
  model(m: Model, inputs: Val[]): Val[] {
    const values = new Map<SymbolicTensor, Val>();
    if (inputs.length !== m.inputs.length) throw new ValueError(`exportOnnx: model '${m.name}' expects ${m.inputs.length} inputs, got ${inputs.length}`);
    m.inputs.forEach((s, i) => values.set(s, inputs[i]));
    for (const node of m.graphNodes) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((s) => {
        const v = values.get(s);
        if (!v) throw new ValueError(`exportOnnx: model '${m.name}': no value for ${s.toString()}`);
        return v;
      });
      const outs = this.layer(node.layer, ins, node);
      node.outputs.forEach((s, i) => values.set(s, outs[i]));
    }
    return m.outputs.map((s) => values.get(s)!);
  }

  /** One layer call. */
  layer(layer: Layer, ins: Val[], node: LayerNode): Val[] {
    const out = (name: string, layout: Layout, i = 0): Val => this.val(name, node.outputs[i].shape, layout);
    const x = ins[0];
    const g = this.g;
    const base = layer.name;
    const who = `layer '${layer.name}' (${layer.className})`;
    const cls = layer.className;
    if (layer instanceof Model) return this.model(layer, ins);
    switch (cls) {
      case 'Dropout': case 'SpatialDropout1D': case 'SpatialDropout2D': case 'SpatialDropout3D':
      case 'GaussianNoise': case 'GaussianDropout': case 'AlphaDropout':
        // Identity at inference: the value passes through, no node.
        return [x];
      case 'Dense': return [this.dense(layer, x, node.outputs[0].shape)];
      case 'Activation': {
        const layout = x.layout;
        const name = this.activation(config<string>(layer, 'activation'), x.flatOf ? this.cl(x) : x.name, base, this.axis(-1, rankOf(x), x.flatOf ? 'cl' : layout), who);
        return [out(name, x.flatOf ? 'cl' : layout)];
      }
      case 'ReLU': {
        const maxValue = config<number | null>(layer, 'maxValue');
        const slope = config<number>(layer, 'negativeSlope');
        const threshold = config<number>(layer, 'threshold');
        if (threshold !== 0) throw new ValueError(`exportOnnx: ${who}: threshold ${threshold} ≠ 0 has no ONNX form`);
        const xin = this.keep(x);
        const capped = maxValue !== null && maxValue !== undefined;
        let y: string;
        // ReLU with a ceiling is Clip(0, max) (ReLU6 as PyTorch writes it); a leaky one is LeakyRelu, then the ceiling.
        if (slope === 0) y = capped ? g.node('Clip', [xin.name, g.floats('zero', [], [0]), g.floats('max', [], [maxValue])], base)[0] : g.node('Relu', [xin.name], base)[0];
        else {
          y = g.node('LeakyRelu', [xin.name], base, { alpha: { float: slope } })[0];
          if (capped) y = g.node('Clip', [y, '', g.floats('max', [], [maxValue])], `${base}_max`)[0];
        }
        return [out(y, xin.layout)];
      }
      case 'LeakyReLU': {
        const xin = this.keep(x);
        return [out(g.node('LeakyRelu', [xin.name], base, { alpha: { float: config<number>(layer, 'negativeSlope') } })[0], xin.layout)];
      }
      case 'ELU': {
        const xin = this.keep(x);
        return [out(g.node('Elu', [xin.name], base, { alpha: { float: config<number>(layer, 'alpha') } })[0], xin.layout)];
      }
      case 'Softmax': {
        const xin = this.keep(x);
        return [out(g.node('Softmax', [xin.name], base, { axis: this.axis(config<number>(layer, 'axis'), rankOf(x), xin.layout) })[0], xin.layout)];
      }
      case 'PReLU': {
        const alpha = this.weight(layer, 'alpha', () => requireWeight(layer, 'alpha').value);
        return [out(g.node('PRelu', [this.cl(x), alpha], base)[0], 'cl')];
      }
      case 'Conv1D': case 'Conv2D': case 'Conv3D': return [this.conv(layer, x, node.outputs[0].shape)];
      case 'Conv1DTranspose': case 'Conv2DTranspose': case 'Conv3DTranspose': return [this.convTranspose(layer, x, node.outputs[0].shape)];
      case 'DepthwiseConv2D': case 'SeparableConv2D': return [this.depthwise(layer, x, node.outputs[0].shape)];
      case 'MaxPooling1D': case 'MaxPooling2D': case 'MaxPooling3D':
      case 'AveragePooling1D': case 'AveragePooling2D': case 'AveragePooling3D':
      case 'SumPooling1D': case 'SumPooling2D': case 'SumPooling3D':
        return [this.pool(layer, x, node.outputs[0].shape)];
      case 'GlobalAveragePooling1D': case 'GlobalAveragePooling2D': case 'GlobalAveragePooling3D':
      case 'GlobalMaxPooling1D': case 'GlobalMaxPooling2D': case 'GlobalMaxPooling3D': {
        const op = cls.startsWith('GlobalAverage') ? 'GlobalAveragePool' : 'GlobalMaxPool';
        const y = g.node(op, [this.cf(x)], base)[0];
        // [N, C, 1, …] is hebb's keepDims [N, 1, …, C] in channels-first; otherwise flatten to [N, C].
        if (config<boolean>(layer, 'keepDims')) return [out(y, 'cf')];
        return [out(g.node('Flatten', [y], `${base}_flat`, { axis: 1 })[0], 'cl')];
      }
      case 'BatchNormalization': return [this.batchNorm(layer, x, node.outputs[0].shape)];
      case 'LayerNormalization': return [this.layerNorm(layer, x, node.outputs[0].shape)];
      case 'LocalResponseNormalization': {
        const r = config<number>(layer, 'depthRadius');
        const size = 2 * r + 1;
        // hebb (TF): x / (bias + α·Σ x²)^β over channels c−r…c+r; ONNX divides α by the window size.
        const y = g.node('LRN', [this.cf(x)], base, {
          size, alpha: { float: config<number>(layer, 'alpha') * size }, beta: { float: config<number>(layer, 'beta') }, bias: { float: config<number>(layer, 'bias') },
        })[0];
        return [out(y, 'cf')];
      }
      case 'Flatten': {
        if (x.layout === 'cf' && rankOf(x) >= 3) {
          const v = out(g.node('Flatten', [x.name], base, { axis: 1 })[0], 'cl');
          v.layout = 'cf';
          v.flatOf = x;
          return [v];
        }
        return [out(g.node('Flatten', [this.cl(x)], base, { axis: 1 })[0], 'cl')];
      }
      case 'Reshape': {
        const target = config<number[]>(layer, 'targetShape');
        return [out(g.node('Reshape', [this.cl(x), g.ints('shape', [0, ...target])], base)[0], 'cl')];
      }
      case 'Permute': {
        const dims = config<number[]>(layer, 'dims');
        return [out(g.node('Transpose', [this.cl(x)], base, { perm: [0, ...dims] })[0], 'cl')];
      }
      case 'RepeatVector': {
        const n = config<number>(layer, 'n');
        const u = g.node('Unsqueeze', [this.cl(x), g.ints('axes', [1])], `${base}_unsq`)[0];
        return [out(g.node('Expand', [u, g.ints('repeat', [1, n, 1])], base)[0], 'cl')];
      }
      case 'Embedding': {
        let idx = this.cl(x);
        if (x.elemType !== ONNX_INT32 && x.elemType !== onnx.TensorProto.DataType.INT64) idx = g.node('Cast', [idx], `${base}_idx`, { to: onnx.TensorProto.DataType.INT64 })[0];
        const table = this.weight(layer, 'embeddings', () => requireWeight(layer, 'embeddings').value);
        return [out(g.node('Gather', [table, idx], base, { axis: 0 })[0], 'cl')];
      }
      case 'ZeroPadding1D': case 'ZeroPadding2D': case 'ZeroPadding3D': {
        const xin = this.keep(x);
        const pairs = config<[number, number][]>(layer, 'padding');
        const r = rankOf(x);
        const pads = new Array<number>(2 * r).fill(0);
        pairs.forEach(([b, e], i) => {
          const a = this.axis(i + 1, r, xin.layout);
          pads[a] = b;
          pads[a + r] = e;
        });
        return [out(g.node('Pad', [xin.name, g.ints('pads', pads)], base, { mode: 'constant' })[0], xin.layout)];
      }
      case 'Cropping1D': case 'Cropping2D': case 'Cropping3D': {
        const xin = this.keep(x);
        const pairs = config<[number, number][]>(layer, 'cropping');
        const r = rankOf(x);
        const axes = pairs.map((_, i) => this.axis(i + 1, r, xin.layout));
        const ends = pairs.map(([, e], i) => {
          const n = x.shape[i + 1];
          return n !== null ? n - e : e > 0 ? -e : 2 ** 53;
        });
        const y = g.node('Slice', [xin.name, g.ints('starts', pairs.map(([b]) => b)), g.ints('ends', ends), g.ints('axes', axes)], base)[0];
        return [out(y, xin.layout)];
      }
      case 'UpSampling1D': case 'UpSampling2D': case 'UpSampling3D': {
        const xin = this.keep(x);
        const size = config<number[]>(layer, 'size');
        const r = rankOf(x);
        const scales = new Array<number>(r).fill(1);
        size.forEach((s, i) => (scales[this.axis(i + 1, r, xin.layout)] = s));
        const bilinear = config<string>(layer, 'interpolation') === 'bilinear';
        const attrs: Record<string, AttrValue> = bilinear
          ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }
          : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
        const y = g.node('Resize', [xin.name, '', g.floats('scales', [r], scales)], base, attrs)[0];
        return [out(y, xin.layout)];
      }
      case 'Add': case 'Subtract': case 'Multiply': case 'Average': case 'Maximum': case 'Minimum': {
        const layout = this.commonLayout(ins);
        const names = ins.map((v) => this.in(v, layout));
        const op = { Add: 'Sum', Subtract: 'Sub', Multiply: 'Mul', Average: 'Mean', Maximum: 'Max', Minimum: 'Min' }[cls] as string;
        // Binary ops stay binary (Add/Mul read better and import simply); Sum/Mean/Max/Min are variadic.
        const binary = names.length === 2 && (op === 'Sum' || op === 'Mul' || op === 'Sub');
        const y = binary ? g.node(op === 'Sum' ? 'Add' : op, names, base)[0] : op === 'Mul' ? names.slice(1).reduce((a, b, i) => g.node('Mul', [a, b], `${base}_${i}`)[0], names[0]) : g.node(op, names, base)[0];
        return [out(y, layout)];
      }
      case 'Concatenate': {
        const layout = this.commonLayout(ins);
        const names = ins.map((v) => this.in(v, layout));
        const axis = this.axis(config<number>(layer, 'axis'), rankOf(x), layout);
        return [out(g.node('Concat', names, base, { axis })[0], layout)];
      }
      case 'SimpleRNN': case 'LSTM': case 'GRU': return [this.rnn([layer], x, node.outputs[0].shape, base, 'concat')];
      case 'Bidirectional': {
        const [fwd, bwd] = layer.sublayers();
        return [this.rnn([fwd, bwd], x, node.outputs[0].shape, base, config<string>(layer, 'mergeMode'))];
      }
      case 'GraphConv': {
        // Â · (X · W) + b: two MatMuls (X [N, F], Â [N, N]).
        const w = this.weight(layer, 'kernel', () => requireWeight(layer, 'kernel').value);
        let y = g.node('MatMul', [this.cl(ins[1]), g.node('MatMul', [this.cl(x), w], `${base}_xw`)[0]], `${base}_axw`)[0];
        const bias = weightOf(layer, 'bias');
        if (bias) y = g.node('Add', [y, this.weight(layer, 'bias', () => bias.value)], `${base}_bias`)[0];
        const r = node.outputs[0].shape.length;
        return [out(this.activation(config<string>(layer, 'activation'), y, base, r - 1, who), 'cl')];
      }
      case 'PrimaryCaps': {
        // conv2d (numCapsules·capsuleDim channels) + bias → [N, H'·W'·numCapsules, capsuleDim] (channels-last order) → squash.
        const y = this.conv(layer, x, [null, null, null, null], { filters: true });
        const [, , dim] = node.outputs[0].shape as number[];
        const caps = node.outputs[0].shape[1] as number;
        const flat = g.node('Reshape', [this.cl(y), g.ints('shape', [0, caps, dim])], `${base}_capsules`)[0];
        return [out(this.squash(flat, base, 1e-7), 'cl')];
      }
      case 'Capsule': return [out(this.capsule(layer, this.cl(x), base), 'cl')];
      case 'CapsuleLength': {
        // ‖v‖ = sqrt(Σ v² + ε) over the last axis.
        const xin = this.cl(x);
        const sq = g.node('ReduceSum', [g.node('Mul', [xin, xin], `${base}_sq`)[0], g.ints('last', [-1])], `${base}_norm2`, { keepdims: 0 })[0];
        return [out(g.node('Sqrt', [g.node('Add', [sq, g.floats('eps', [], [config<number>(layer, 'epsilon')])], `${base}_eps`)[0]], base)[0], 'cl')];
      }
      case 'CapsuleMask': {
        const v = this.cl(x);
        const [, j, d] = x.shape as number[];
        let mask: string;
        if (ins.length > 1) mask = this.cl(ins[1]);
        else {
          // The longest capsule of each sample, one-hot: ArgMax of Σ v² then OneHot (its choice carries no gradient in hebb either).
          const n2 = g.node('ReduceSum', [g.node('Mul', [v, v], `${base}_sq`)[0], g.ints('last', [-1])], `${base}_norm2`, { keepdims: 0 })[0];
          const best = g.node('ArgMax', [n2], `${base}_argmax`, { axis: -1, keepdims: 0 })[0];
          mask = g.node('OneHot', [best, g.ints('depth', [j], []), g.floats('off_on', [2], [0, 1])], `${base}_onehot`, { axis: -1 })[0];
        }
        const m3 = g.node('Unsqueeze', [mask, g.ints('last', [-1])], `${base}_mask`)[0];
        const y = g.node('Mul', [v, m3], `${base}_masked`)[0];
        return [out(g.node('Reshape', [y, g.ints('shape', [0, j * d])], base)[0], 'cl')];
      }
      case 'TimeDistributed': {
        const inner = layer.sublayers()[0];
        const [, t, ...rest] = x.shape;
        if (t === null || rest.some((d) => d === null)) throw new ValueError(`exportOnnx: ${who}: needs a known sequence length and step shape, got [${x.shape.join(',')}]`);
        // [N, T, …] → [N·T, …] → inner layer → [N, T, …'].
        const flat = this.val(g.node('Reshape', [this.cl(x), g.ints('shape', [-1, ...(rest as number[])])], `${base}_steps`)[0], [null, ...rest], 'cl');
        const innerOutShape = node.outputs[0].shape.slice(2);
        const fakeNode: LayerNode = { layer: inner, inputs: [], outputs: [{ shape: [null, ...innerOutShape] } as SymbolicTensor], callArgs: {} };
        const y = this.layer(inner, [flat], fakeNode)[0];
        return [out(g.node('Reshape', [this.cl(y), g.ints('shape', [-1, t, ...(innerOutShape as number[])])], base)[0], 'cl')];
      }
      default:
        throw new ValueError(`exportOnnx: ${who} cannot be exported to ONNX (no ONNX form for ${cls})`);
    }
  }

  /** A layout-neutral consumer: the value as it is (a folded Flatten is materialised first). */
  private keep(v: Val): { name: string; layout: Layout } {
    if (v.flatOf) return { name: this.cl(v), layout: 'cl' };
    return { name: v.name, layout: v.layout };
  }

  /** The layout a merge works in: the first input's if all share its rank, else channels-last. */
  private commonLayout(ins: Val[]): Layout {
    const r = rankOf(ins[0]);
    if (ins.some((v) => rankOf(v) !== r || v.flatOf)) return 'cl';
    return ins[0].layout;
  }

  private dense(layer: Layer, x: Val, outShape: Shape): Val {
    const g = this.g;
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
      w = this.weight(layer, 'kernel_cf', () => {
        const k = reshape(kernel.value, [...spatial, c, units]);
        const perm = [spatial.length, ...spatial.map((_, i) => i), spatial.length + 1];
        return reshape(transpose(k, perm), [c * prod(spatial), units]);
      });
    } else {
      input = this.cl(x);
      w = this.weight(layer, 'kernel', () => kernel.value);
    }
    let y: string;
    const b = bias ? this.weight(layer, 'bias', () => bias.value) : null;
    if (outShape.length === 2) {
      y = g.node('Gemm', b ? [input, w, b] : [input, w], `${layer.name}_gemm`)[0];
    } else {
      y = g.node('MatMul', [input, w], `${layer.name}_matmul`)[0];
      if (b) y = g.node('Add', [y, b], `${layer.name}_bias`)[0];
    }
    y = this.activation(config<string>(layer, 'activation'), y, layer.name, outShape.length - 1, `layer '${layer.name}'`);
    return this.val(y, outShape, 'cl');
  }

  /** Explicit pads for each spatial axis (TF 'same' / 'valid' / 'causal'), or SAME_UPPER when a size is unknown. */
  private pads(x: Val, padding: string, kernel: number[], strides: number[], dilation: number[]): { pads?: number[]; auto_pad?: string } {
    const spatial = x.shape.slice(1, -1);
    if (padding === 'valid') return { pads: new Array<number>(2 * spatial.length).fill(0) };
    if (padding === 'causal') return { pads: [(kernel[0] - 1) * dilation[0], 0] };
    if (spatial.some((n) => n === null)) return { auto_pad: 'SAME_UPPER' };
    const pairs = spatial.map((n, i) => samePads(n as number, kernel[i], strides[i], dilation[i]));
    return { pads: [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])] };
  }

  private finishConv(layer: Layer, y: string, outShape: Shape): Val {
    const name = this.activation(config<string>(layer, 'activation'), y, layer.name, 1, `layer '${layer.name}'`);
    return this.val(name, outShape, 'cf');
  }

  /** squash(s) = s · ‖s‖² / ((1 + ‖s‖²) · sqrt(‖s‖² + ε)) over the last axis (src/nn/layers/capsule.ts). */
  private squash(s: string, base: string, eps: number): string {
    const g = this.g;
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
  private capsule(layer: Layer, u: string, base: string): string {
    const g = this.g;
    const kernel = requireWeight(layer, 'kernel');
    const [inCaps, J, D, inDim] = kernel.shape;
    const routings = config<number>(layer, 'routings');
    const w = this.weight(layer, 'kernel', () => reshape(kernel.value, [inCaps, J * D, inDim]));
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
      v = this.squash(s, `${base}_v${r}`, 1e-7);
      if (r < routings - 1) {
        const agree = g.node('ReduceSum', [g.node('Mul', [uHat, g.node('Unsqueeze', [v, g.ints('axis1', [1])], `${base}_v${r}_4d`)[0]], `${base}_uv${r}`)[0], g.ints('axis3', [3])], `${base}_a${r}`, { keepdims: 0 })[0];
        b = r === 0 ? agree : g.node('Add', [b, agree], `${base}_b${r + 1}`)[0];
      }
    }
    return v;
  }

  private conv(layer: Layer, x: Val, outShape: Shape, primaryCaps?: { filters: true }): Val {
    const k = config<number[]>(layer, 'kernelSize');
    const r = k.length;
    const strides = config<number[]>(layer, 'strides');
    const dilations = primaryCaps ? k.map(() => 1) : config<number[]>(layer, 'dilationRate');
    const kernel = requireWeight(layer, 'kernel');
    // hebb [...k, C/groups, F] → ONNX [F, C/groups, ...k].
    const w = this.weight(layer, 'kernel', () => transpose(kernel.value, [r + 1, r, ...k.map((_, i) => i)]));
    const bias = weightOf(layer, 'bias');
    const inputs = [this.cf(x), w];
    if (bias) inputs.push(this.weight(layer, 'bias', () => bias.value));
    const y = this.g.node('Conv', inputs, `${layer.name}_conv`, {
      kernel_shape: k, strides, dilations, group: primaryCaps ? 1 : config<number>(layer, 'groups'),
      ...this.pads(x, config<string>(layer, 'padding'), k, strides, dilations),
    })[0];
    if (primaryCaps) return this.val(y, outShape, 'cf');
    return this.finishConv(layer, y, outShape);
  }

  private convTranspose(layer: Layer, x: Val, outShape: Shape): Val {
    const k = config<number[]>(layer, 'kernelSize');
    const r = k.length;
    const strides = config<number[]>(layer, 'strides');
    const dilations = config<number[]>(layer, 'dilationRate');
    const padding = config<string>(layer, 'padding');
    const kernel = requireWeight(layer, 'kernel');
    // hebb [...k, F, C] → ONNX [C, F, ...k] (ConvTranspose's W is [in, out/group, ...k]).
    const w = this.weight(layer, 'kernel', () => transpose(kernel.value, [r + 1, r, ...k.map((_, i) => i)]));
    const begins: number[] = [];
    const ends: number[] = [];
    const outputPadding: number[] = [];
    for (let i = 0; i < r; i++) {
      const n = x.shape[i + 1];
      const o = outShape[i + 1];
      if (n === null || o === null) throw new ValueError(`exportOnnx: layer '${layer.name}' (${layer.className}) needs known spatial sizes, got input [${x.shape.join(',')}]`);
      const keff = (k[i] - 1) * dilations[i] + 1;
      // The forward convolution this is the transpose of maps o → n; its padding P is ours.
      const total = padding === 'same' ? Math.max((n - 1) * strides[i] + keff - o, 0) : 0;
      begins.push(Math.floor(total / 2));
      ends.push(total - Math.floor(total / 2));
      outputPadding.push(o - (strides[i] * (n - 1) + keff - total));
    }
    if (outputPadding.some((p) => p < 0)) throw new ValueError(`exportOnnx: layer '${layer.name}' (${layer.className}): output size has no ONNX ConvTranspose form`);
    const bias = weightOf(layer, 'bias');
    const inputs = [this.cf(x), w];
    if (bias) inputs.push(this.weight(layer, 'bias', () => bias.value));
    const y = this.g.node('ConvTranspose', inputs, `${layer.name}_convT`, {
      kernel_shape: k, strides, dilations, pads: [...begins, ...ends], output_padding: outputPadding.some((p) => p > 0) ? outputPadding : undefined,
    })[0];
    return this.finishConv(layer, y, outShape);
  }

  private depthwise(layer: Layer, x: Val, outShape: Shape): Val {
    const k = config<number[]>(layer, 'kernelSize');
    const strides = config<number[]>(layer, 'strides');
    const dilations = config<number[]>(layer, 'dilationRate');
    const dk = requireWeight(layer, 'depthwise_kernel');
    const [kh, kw, c, m] = dk.shape;
    // [kh, kw, C, m] → [C·m, 1, kh, kw]: output channel c·m + j is filter j of channel c, group = C.
    const w = this.weight(layer, 'depthwise_kernel', () => transpose(reshape(dk.value, [kh, kw, 1, c * m]), [3, 2, 0, 1]));
    const separable = layer.className === 'SeparableConv2D';
    const bias = weightOf(layer, 'bias');
    const inputs = [this.cf(x), w];
    if (bias && !separable) inputs.push(this.weight(layer, 'bias', () => bias.value));
    let y = this.g.node('Conv', inputs, `${layer.name}_depthwise`, {
      kernel_shape: k, strides, dilations, group: c, ...this.pads(x, config<string>(layer, 'padding'), k, strides, dilations),
    })[0];
    if (separable) {
      const pk = requireWeight(layer, 'pointwise_kernel');
      const pw = this.weight(layer, 'pointwise_kernel', () => transpose(pk.value, [3, 2, 0, 1]));
      const pin = [y, pw];
      if (bias) pin.push(this.weight(layer, 'bias', () => bias.value));
      y = this.g.node('Conv', pin, `${layer.name}_pointwise`, { kernel_shape: [1, 1] })[0];
    }
    return this.finishConv(layer, y, outShape);
  }

  private pool(layer: Layer, x: Val, outShape: Shape): Val {
    const k = config<number[]>(layer, 'poolSize');
    const strides = config<number[]>(layer, 'strides');
    const pads = this.pads(x, config<string>(layer, 'padding'), k, strides, k.map(() => 1));
    const cls = layer.className;
    let y: string;
    if (cls.startsWith('Max')) y = this.g.node('MaxPool', [this.cf(x)], layer.name, { kernel_shape: k, strides, ...pads })[0];
    else if (cls.startsWith('Average')) y = this.g.node('AveragePool', [this.cf(x)], layer.name, { kernel_shape: k, strides, count_include_pad: 0, ...pads })[0];
    else {
      // Sum pooling: the mean over the whole window (zeros included) times its size.
      const avg = this.g.node('AveragePool', [this.cf(x)], `${layer.name}_mean`, { kernel_shape: k, strides, count_include_pad: 1, ...pads })[0];
      y = this.g.node('Mul', [avg, this.g.floats('window', [], [prod(k)])], layer.name)[0];
    }
    return this.val(y, outShape, 'cf');
  }

  private batchNorm(layer: Layer, x: Val, outShape: Shape): Val {
    const r = rankOf(x);
    const axes = axesOf(layer, r);
    if (axes.length !== 1 || axes[0] !== r - 1) throw new ValueError(`exportOnnx: layer '${layer.name}' (BatchNormalization): only the channel axis (-1) exports, got axis ${JSON.stringify(config(layer, 'axis'))}`);
    const mean = requireWeight(layer, 'moving_mean');
    const c = mean.shape[0];
    const param = (key: string, fill: number): string => {
      const v = weightOf(layer, key);
      return this.weight(layer, key, () => (v ? v.value : fill === 1 ? ones([c]) : zeros([c])));
    };
    const xin = x.flatOf ? this.cl(x) : this.cf(x);
    const y = this.g.node('BatchNormalization', [xin, param('gamma', 1), param('beta', 0), param('moving_mean', 0), param('moving_variance', 1)], layer.name, {
      epsilon: { float: config<number>(layer, 'epsilon') },
      // Same meaning in both: moving = moving·momentum + batch·(1 − momentum); kept for re-import and training.
      momentum: { float: config<number>(layer, 'momentum') },
    })[0];
    return this.val(y, outShape, 'cf');
  }

  private layerNorm(layer: Layer, x: Val, outShape: Shape): Val {
    const g = this.g;
    const r = rankOf(x);
    const axes = axesOf(layer, r);
    const first = axes[0];
    if (axes.some((a, i) => a !== first + i) || axes[axes.length - 1] !== r - 1 || first === 0) {
      throw new ValueError(`exportOnnx: layer '${layer.name}' (LayerNormalization): only trailing axes export, got axis ${JSON.stringify(config(layer, 'axis'))}`);
    }
    const featShape = x.shape.slice(first) as number[];
    const param = (key: string, fill: number): string => {
      const v = weightOf(layer, key);
      return this.weight(layer, key, () => (v ? reshape(v.value, featShape) : fill === 1 ? ones(featShape) : zeros(featShape)));
    };
    const eps = config<number>(layer, 'epsilon');
    const xin = this.cl(x);
    if (this.opset >= 17) {
      return this.val(g.node('LayerNormalization', [xin, param('gamma', 1), param('beta', 0)], layer.name, { axis: first, epsilon: { float: eps } })[0], outShape, 'cl');
    }
    // (x − μ) / √(σ² + ε) · γ + β with μ, σ² over the trailing axes (ReduceMean takes axes as an attribute before opset 18).
    const ax = axes;
    const mu = g.node('ReduceMean', [xin], `${layer.name}_mean`, { axes: ax, keepdims: 1 })[0];
    const d = g.node('Sub', [xin, mu], `${layer.name}_centered`)[0];
    const v = g.node('ReduceMean', [g.node('Mul', [d, d], `${layer.name}_sq`)[0]], `${layer.name}_var`, { axes: ax, keepdims: 1 })[0];
    const sd = g.node('Sqrt', [g.node('Add', [v, g.floats('eps', [], [eps])], `${layer.name}_veps`)[0]], `${layer.name}_std`)[0];
    const n = g.node('Div', [d, sd], `${layer.name}_norm`)[0];
    const y = g.node('Add', [g.node('Mul', [n, param('gamma', 1)], `${layer.name}_scaled`)[0], param('beta', 0)], layer.name)[0];
    return this.val(y, outShape, 'cl');
  }

  /**
   * SimpleRNN/LSTM/GRU (one layer) or a Bidirectional pair as one ONNX RNN/LSTM/GRU node.
   * ONNX: X [T, N, F]; W [dirs, G·u, F]; R [dirs, G·u, u]; B [dirs, 2·G·u] (input then
   * recurrent bias); Y [T, dirs, N, u]; Y_h [dirs, N, u]. Gate orders: LSTM ONNX i, o, f, c
   * (hebb i, f, c, o); GRU z, r, h in both.
   */
  private rnn(layers: Layer[], x: Val, outShape: Shape, base: string, mergeMode: string): Val {
    const g = this.g;
    const first = layers[0];
    const cls = first.className;
    const cfg = first.getConfig();
    const u = cfg.units as number;
    const who = `layer '${base}' (${layers.length > 1 ? 'Bidirectional' : cls})`;
    const returnSequences = cfg.returnSequences as boolean;
    const gates = cls === 'LSTM' ? 4 : cls === 'GRU' ? 3 : 1;
    const onnxName = (a: string): string => {
      const m: Record<string, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu' };
      if (!(a in m)) throw new ValueError(`exportOnnx: ${who}: activation '${a}' has no ONNX recurrent form (sigmoid, tanh, relu)`);
      return m[a];
    };
    const act = onnxName(cfg.activation as string);
    const activations = cls === 'SimpleRNN' ? [act] : [onnxName(cfg.recurrentActivation as string), act, ...(cls === 'LSTM' ? [act] : [])];
    const reorder = (t: Tensor): Tensor => {
      // columns in hebb gate order → rows in ONNX gate order, transposed: [in, G·u] → [G·u, in].
      if (cls !== 'LSTM') return transpose(t, [1, 0]);
      const [i, f, c, o] = split(t, 4, 1);
      return transpose(concat([i, o, f, c], 1), [1, 0]);
    };
    const reorderBias = (t: Tensor): Tensor => {
      if (cls !== 'LSTM') return t;
      const [i, f, c, o] = split(t, 4, 0);
      return concat([i, o, f, c], 0);
    };
    const key = layers.map((l) => l.name).join('+');
    const W = this.weight(first, `onnx_W_${key}`, () => concat(layers.map((l) => reshape(reorder(requireWeight(l, 'kernel').value), [1, gates * u, -1])), 0));
    const R = this.weight(first, `onnx_R_${key}`, () => concat(layers.map((l) => reshape(reorder(requireWeight(l, 'recurrent_kernel').value), [1, gates * u, u])), 0));
    const hasBias = cfg.useBias as boolean;
    const B = hasBias
      ? this.weight(first, `onnx_B_${key}`, () => concat(layers.map((l) => {
        const b = requireWeight(l, 'bias').value;
        // GRU resetAfter keeps [input; recurrent] biases [2, 3u]; the others add zeros for R's bias.
        const both = b.rank === 2 ? reshape(b, [2 * gates * u]) : concat([reorderBias(b), zeros([gates * u])], 0);
        return reshape(both, [1, 2 * gates * u]);
      }), 0))
      : '';
    const bidirectional = layers.length === 2;
    const backwards = !bidirectional && (cfg.goBackwards as boolean);
    const attrs: Record<string, AttrValue | undefined> = {
      hidden_size: u,
      direction: bidirectional ? 'bidirectional' : backwards ? 'reverse' : 'forward',
      activations: undefined,
      linear_before_reset: cls === 'GRU' ? (cfg.resetAfter ? 1 : 0) : undefined,
    };
    const X = g.node('Transpose', [this.cl(x)], `${base}_time_major`, { perm: [1, 0, 2] })[0];
    const op = cls === 'SimpleRNN' ? 'RNN' : cls;
    const outs = [g.fresh(`${base}_Y`), g.fresh(`${base}_Y_h`)];
    const dirs = bidirectional ? 2 : 1;
    const nodeInputs = [X, W, R, B].filter((s, i) => i < 3 || s !== '');
    const onnxActs = bidirectional ? [...activations, ...activations] : activations;
    g.node(op, nodeInputs, outs, { ...attrs });
    // Activations are always written: the defaults differ between ops and runtimes are strict.
    const last = g.nodes[g.nodes.length - 1];
    last.attribute!.push({ name: 'activations', type: onnx.AttributeProto.AttributeType.STRINGS, strings: onnxActs.map((a) => new TextEncoder().encode(a)) });
    const [Y, Yh] = outs;
    if (returnSequences) {
      // [T, dirs, N, u] → [N, T, dirs, u] → [N, T, dirs·u] (concat) or merged over dirs.
      let y = g.node('Transpose', [Y], `${base}_batch_major`, { perm: [2, 0, 1, 3] })[0];
      if (backwards) {
        // hebb returns goBackwards outputs in processing order (reversed in time); ONNX in time order.
        y = g.node('Slice', [y, g.ints('rev_start', [-1]), g.ints('rev_end', [-(2 ** 53)]), g.ints('axis1', [1]), g.ints('step_back', [-1])], `${base}_reversed`)[0];
      }
      return this.val(this.mergeDirs(y, 2, dirs, u, mergeMode, base), outShape, 'cl');
    }
    const h = g.node('Transpose', [Yh], `${base}_h`, { perm: [1, 0, 2] })[0];
    return this.val(this.mergeDirs(h, 1, dirs, u, mergeMode, base), outShape, 'cl');
  }

  /** Merge the directions axis `axis` of y: concat (reshape), sum, mul or ave. */
  private mergeDirs(y: string, axis: number, dirs: number, u: number, mode: string, base: string): string {
    const g = this.g;
    const lead = new Array<number>(axis).fill(0);
    if (dirs === 1 || mode === 'concat') return g.node('Reshape', [y, g.ints('shape', [...lead, dirs * u])], base)[0];
    const parts = [0, 1].map((d) => g.node('Gather', [y, g.ints(`dir${d}`, [d], [])], `${base}_dir${d}`, { axis })[0]);
    switch (mode) {
      case 'sum': return g.node('Add', parts, base)[0];
      case 'mul': return g.node('Mul', parts, base)[0];
      case 'ave': return g.node('Mean', parts, base)[0];
      default: throw new ValueError(`exportOnnx: layer '${base}' (Bidirectional): mergeMode '${mode}' has no ONNX form`);
    }
  }
}

/** ONNX tensor type of a hebb input. */
function valueInfo(name: string, shape: Shape, elemType: number, dimName: (i: number) => string): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d, i) => (d === null ? { dimParam: dimName(i) } : { dimValue: d })) } } },
  };
}

export interface OnnxExportResult {
  bytes: Uint8Array;
  /** The ONNX operator types used. */
  opTypes: string[];
}

/** Build the ONNX model for `model` at `opset`. */
export function buildOnnx(model: Model, opset: number, producerVersion: string): OnnxExportResult {
  if (!(model instanceof Model)) throw new ValueError('exportOnnx: expected a hebb Model (hb.sequential or hb.model)');
  if (model.inputs.length === 0) throw new ValueError(`exportOnnx: model '${model.name}' is not built; give its input shape (inputShape or hb.input) or call it once`);
  const ex = new OnnxExporter(opset);
  const g = ex.g;
  const inputNames = model.inputNames;
  const inputInfos: ValueInfoProto[] = [];
  const inputs = model.inputs.map((s, i) => {
    const elemType = s.dtype === 'int32' ? ONNX_INT32 : ONNX_FLOAT;
    if (s.dtype !== 'int32' && s.dtype !== 'float32') throw new ValueError(`exportOnnx: input '${inputNames[i]}' has dtype ${s.dtype}; ONNX export supports float32 and int32 inputs`);
    const name = g.reserve(inputNames[i]);
    inputInfos.push(valueInfo(name, s.shape, elemType, (k) => (k === 0 ? 'batch' : `${name}_dim${k}`)));
    return ex.val(name, s.shape, 'cl', elemType);
  });
  const outNames = model.outputNames.map((n) => `${n}_output`);
  outNames.forEach((n) => g.reserve(n));
  const outs = ex.model(model, inputs);
  const outputInfos = outs.map((v, i) => {
    g.node('Identity', [ex.cl(v)], [outNames[i]]);
    return valueInfo(outNames[i], v.shape, ONNX_FLOAT, (k) => (k === 0 ? 'batch' : `${outNames[i]}_dim${k}`));
  });
  const bytes = encodeModel({
    irVersion: irVersionFor(opset),
    producerName: 'hebb',
    producerVersion,
    opsetImport: [{ domain: '', version: opset }],
    graph: { name: model.name, node: g.nodes, initializer: g.initializers, input: inputInfos, output: outputInfos },
  });
  return { bytes, opTypes: [...g.opTypes].sort() };
}
