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
import type { Layer, LayerNode, Shape, SymbolicTensor } from '../../nn/index.js';
import { noGrad, type Tensor } from '../../tensor/index.js';
import { InputLayer } from '../input-layer.js';
import { Model } from '../model.js';
import { type AttrValue, GraphBuilder } from './builder.js';
import { emitSquash, emitCapsule, emitConv, emitConvTranspose, emitDepthwise, emitPool } from './export-conv.js';
import { emitDense, emitBatchNorm, emitLayerNorm } from './export-dense.js';
import { emitRnn } from './export-recurrent.js';
import { type Layout, type Val, rankOf, toCfPerm, toClPerm, config, weightOf, requireWeight } from './export-values.js';

export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
/** The default opset: the newest this exporter writes, which onnxruntime 1.30 (node and web) runs. */
export const DEFAULT_OPSET = 21;

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
      case 'Dense': return [emitDense(this, layer, x, node.outputs[0].shape)];
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
      case 'Conv1D': case 'Conv2D': case 'Conv3D': return [emitConv(this, layer, x, node.outputs[0].shape)];
      case 'Conv1DTranspose': case 'Conv2DTranspose': case 'Conv3DTranspose': return [emitConvTranspose(this, layer, x, node.outputs[0].shape)];
      case 'DepthwiseConv2D': case 'SeparableConv2D': return [emitDepthwise(this, layer, x, node.outputs[0].shape)];
      case 'MaxPooling1D': case 'MaxPooling2D': case 'MaxPooling3D':
      case 'AveragePooling1D': case 'AveragePooling2D': case 'AveragePooling3D':
      case 'SumPooling1D': case 'SumPooling2D': case 'SumPooling3D':
        return [emitPool(this, layer, x, node.outputs[0].shape)];
      case 'GlobalAveragePooling1D': case 'GlobalAveragePooling2D': case 'GlobalAveragePooling3D':
      case 'GlobalMaxPooling1D': case 'GlobalMaxPooling2D': case 'GlobalMaxPooling3D': {
        const op = cls.startsWith('GlobalAverage') ? 'GlobalAveragePool' : 'GlobalMaxPool';
        const y = g.node(op, [this.cf(x)], base)[0];
        // [N, C, 1, …] is hebb's keepDims [N, 1, …, C] in channels-first; otherwise flatten to [N, C].
        if (config<boolean>(layer, 'keepDims')) return [out(y, 'cf')];
        return [out(g.node('Flatten', [y], `${base}_flat`, { axis: 1 })[0], 'cl')];
      }
      case 'BatchNormalization': return [emitBatchNorm(this, layer, x, node.outputs[0].shape)];
      case 'LayerNormalization': return [emitLayerNorm(this, layer, x, node.outputs[0].shape)];
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
      case 'SimpleRNN': case 'LSTM': case 'GRU': return [emitRnn(this, [layer], x, node.outputs[0].shape, base, 'concat')];
      case 'Bidirectional': {
        const [fwd, bwd] = layer.sublayers();
        return [emitRnn(this, [fwd, bwd], x, node.outputs[0].shape, base, config<string>(layer, 'mergeMode'))];
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
        const y = emitConv(this, layer, x, [null, null, null, null], { filters: true });
        const [, , dim] = node.outputs[0].shape as number[];
        const caps = node.outputs[0].shape[1] as number;
        const flat = g.node('Reshape', [this.cl(y), g.ints('shape', [0, caps, dim])], `${base}_capsules`)[0];
        return [out(emitSquash(this, flat, base, 1e-7), 'cl')];
      }
      case 'Capsule': return [out(emitCapsule(this, layer, this.cl(x), base), 'cl')];
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
