// ONNX graph → trainable hebb functional model. Each ONNX node becomes a hebb layer (Conv →
// Conv2D, Gemm → Dense, LSTM → LSTM, …) whose weights are the node's initializers, rearranged
// into hebb's layouts.
//
// Layout. A PyTorch graph is channels-first; hebb is channels-last. Each ONNX value is kept as a
// *view* of a hebb tensor H: ONNX = transpose(reshape(H, pre), perm). A channels-first image is
// H [N, H, W, C] with perm [0, 3, 1, 2]; an ONNX LSTM's [T, N, F] input is H [N, T, F] with
// perm [1, 0, 2]; its Y_h [1, N, u] is H [N, u] reshaped to [N, 1, u] and permuted. Transpose,
// Squeeze and Unsqueeze only change the view (no layer); a layer that needs its input in a
// particular order gets it through a Reshape/Permute layer only when the view differs. Constant
// operands are rearranged by the inverse view. Shape arithmetic (Shape → Gather → Concat →
// ConstantOfShape, as PyTorch writes for RNN initial states) is folded at import time.
import { checkOptions, FormatError, HebbError, is } from '../../base/index.js';
import {
  type DecodedTensor, decodeModel, int64ToNumber, onnx, readTensor, type AttributeProto, type NodeProto,
} from '../../io/onnx/index.js';
import { type Layer, layers as L, type SymbolicTensor, type Variable } from '../../nn/index.js';
import { add, concat, mul, reshape, slice, split, transpose } from '../../ops/index.js';
import { noGrad, type Tensor, tensor } from '../../tensor/index.js';
import { input } from '../input-layer.js';
import { Model } from '../model.js';
import { type ElementwiseOp, OnnxElementwise } from './layers.js';

export interface ImportOnnxOptions {
  /** Name of the hebb model (default: the ONNX graph's name). */
  name?: string;
}

/** The ONNX operators the importer understands (default domain). */
export const SUPPORTED_OPS = [
  'Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Sum', 'Mean', 'Max', 'Min',
  'Relu', 'LeakyRelu', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'Softplus', 'Softsign', 'HardSigmoid', 'Clip', 'Softmax', 'LogSoftmax', 'Identity',
  'BatchNormalization', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LRN', 'Flatten', 'Reshape', 'Transpose',
  'Squeeze', 'Unsqueeze', 'Concat', 'LSTM', 'GRU', 'RNN', 'Dropout', 'Pad', 'Resize', 'Slice', 'LayerNormalization', 'Gather',
  'Constant', 'Shape', 'ConstantOfShape', 'Cast',
] as const;
const SUPPORTED = new Set<string>(SUPPORTED_OPS);

/** A view of hebb tensor `sym`: ONNX value = transpose(reshape(sym, pre), perm); pre[0] is the batch axis (null). */
interface View {
  kind: 'tensor';
  sym: SymbolicTensor;
  pre: (number | null)[];
  perm: number[];
}

/** A value folded at import time: a constant, or a shape vector (NaN for the unknown batch size). */
interface Const {
  kind: 'const';
  dims: number[];
  values: Float32Array | Int32Array | Float64Array;
  isInt: boolean;
  /** ConstantOfShape output: an all-`fill` tensor whose shape may be unknown. */
  fill?: number;
}

type Value = View | Const;

const identity = (r: number): number[] => Array.from({ length: r }, (_, i) => i);
const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const invert = (p: readonly number[]): number[] => {
  const q = new Array<number>(p.length);
  p.forEach((v, i) => (q[v] = i));
  return q;
};
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const cfPerm = (r: number): number[] => [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];

class Importer {
  private readonly values = new Map<string, Value>();
  private readonly consumers = new Map<string, NodeProto[]>();
  private readonly usedNames = new Set<string>();
  /** MatMul outputs whose bias Add was folded into the Dense (Add output → its view). */
  private readonly fusedAdds = new Set<NodeProto>();
  private node!: NodeProto;

  constructor(private readonly where: string) {}

  fail(message: string): never {
    const n = this.node;
    throw new FormatError(`${this.where}: ${n ? `node '${n.name || n.output?.[0] || '?'}' (${n.opType}): ` : ''}${message}`);
  }

  // ---- values ----

  onnxShape(v: View): (number | null)[] {
    return v.perm.map((i) => v.pre[i]);
  }

  get(name: string | null | undefined): Value {
    if (!name) this.fail('a required input is missing');
    const v = this.values.get(name);
    if (!v) this.fail(`input '${name}' is not produced before this node (or is not in the graph)`);
    return v;
  }

  tensorIn(i: number): View {
    const v = this.get(this.node.input?.[i]);
    if (v.kind !== 'tensor') this.fail(`input ${i} ('${this.node.input![i]}') must be computed by the graph, not a constant`);
    return v;
  }

  constIn(i: number, what: string): Const {
    const v = this.get(this.node.input?.[i]);
    if (v.kind !== 'const') this.fail(`${what} (input ${i}) must be a constant initializer`);
    if (v.fill !== undefined && v.values.length === 0) this.fail(`${what} has an unknown shape`);
    return v;
  }

  optionalConst(i: number, what: string): Const | null {
    const name = this.node.input?.[i];
    if (!name) return null;
    return this.constIn(i, what);
  }

  set(i: number, v: Value): void {
    const name = this.node.output?.[i];
    if (name) this.values.set(name, v);
  }

  plainView(sym: SymbolicTensor): View {
    return { kind: 'tensor', sym, pre: [...sym.shape], perm: identity(sym.shape.length) };
  }

  /** Does the view's ONNX element order equal the hebb tensor's (unit axes aside)? */
  inHebbOrder(v: View): boolean {
    const onnxAxes = v.perm.filter((k) => v.pre[k] !== 1);
    const pre = v.pre.filter((d) => d !== 1);
    const hs = v.sym.shape.filter((d) => d !== 1);
    return onnxAxes.every((k, i) => i === 0 || onnxAxes[i - 1] < k) && sameList(pre, hs);
  }

  /** A hebb tensor H' with ONNX value = transpose(H', q) (q = identity: H' is the ONNX value itself). */
  materialize(v: View, q: number[], base: string): SymbolicTensor {
    const r = v.perm.length;
    if (q.length !== r) this.fail(`expected a rank-${q.length} input, got rank ${r}`);
    const qinv = invert(q);
    let sym = v.sym;
    if (!sameList(v.pre, v.sym.shape)) {
      if (sameList(q, identity(r)) && this.inHebbOrder(v)) {
        // Same element order: one Reshape (or nothing) gives the ONNX shape.
        return this.reshapeTo(sym, this.onnxShape(v), base);
      }
      if (v.pre[0] !== null) this.fail('cannot bring this value into hebb\'s batch-first layout');
      sym = this.reshapeTo(sym, v.pre, base);
    }
    const s = qinv.map((j) => v.perm[j]);
    if (s[0] !== 0) this.fail(`the batch axis moves (transpose [${s.join(',')}]); hebb keeps the batch axis first`);
    if (sameList(s, identity(r))) return sym;
    return this.apply(L.permute({ dims: s.slice(1), name: this.layerName(`${base}_permute`) }), sym);
  }

  private reshapeTo(sym: SymbolicTensor, shape: (number | null)[], base: string): SymbolicTensor {
    if (shape[0] !== null) this.fail(`the batch axis would be reshaped (to [${shape.join(',')}])`);
    if (sameList(shape, sym.shape)) return sym;
    const target = shape.slice(1).map((d) => (d === null ? -1 : d));
    return this.apply(L.reshape({ targetShape: target, name: this.layerName(`${base}_reshape`) }), sym);
  }

  layerName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'onnx';
    let name = clean;
    for (let i = 1; this.usedNames.has(name); i++) name = `${clean}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  apply(layer: Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
    return (Array.isArray(x) ? layer.apply(x) : layer.apply(x)) as SymbolicTensor;
  }

  /** Put `t` into the layer's weight `suffix` (shapes must match). */
  setWeight(layer: Layer, suffix: string, t: Tensor): void {
    const v: Variable | undefined = layer.weights.find((w) => w.name === `${layer.name}/${suffix}`);
    if (!v) this.fail(`internal: layer '${layer.name}' has no weight '${suffix}'`);
    if (!sameList(v.shape, t.shape)) this.fail(`weight '${suffix}' has shape [${t.shape.join(',')}], the layer needs [${v.shape.join(',')}]`);
    v.assign(t.cast(v.dtype));
  }

  // ---- attributes ----

  attr(name: string): AttributeProto | undefined {
    return this.node.attribute?.find((a) => a.name === name);
  }

  int(name: string, fallback: number): number {
    const a = this.attr(name);
    if (!a) return fallback;
    if (a.i === undefined || a.i === null) this.fail(`attribute ${name} must be an integer`);
    return int64ToNumber(a.i);
  }

  ints(name: string): number[] | null {
    const a = this.attr(name);
    if (!a) return null;
    return (a.ints ?? []).map(int64ToNumber);
  }

  float(name: string, fallback: number): number {
    const a = this.attr(name);
    if (!a) return fallback;
    if (typeof a.f !== 'number') this.fail(`attribute ${name} must be a float`);
    return a.f;
  }

  str(name: string, fallback: string): string {
    const a = this.attr(name);
    if (!a || !a.s) return fallback;
    return new TextDecoder().decode(a.s);
  }

  strings(name: string): string[] | null {
    const a = this.attr(name);
    if (!a) return null;
    return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
  }

  // ---- constants ----

  fromDecoded(t: DecodedTensor): Const {
    return { kind: 'const', dims: t.dims, values: t.values, isInt: t.dtype === 'int32' };
  }

  constTensor(c: Const, shape: readonly number[] = c.dims): Tensor {
    if (prod(shape) !== c.values.length) this.fail(`constant of ${c.values.length} values cannot take shape [${shape.join(',')}]`);
    return tensor(Float32Array.from(c.values), [...shape]);
  }

  intList(c: Const, what: string): number[] {
    const xs = Array.from(c.values, Number);
    if (xs.some((x) => !Number.isInteger(x))) this.fail(`${what} must be known integers, got [${xs.join(',')}]`);
    return xs;
  }

  // ---- the graph ----

  run(bytes: Uint8Array, options: ImportOnnxOptions): Model {
    const proto = decodeModel(bytes, this.where);
    const graph = proto.graph;
    if (!graph) throw new FormatError(`${this.where}: the model has no graph`);
    const opsets = proto.opsetImport ?? [];
    const defaultOpset = opsets.find((o) => !o.domain || o.domain === 'ai.onnx');
    const opset = defaultOpset ? int64ToNumber(defaultOpset.version) : 0;
    if (opset < 7) throw new FormatError(`${this.where}: opset ${opset || '(none)'} is too old; hebb reads opset 7 and later`);
    const nodes = graph.node ?? [];
    // Every unsupported op, named with its nodes, in one error.
    const unsupported = new Map<string, string[]>();
    nodes.forEach((n, i) => {
      const op = n.opType ?? '';
      const domain = n.domain ?? '';
      if ((domain === '' || domain === 'ai.onnx') && SUPPORTED.has(op)) return;
      const key = domain && domain !== 'ai.onnx' ? `${domain}.${op}` : op || '(empty op type)';
      const list = unsupported.get(key) ?? [];
      list.push(n.name || n.output?.[0] || `#${i}`);
      unsupported.set(key, list);
    });
    if (unsupported.size > 0) {
      const parts = [...unsupported].map(([op, names]) => `${op} (node${names.length > 1 ? 's' : ''} ${names.map((s) => `'${s}'`).join(', ')})`);
      throw new FormatError(`${this.where}: unsupported ONNX operators: ${parts.join('; ')}. Supported: ${SUPPORTED_OPS.join(', ')}`);
    }
    for (const t of graph.initializer ?? []) {
      if (!t.name) throw new FormatError(`${this.where}: an initializer has no name`);
      this.values.set(t.name, this.fromDecoded(readTensor(t, `${this.where}: initializer '${t.name}'`)));
    }
    for (const n of nodes) for (const i of n.input ?? []) if (i) this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
    // Graph inputs (older files list initializers among them too).
    const inputs: SymbolicTensor[] = [];
    for (const vi of graph.input ?? []) {
      const name = vi.name ?? '';
      if (!name) throw new FormatError(`${this.where}: a graph input has no name`);
      if (this.values.has(name)) continue;
      const tt = vi.type?.tensorType;
      if (!tt) throw new FormatError(`${this.where}: input '${name}' is not a tensor`);
      const elem = tt.elemType ?? 0;
      const dtype = elem === onnx.TensorProto.DataType.INT32 || elem === onnx.TensorProto.DataType.INT64 ? 'int32' : elem === onnx.TensorProto.DataType.FLOAT ? 'float32' : null;
      if (!dtype) throw new FormatError(`${this.where}: input '${name}' has element type ${elem}; hebb reads float32 and integer inputs`);
      const dims = (tt.shape?.dim ?? []).map((d, i) => {
        if (i === 0) return null;
        const v = d.dimValue === undefined || d.dimValue === null ? null : int64ToNumber(d.dimValue);
        return v !== null && v > 0 ? v : null;
      });
      if (dims.length === 0) throw new FormatError(`${this.where}: input '${name}' needs a shape with a batch axis`);
      const channelsFirst = dims.length >= 3 && this.feedsChannelsFirstOp(name);
      const r = dims.length;
      const hebbShape = channelsFirst ? [null, ...dims.slice(2), dims[1]] : dims;
      const sym = input({ batchShape: hebbShape, dtype, name: this.layerName(name) });
      inputs.push(sym);
      this.values.set(name, { kind: 'tensor', sym, pre: [...hebbShape], perm: channelsFirst ? cfPerm(r) : identity(r) });
    }
    if (inputs.length === 0) throw new FormatError(`${this.where}: the graph has no inputs`);
    for (const n of nodes) {
      this.node = n;
      try {
        this.convert(n, opset);
      } catch (e) {
        if (e instanceof FormatError) throw e;
        this.fail(e instanceof HebbError ? e.message : `${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    this.node = undefined as unknown as NodeProto;
    const outputs = (graph.output ?? []).map((vi) => {
      const v = this.get(vi.name);
      if (v.kind !== 'tensor') throw new FormatError(`${this.where}: output '${vi.name}' is a constant`);
      const r = v.perm.length;
      // A channels-first image leaves in hebb's channels-last layout; anything else in ONNX's order.
      if (r >= 3 && sameList(v.pre, v.sym.shape) && sameList(v.perm, cfPerm(r))) return v.sym;
      return this.materialize(v, identity(r), `${vi.name}_out`);
    });
    if (outputs.length === 0) throw new FormatError(`${this.where}: the graph has no outputs`);
    const name = options.name ?? this.layerName(graph.name || 'onnx_model');
    try {
      return new Model({ inputs, outputs, name });
    } catch (e) {
      throw new FormatError(`${this.where}: ${(e as Error).message}`);
    }
  }

  private convert(n: NodeProto, opset: number): void {
    const op = n.opType as (typeof SUPPORTED_OPS)[number];
    const base = n.name || n.output?.[0] || op;
    switch (op) {
      case 'Constant': {
        const a = this.attr('value');
        if (a?.t) return this.set(0, this.fromDecoded(readTensor(a.t, `${this.where}: Constant '${base}'`)));
        const f = this.attr('value_float');
        if (f) return this.set(0, { kind: 'const', dims: [], values: Float32Array.of(f.f ?? 0), isInt: false });
        const i = this.attr('value_int');
        if (i) return this.set(0, { kind: 'const', dims: [], values: Int32Array.of(int64ToNumber(i.i)), isInt: true });
        const is = this.ints('value_ints');
        if (is) return this.set(0, { kind: 'const', dims: [is.length], values: Int32Array.from(is), isInt: true });
        return this.fail('only tensor, float, int and ints constants are supported');
      }
      case 'Identity': case 'Dropout': {
        const v = this.get(n.input?.[0]);
        if (op === 'Dropout' && v.kind === 'tensor' && this.consumers.has(n.output?.[0] ?? '')) {
          // Keep dropout as a layer, so a fine-tuned import regularises as the original did.
          const ratio = opset >= 12 ? (this.optionalConst(1, 'ratio')?.values[0] ?? 0.5) : this.float('ratio', 0.5);
          if (ratio > 0 && ratio < 1) {
            const sym = this.materialize(v, identity(v.perm.length), base);
            return this.set(0, this.plainView(this.apply(L.dropout({ rate: ratio, name: this.layerName(base) }), sym)));
          }
        }
        return this.set(0, v);
      }
      case 'Cast': {
        const v = this.get(n.input?.[0]);
        return this.set(0, v);
      }
      case 'Shape': {
        const v = this.tensorIn(0);
        const shape = this.onnxShape(v).map((d) => (d === null ? NaN : d));
        return this.set(0, { kind: 'const', dims: [shape.length], values: Float64Array.from(shape), isInt: true });
      }
      case 'ConstantOfShape': {
        const shape = this.constIn(0, 'shape');
        const a = this.attr('value');
        const fill = a?.t ? readTensor(a.t, 'ConstantOfShape value').values[0] : 0;
        const dims = Array.from(shape.values, Number);
        if (dims.some((d) => !Number.isFinite(d))) return this.set(0, { kind: 'const', dims: [], values: new Float32Array(0), isInt: false, fill });
        return this.set(0, { kind: 'const', dims, values: new Float32Array(prod(dims)).fill(fill), isInt: false, fill });
      }
      case 'Gather': return this.gather();
      case 'Squeeze': case 'Unsqueeze': return this.squeeze(op, opset);
      case 'Transpose': {
        const v = this.get(n.input?.[0]);
        const r = v.kind === 'tensor' ? v.perm.length : v.dims.length;
        const p = this.ints('perm') ?? identity(r).reverse();
        if (p.length !== r || !sameList([...p].sort((a, b) => a - b), identity(r))) this.fail(`perm [${p.join(',')}] is not a permutation of ${r} axes`);
        if (v.kind === 'const') {
          return this.set(0, this.fromTensor(noGrad(() => transpose(this.constTensor(v), p)), v.isInt));
        }
        return this.set(0, { ...v, perm: p.map((i) => v.perm[i]) });
      }
      case 'Concat': return this.concat();
      case 'Relu': case 'Sigmoid': case 'Tanh': case 'Softplus': case 'Softsign': case 'Selu': case 'LeakyRelu': case 'Elu': case 'HardSigmoid': case 'Clip':
        return this.unary(op, base, opset);
      case 'Softmax': case 'LogSoftmax': {
        const v = this.tensorIn(0);
        const r = v.perm.length;
        const defaultAxis = opset >= 13 ? -1 : 1;
        let axis = this.int('axis', defaultAxis);
        if (axis < 0) axis += r;
        if (opset < 13 && axis !== r - 1) this.fail(`before opset 13 ${op} flattens from axis ${axis}; only the last axis is supported`);
        if (!sameList(v.pre, v.sym.shape)) {
          const sym = this.materialize(v, identity(r), base);
          const layer = op === 'Softmax' ? L.softmax({ axis, name: this.layerName(base) }) : L.activation({ activation: 'logSoftmax', name: this.layerName(base) });
          if (op === 'LogSoftmax' && axis !== r - 1) this.fail('LogSoftmax is supported over the last axis only');
          return this.set(0, this.plainView(this.apply(layer, sym)));
        }
        const hebbAxis = v.perm[axis];
        if (op === 'LogSoftmax' && hebbAxis !== r - 1) this.fail('LogSoftmax is supported over the (hebb) last axis only');
        const layer = op === 'Softmax' ? L.softmax({ axis: hebbAxis, name: this.layerName(base) }) : L.activation({ activation: 'logSoftmax', name: this.layerName(base) });
        return this.set(0, { ...v, sym: this.apply(layer, v.sym) });
      }
      case 'Add': case 'Sub': case 'Mul': case 'Div': return this.binary(op, base);
      case 'Sum': case 'Mean': case 'Max': case 'Min': return this.variadic(op, base);
      case 'Gemm': return this.gemm(base);
      case 'MatMul': return this.matmul(base);
      case 'Conv': return this.conv(base);
      case 'ConvTranspose': return this.convTranspose(base);
      case 'MaxPool': case 'AveragePool': return this.pool(op, base);
      case 'GlobalAveragePool': case 'GlobalMaxPool': {
        const v = this.tensorIn(0);
        const r = v.perm.length;
        if (r < 3 || r > 5) this.fail(`expects an [N, C, …] input of rank 3 to 5, got rank ${r}`);
        const sym = this.materialize(v, cfPerm(r), base);
        const avg = op === 'GlobalAveragePool';
        const name = this.layerName(base);
        const layer = r === 3 ? (avg ? L.globalAveragePooling1d({ keepDims: true, name }) : L.globalMaxPooling1d({ keepDims: true, name }))
          : r === 4 ? (avg ? L.globalAveragePooling2d({ keepDims: true, name }) : L.globalMaxPooling2d({ keepDims: true, name }))
            : avg ? L.globalAveragePooling3d({ keepDims: true, name }) : L.globalMaxPooling3d({ keepDims: true, name });
        const y = this.apply(layer, sym);
        return this.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: cfPerm(r) });
      }
      case 'BatchNormalization': return this.batchNorm(base, opset);
      case 'LRN': {
        const v = this.tensorIn(0);
        if (v.perm.length !== 4) this.fail('LRN is supported on [N, C, H, W] inputs');
        const size = this.int('size', 0);
        if (size % 2 !== 1) this.fail(`LRN size ${size} must be odd (hebb's window is centred)`);
        const sym = this.materialize(v, cfPerm(4), base);
        const layer = L.localResponseNormalization({
          depthRadius: (size - 1) / 2, alpha: this.float('alpha', 1e-4) / size, beta: this.float('beta', 0.75), bias: this.float('bias', 1), name: this.layerName(base),
        });
        const y = this.apply(layer, sym);
        return this.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: cfPerm(4) });
      }
      case 'Flatten': {
        const v = this.tensorIn(0);
        const axis = this.int('axis', 1);
        if (axis !== 1) this.fail(`only axis 1 (keep the batch axis) is supported, got ${axis}`);
        const shape = this.onnxShape(v);
        const rest = shape.slice(1);
        if (rest.some((d) => d === null)) this.fail(`needs known sizes after the batch axis, got [${shape.join(',')}]`);
        // Already in ONNX's element order (e.g. [N, 1, 1, C] after global pooling): flatten as is.
        const sym = this.inHebbOrder(v) ? v.sym : this.materialize(v, identity(shape.length), base);
        const y = sym.shape.length === 2 ? sym : this.apply(L.flatten({ name: this.layerName(base) }), sym);
        return this.set(0, this.plainView(y));
      }
      case 'Reshape': return this.reshape(base, opset);
      case 'Pad': return this.pad(base, opset);
      case 'Resize': return this.resize(base);
      case 'Slice': return this.sliceOp(base);
      case 'LayerNormalization': return this.layerNorm(base);
      case 'LSTM': case 'GRU': case 'RNN': return this.rnn(op, base);
      default:
        op satisfies never;
        return this.fail('unsupported');
    }
  }

  private fromTensor(t: Tensor, isInt: boolean): Const {
    return { kind: 'const', dims: [...t.shape], values: Float32Array.from(t.dataSync() as ArrayLike<number>), isInt };
  }

  private gather(): void {
    const data = this.get(this.node.input?.[0]);
    const idx = this.constIn(1, 'indices');
    const axisAttr = this.int('axis', 0);
    if (data.kind === 'const') {
      // Shape arithmetic: gather from a 1-D vector.
      if (data.dims.length !== 1 || axisAttr !== 0) this.fail('Gather on constants is supported for 1-D vectors only');
      const n = data.values.length;
      const picked = Array.from(idx.values, (i) => data.values[(Number(i) + n) % n]);
      return this.set(0, { kind: 'const', dims: idx.dims, values: Float64Array.from(picked), isInt: data.isInt });
    }
    const r = data.perm.length;
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    // Picking one entry of a size-1 axis (PyTorch's h_n[-1]) is a squeeze.
    const shape = this.onnxShape(data);
    if (idx.dims.length === 0 && shape[axis] === 1 && (idx.values[0] === 0 || idx.values[0] === -1)) return this.set(0, this.squeezeAxes(data, [axis]));
    return this.fail('Gather is supported for picking from a size-1 axis (as in PyTorch\'s h_n[-1]) and for shape arithmetic only');
  }

  private squeezeAxes(v: View, axes: number[]): View {
    let cur = v;
    for (const a of [...axes].sort((x, y) => y - x)) {
      const k = cur.perm[a];
      if (cur.pre[k] !== 1) this.fail(`cannot squeeze axis ${a} of size ${cur.pre[k] ?? 'unknown'}`);
      cur = { ...cur, pre: cur.pre.filter((_, i) => i !== k), perm: cur.perm.filter((_, i) => i !== a).map((p) => (p > k ? p - 1 : p)) };
    }
    return cur;
  }

  private squeeze(op: 'Squeeze' | 'Unsqueeze', opset: number): void {
    const v = this.get(this.node.input?.[0]);
    const axesConst = opset >= 13 ? this.optionalConst(1, 'axes') : null;
    let axes = opset >= 13 ? (axesConst ? this.intList(axesConst, 'axes') : null) : this.ints('axes');
    if (v.kind === 'const') {
      let dims = [...v.dims];
      if (op === 'Squeeze') {
        const list = (axes ?? dims.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => (a < 0 ? a + dims.length : a));
        dims = dims.filter((_, i) => !list.includes(i));
      } else {
        const out = dims.length + (axes ?? []).length;
        for (const a of (axes ?? []).map((x) => (x < 0 ? x + out : x)).sort((x, y) => x - y)) dims.splice(a, 0, 1);
      }
      return this.set(0, { ...v, dims });
    }
    const r = v.perm.length;
    if (op === 'Squeeze') {
      const shape = this.onnxShape(v);
      axes = (axes ?? shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => (a < 0 ? a + r : a));
      return this.set(0, this.squeezeAxes(v, axes));
    }
    if (!axes) this.fail('Unsqueeze needs axes');
    const out = r + axes.length;
    let cur = v;
    for (const a of axes.map((x) => (x < 0 ? x + out : x)).sort((x, y) => x - y)) {
      const k = cur.pre.length;
      const perm = [...cur.perm];
      perm.splice(a, 0, k);
      cur = { ...cur, pre: [...cur.pre, 1], perm };
    }
    return this.set(0, cur);
  }

  private concat(): void {
    const ins = (this.node.input ?? []).map((name) => this.get(name));
    const axisAttr = this.int('axis', 0);
    if (ins.every((v) => v.kind === 'const')) {
      const consts = ins as Const[];
      if (consts.some((c) => c.dims.length !== 1)) this.fail('Concat of constants is supported for 1-D vectors only');
      const values = consts.flatMap((c) => Array.from(c.values, Number));
      return this.set(0, { kind: 'const', dims: [values.length], values: Float64Array.from(values), isInt: consts.every((c) => c.isInt) });
    }
    if (ins.some((v) => v.kind !== 'tensor')) this.fail('Concat of graph tensors with constants is not supported');
    const views = ins as View[];
    const r = views[0].perm.length;
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    const base = this.node.name || 'concat';
    const shared = views.every((v) => sameList(v.perm, views[0].perm) && sameList(v.pre, v.sym.shape));
    if (shared) {
      const y = this.apply(L.concatenate({ axis: views[0].perm[axis], name: this.layerName(base) }), views.map((v) => v.sym));
      return this.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: [...views[0].perm] });
    }
    const syms = views.map((v, i) => this.materialize(v, identity(r), `${base}_${i}`));
    return this.set(0, this.plainView(this.apply(L.concatenate({ axis, name: this.layerName(base) }), syms)));
  }

  private unary(op: string, base: string, opset: number): void {
    const v = this.tensorIn(0);
    const name = this.layerName(base);
    let layer: Layer;
    switch (op) {
      case 'Relu': layer = L.activation({ activation: 'relu', name }); break;
      case 'Sigmoid': layer = L.activation({ activation: 'sigmoid', name }); break;
      case 'Tanh': layer = L.activation({ activation: 'tanh', name }); break;
      case 'Softplus': layer = L.activation({ activation: 'softplus', name }); break;
      case 'Softsign': layer = L.activation({ activation: 'softsign', name }); break;
      case 'Selu': {
        if (Math.abs(this.float('alpha', 1.67326319217681884765625) - 1.6732632) > 1e-6 || Math.abs(this.float('gamma', 1.05070102214813232421875) - 1.0507010) > 1e-6) this.fail('only the standard SELU constants are supported');
        layer = L.activation({ activation: 'selu', name });
        break;
      }
      case 'LeakyRelu': layer = L.leakyReLU({ negativeSlope: this.float('alpha', 0.01), name }); break;
      case 'Elu': layer = L.elu({ alpha: this.float('alpha', 1), name }); break;
      case 'HardSigmoid': {
        if (Math.abs(this.float('alpha', 0.2) - 0.2) > 1e-6 || Math.abs(this.float('beta', 0.5) - 0.5) > 1e-6) this.fail('only alpha 0.2, beta 0.5 (Keras\'s hard sigmoid) is supported');
        layer = L.activation({ activation: 'hardSigmoid', name });
        break;
      }
      case 'Clip': {
        const lo = opset >= 11 ? this.optionalConst(1, 'min')?.values[0] ?? -Infinity : this.float('min', -Infinity);
        const hi = opset >= 11 ? this.optionalConst(2, 'max')?.values[0] ?? Infinity : this.float('max', Infinity);
        if (lo !== 0) this.fail(`Clip is supported as a ReLU with a ceiling (min 0), got min ${lo}`);
        layer = L.reLU({ maxValue: Number.isFinite(hi) ? hi : null, name });
        break;
      }
      default: return this.fail('unsupported activation');
    }
    // Elementwise: the hebb shape and so the view stay as they are.
    this.set(0, { ...v, sym: this.apply(layer, v.sym), pre: [...v.pre] });
  }

  /** A constant operand in the hebb layout of `v` (broadcast to v's rank, batch axis dropped). */
  private constForView(c: Const, v: View): Tensor {
    const r = v.perm.length;
    if (c.dims.length > r) this.fail(`constant of rank ${c.dims.length} is larger than the tensor's rank ${r}`);
    const full = [...new Array<number>(r - c.dims.length).fill(1), ...c.dims];
    if (!sameList(v.pre, v.sym.shape)) this.fail('a constant operand on a reshaped value is not supported');
    const t = noGrad(() => transpose(this.constTensor(c, full), invert(v.perm)));
    if (t.shape[0] !== 1) this.fail(`constant varies along the batch axis (shape [${c.dims.join(',')}])`);
    return noGrad(() => reshape(t, t.shape.slice(1)));
  }

  private binary(op: 'Add' | 'Sub' | 'Mul' | 'Div', base: string): void {
    if (this.fusedAdds.has(this.node)) return;
    const a = this.get(this.node.input?.[0]);
    const b = this.get(this.node.input?.[1]);
    const kind = op.toLowerCase() as ElementwiseOp;
    if (a.kind === 'const' && b.kind === 'const') {
      const f = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y }[kind];
      if (a.values.length !== b.values.length && a.values.length !== 1 && b.values.length !== 1) this.fail('constant arithmetic on different shapes is not supported');
      const n = Math.max(a.values.length, b.values.length);
      const values = Float64Array.from({ length: n }, (_, i) => f(Number(a.values[a.values.length === 1 ? 0 : i]), Number(b.values[b.values.length === 1 ? 0 : i])));
      return this.set(0, { kind: 'const', dims: a.values.length >= b.values.length ? a.dims : b.dims, values, isInt: a.isInt && b.isInt });
    }
    if (a.kind === 'tensor' && b.kind === 'tensor') {
      const sameView = sameList(a.perm, b.perm) && sameList(a.pre, a.sym.shape) && sameList(b.pre, b.sym.shape);
      const r = Math.max(a.perm.length, b.perm.length);
      const [sa, sb, view] = sameView
        ? [a.sym, b.sym, a]
        : [this.materialize(a, identity(a.perm.length), `${base}_a`), this.materialize(b, identity(b.perm.length), `${base}_b`), null];
      const name = this.layerName(base);
      const layer = kind === 'add' ? L.add({ name }) : kind === 'sub' ? L.subtract({ name }) : kind === 'mul' ? L.multiply({ name }) : new OnnxElementwise({ op: 'div', name });
      const y = this.apply(layer, [sa, sb]);
      if (view) return this.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: y.shape.length === view.perm.length ? [...view.perm] : identity(r) });
      return this.set(0, this.plainView(y));
    }
    const [v, c, constantFirst] = a.kind === 'tensor' ? [a, b as Const, false] : [b as View, a, true];
    const ct = this.constForView(c, v);
    const layer = new OnnxElementwise({ op: kind, constantShape: [...ct.shape], constantFirst, name: this.layerName(base) });
    const y = this.apply(layer, v.sym);
    this.setWeight(layer, 'constant', ct);
    return this.set(0, { ...v, sym: y, pre: [...y.shape] });
  }

  private variadic(op: 'Sum' | 'Mean' | 'Max' | 'Min', base: string): void {
    const views = (this.node.input ?? []).map((_, i) => this.tensorIn(i));
    if (views.length === 1) return this.set(0, views[0]);
    const shared = views.every((v) => sameList(v.perm, views[0].perm) && sameList(v.pre, v.sym.shape));
    const syms = shared ? views.map((v) => v.sym) : views.map((v, i) => this.materialize(v, identity(v.perm.length), `${base}_${i}`));
    const name = this.layerName(base);
    const layer = op === 'Sum' ? L.add({ name }) : op === 'Mean' ? L.average({ name }) : op === 'Max' ? L.maximum({ name }) : L.minimum({ name });
    const y = this.apply(layer, syms);
    return this.set(0, shared ? { kind: 'tensor', sym: y, pre: [...y.shape], perm: [...views[0].perm] } : this.plainView(y));
  }

  /** Dense from x·W (+ b); `w` is [in, units]. Folds a following bias Add when it is the only consumer. */
  private dense(x: View, w: Tensor, bias: Tensor | null, base: string): SymbolicTensor {
    const r = x.perm.length;
    const sym = this.materialize(x, identity(r), base);
    const units = w.shape[1];
    let b = bias;
    if (!b) {
      // MatMul followed by Add(const [units]) as the only consumer: the Dense's bias.
      const out = this.node.output?.[0] ?? '';
      const cons = this.consumers.get(out) ?? [];
      if (cons.length === 1 && cons[0].opType === 'Add') {
        const other = cons[0].input?.find((s) => s !== out);
        const c = other ? this.values.get(other) : undefined;
        if (c?.kind === 'const' && c.values.length === units && c.dims[c.dims.length - 1] === units) {
          b = this.constTensor(c, [units]);
          this.fusedAdds.add(cons[0]);
        }
      }
    }
    if (sym.shape[sym.shape.length - 1] !== w.shape[0]) this.fail(`input has ${sym.shape[sym.shape.length - 1]} features, the weight expects ${w.shape[0]}`);
    const layer = L.dense({ units, useBias: b !== null, name: this.layerName(base) });
    const y = this.apply(layer, sym);
    this.setWeight(layer, 'kernel', w);
    if (b) this.setWeight(layer, 'bias', b);
    if (b && !bias) {
      // The folded Add's output is this Dense's output.
      const addNode = [...this.fusedAdds].find((n) => (n.input ?? []).includes(this.node.output?.[0] ?? ''));
      if (addNode) this.values.set(addNode.output?.[0] ?? '', this.plainView(y));
    }
    return y;
  }

  private gemm(base: string): void {
    const a = this.tensorIn(0);
    if (this.int('transA', 0) !== 0) this.fail('transA = 1 is not supported');
    const bc = this.constIn(1, 'B');
    if (bc.dims.length !== 2) this.fail(`B must be a matrix, got [${bc.dims.join(',')}]`);
    const alpha = this.float('alpha', 1);
    const beta = this.float('beta', 1);
    let w = this.constTensor(bc);
    w = noGrad(() => (this.int('transB', 0) ? transpose(w, [1, 0]) : w));
    if (alpha !== 1) w = noGrad(() => mul(w, alpha));
    const cc = this.optionalConst(2, 'C');
    let b: Tensor | null = null;
    if (cc) {
      const units = w.shape[1];
      if (cc.values.length !== units && cc.values.length !== 1) this.fail(`C must broadcast over the batch (shape [${cc.dims.join(',')}])`);
      const vals = cc.values.length === 1 ? new Float32Array(units).fill(Number(cc.values[0])) : Float32Array.from(cc.values);
      b = noGrad(() => mul(tensor(vals, [units]), beta));
    }
    this.set(0, this.plainView(this.dense(a, w, b, base)));
  }

  private matmul(base: string): void {
    const a = this.get(this.node.input?.[0]);
    const bv = this.get(this.node.input?.[1]);
    if (a.kind !== 'tensor' || bv.kind !== 'const' || bv.dims.length !== 2) this.fail('MatMul is supported as graph tensor × constant matrix (a dense layer)');
    const y = this.dense(a, this.constTensor(bv), null, base);
    this.set(0, this.plainView(y));
  }

  /** hebb padding for ONNX pads (begin…, end…) on spatial sizes `spatial`; 'same' when they match TF's. */
  private padding(spatial: (number | null)[], k: number[], s: number[], d: number[]): { mode: 'valid' | 'same'; extra: [number, number][] | null } {
    const autoPad = this.str('auto_pad', 'NOTSET');
    if (autoPad === 'SAME_UPPER') return { mode: 'same', extra: null };
    if (autoPad === 'VALID') return { mode: 'valid', extra: null };
    if (autoPad === 'SAME_LOWER') this.fail('auto_pad SAME_LOWER is not supported');
    const r = k.length;
    const pads = this.ints('pads') ?? new Array<number>(2 * r).fill(0);
    if (pads.length !== 2 * r || pads.some((p) => p < 0)) this.fail(`pads [${pads.join(',')}] must be 2×${r} non-negative integers`);
    const pairs = Array.from({ length: r }, (_, i): [number, number] => [pads[i], pads[i + r]]);
    if (pairs.every(([b, e]) => b === 0 && e === 0)) return { mode: 'valid', extra: null };
    const same = spatial.every((n, i) => {
      if (n === null) return false;
      const total = Math.max((Math.ceil(n / s[i]) - 1) * s[i] + (k[i] - 1) * d[i] + 1 - n, 0);
      return pairs[i][0] === Math.floor(total / 2) && pairs[i][1] === total - Math.floor(total / 2);
    });
    if (same) return { mode: 'same', extra: null };
    return { mode: 'valid', extra: pairs };
  }

  private zeroPad(sym: SymbolicTensor, pairs: [number, number][], base: string): SymbolicTensor {
    const name = this.layerName(`${base}_pad`);
    const layer = pairs.length === 1 ? L.zeroPadding1d({ padding: pairs[0], name }) : pairs.length === 2 ? L.zeroPadding2d({ padding: pairs, name }) : L.zeroPadding3d({ padding: pairs, name });
    return this.apply(layer, sym);
  }

  private spatialView(r: number, sym: SymbolicTensor): View {
    return { kind: 'tensor', sym, pre: [...sym.shape], perm: cfPerm(r) };
  }

  private conv(base: string): void {
    const v = this.tensorIn(0);
    const wc = this.constIn(1, 'W');
    const r = v.perm.length;
    const sd = r - 2;
    if (sd < 1 || sd > 3 || wc.dims.length !== r) this.fail(`expects [N, C, …] of rank 3 to 5 and a weight of the same rank, got ranks ${r} and ${wc.dims.length}`);
    const k = this.ints('kernel_shape') ?? wc.dims.slice(2);
    const s = this.ints('strides') ?? new Array<number>(sd).fill(1);
    const d = this.ints('dilations') ?? new Array<number>(sd).fill(1);
    const group = this.int('group', 1);
    let sym = this.materialize(v, cfPerm(r), base);
    const cin = sym.shape[r - 1];
    const [f, cg] = wc.dims;
    if (cin === null || cin !== cg * group) this.fail(`input has ${cin} channels, weight [${wc.dims.join(',')}] with group ${group} expects ${cg * group}`);
    const { mode, extra } = this.padding(sym.shape.slice(1, -1), k, s, d);
    if (extra) sym = this.zeroPad(sym, extra, base);
    const bc = this.optionalConst(2, 'B');
    const w = this.constTensor(wc);
    const spatialFirst = [...identity(sd).map((i) => i + 2), 1, 0];
    const name = this.layerName(base);
    let layer: Layer;
    let kernelKey: string;
    let kernel: Tensor;
    if (group > 1 && group === cin && sd === 2 && f % cin === 0) {
      // Depthwise: W [C·m, 1, kh, kw] → [kh, kw, C, m].
      const m = f / cin;
      layer = L.depthwiseConv2d({ kernelSize: k, strides: s, dilationRate: d, padding: mode, depthMultiplier: m, useBias: bc !== null, name });
      kernelKey = 'depthwise_kernel';
      kernel = noGrad(() => transpose(reshape(w, [cin, m, k[0], k[1]]), [2, 3, 0, 1]));
    } else {
      const args = { filters: f, kernelSize: k, strides: s, dilationRate: d, padding: mode, groups: group, useBias: bc !== null, name };
      layer = sd === 1 ? L.conv1d(args) : sd === 2 ? L.conv2d(args) : L.conv3d(args);
      kernelKey = 'kernel';
      // W [F, C/g, …k] → [...k, C/g, F].
      kernel = noGrad(() => transpose(w, spatialFirst));
    }
    const y = this.apply(layer, sym);
    this.setWeight(layer, kernelKey, kernel);
    if (bc) this.setWeight(layer, 'bias', this.constTensor(bc, [f]));
    this.set(0, this.spatialView(r, y));
  }

  private convTranspose(base: string): void {
    const v = this.tensorIn(0);
    const wc = this.constIn(1, 'W');
    const r = v.perm.length;
    const sd = r - 2;
    if (sd < 1 || sd > 3 || wc.dims.length !== r) this.fail(`expects [N, C, …] of rank 3 to 5 and a weight of the same rank, got ranks ${r} and ${wc.dims.length}`);
    if (this.int('group', 1) !== 1) this.fail('grouped ConvTranspose is not supported');
    if (this.attr('output_shape')) this.fail('output_shape is not supported; give pads and output_padding');
    if (this.str('auto_pad', 'NOTSET') !== 'NOTSET' && this.str('auto_pad', 'NOTSET') !== 'VALID') this.fail('auto_pad SAME is not supported for ConvTranspose');
    const k = this.ints('kernel_shape') ?? wc.dims.slice(2);
    const s = this.ints('strides') ?? new Array<number>(sd).fill(1);
    const d = this.ints('dilations') ?? new Array<number>(sd).fill(1);
    const pads = this.ints('pads') ?? new Array<number>(2 * sd).fill(0);
    const op = this.ints('output_padding') ?? new Array<number>(sd).fill(0);
    const [cin, f] = wc.dims;
    const sym = this.materialize(v, cfPerm(r), base);
    if (sym.shape[r - 1] !== cin) this.fail(`input has ${sym.shape[r - 1]} channels, weight expects ${cin}`);
    if (op.some((p, i) => p >= s[i])) this.fail(`output_padding [${op.join(',')}] must be smaller than strides`);
    const bc = this.optionalConst(2, 'B');
    const name = this.layerName(base);
    // 'valid' gives s·(n − 1) + (k − 1)·d + 1 (+ output_padding); the pads are then cropped.
    const args = { filters: f, kernelSize: k, strides: s, dilationRate: d, padding: 'valid' as const, outputPadding: op.some((p) => p > 0) ? op : null, useBias: bc !== null, name };
    const layer = sd === 1 ? L.conv1dTranspose(args) : sd === 2 ? L.conv2dTranspose(args) : L.conv3dTranspose(args);
    let y = this.apply(layer, sym);
    // W [C, F, …k] → [...k, F, C].
    this.setWeight(layer, 'kernel', noGrad(() => transpose(this.constTensor(wc), [...identity(sd).map((i) => i + 2), 1, 0])));
    if (bc) this.setWeight(layer, 'bias', this.constTensor(bc, [f]));
    const crops = Array.from({ length: sd }, (_, i): [number, number] => [pads[i], pads[i + sd]]);
    if (crops.some(([b, e]) => b > 0 || e > 0)) {
      const cname = this.layerName(`${base}_crop`);
      y = this.apply(sd === 1 ? L.cropping1d({ cropping: crops[0], name: cname }) : sd === 2 ? L.cropping2d({ cropping: crops, name: cname }) : L.cropping3d({ cropping: crops, name: cname }), y);
    }
    this.set(0, this.spatialView(r, y));
  }

  private pool(op: 'MaxPool' | 'AveragePool', base: string): void {
    const v = this.tensorIn(0);
    const r = v.perm.length;
    const sd = r - 2;
    if (sd < 1 || sd > 3) this.fail(`expects [N, C, …] of rank 3 to 5, got rank ${r}`);
    if ((this.node.output ?? []).length > 1 && this.node.output![1]) this.fail('the Indices output is not supported');
    const k = this.ints('kernel_shape');
    if (!k || k.length !== sd) this.fail('kernel_shape is required');
    const s = this.ints('strides') ?? new Array<number>(sd).fill(1);
    const d = this.ints('dilations') ?? new Array<number>(sd).fill(1);
    if (d.some((x) => x !== 1)) this.fail('dilated pooling is not supported');
    const sym = this.materialize(v, cfPerm(r), base);
    const { mode, extra } = this.padding(sym.shape.slice(1, -1), k, s, d);
    if (extra) this.fail(`pads [${(this.ints('pads') ?? []).join(',')}] are neither 'valid' nor TF 'same'; hebb pooling supports those two`);
    if (this.int('ceil_mode', 0) === 1) {
      // ceil_mode only matters when a window would start past the padded end.
      const changes = sym.shape.slice(1, -1).some((n, i) => n === null || (mode === 'valid' && (n - k[i]) % s[i] !== 0));
      if (changes) this.fail('ceil_mode = 1 is not supported');
    }
    if (op === 'AveragePool' && mode === 'same' && this.int('count_include_pad', 0) === 1) this.fail('count_include_pad = 1 with padding is not supported (hebb averages over the real elements)');
    const name = this.layerName(base);
    const args = { poolSize: k, strides: s, padding: mode, name };
    const layer = op === 'MaxPool'
      ? (sd === 1 ? L.maxPooling1d(args) : sd === 2 ? L.maxPooling2d(args) : L.maxPooling3d(args))
      : sd === 1 ? L.averagePooling1d(args) : sd === 2 ? L.averagePooling2d(args) : L.averagePooling3d(args);
    this.set(0, this.spatialView(r, this.apply(layer, sym)));
  }

  private batchNorm(base: string, opset: number): void {
    const v = this.tensorIn(0);
    const r = v.perm.length;
    if ((this.node.output ?? []).slice(1).some((o) => o)) this.fail('training-mode outputs (running mean/var) are not supported');
    if (opset >= 14 && this.int('training_mode', 0) === 1) this.fail('training_mode = 1 is not supported');
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => this.constIn(i, ['scale', 'B', 'mean', 'var'][i - 1]));
    const c = scale.values.length;
    const sym = r === 2 ? this.materialize(v, identity(2), base) : this.materialize(v, cfPerm(r), base);
    if (sym.shape[sym.shape.length - 1] !== c) this.fail(`input has ${sym.shape[sym.shape.length - 1]} channels, scale has ${c}`);
    const layer = L.batchNormalization({ epsilon: this.float('epsilon', 1e-5), momentum: this.float('momentum', 0.9), name: this.layerName(base) });
    const y = this.apply(layer, sym);
    this.setWeight(layer, 'gamma', this.constTensor(scale, [c]));
    this.setWeight(layer, 'beta', this.constTensor(bias, [c]));
    this.setWeight(layer, 'moving_mean', this.constTensor(mean, [c]));
    this.setWeight(layer, 'moving_variance', this.constTensor(variance, [c]));
    this.set(0, r === 2 ? this.plainView(y) : this.spatialView(r, y));
  }

  private reshape(base: string, opset: number): void {
    const v = this.get(this.node.input?.[0]);
    const targetC = opset >= 5 ? this.constIn(1, 'shape') : null;
    let target = targetC ? Array.from(targetC.values, Number) : this.ints('shape') ?? [];
    if (v.kind === 'const') {
      target = target.map((t, i) => (t === 0 ? v.dims[i] : t));
      const known = prod(target.filter((t) => t !== -1));
      return this.set(0, { ...v, dims: target.map((t) => (t === -1 ? v.values.length / known : t)) });
    }
    const shape = this.onnxShape(v);
    if (this.int('allowzero', 0) === 1 && target.includes(0)) this.fail('allowzero = 1 is not supported');
    const resolved: (number | null)[] = target.map((t, i) => (t === 0 ? shape[i] : t === -1 ? -1 : t));
    const restKnown = shape.slice(1).every((d) => d !== null);
    if (!restKnown) this.fail(`needs known sizes after the batch axis, got [${shape.join(',')}]`);
    const perSample = prod(shape.slice(1) as number[]);
    // The batch axis must stay first: either copied (0 / null) or the one −1 with the rest known.
    if (resolved[0] === -1 && !resolved.slice(1).includes(-1)) resolved[0] = null;
    else if (resolved[0] !== null) this.fail(`reshape to [${target.join(',')}] changes the batch axis`);
    const rest = resolved.slice(1);
    const knownRest = prod(rest.filter((t): t is number => t !== -1 && t !== null));
    const out = rest.map((t) => (t === -1 ? perSample / knownRest : t));
    if (prod(out as number[]) !== perSample) this.fail(`cannot reshape [${shape.join(',')}] to [${target.join(',')}]`);
    const sym = this.materialize(v, identity(shape.length), base);
    this.set(0, this.plainView(this.reshapeTo(sym, [null, ...out], base)));
  }

  /**
   * The hebb tensor and hebb axes for ONNX axes `axes` of `v`, where those must be spatial in hebb
   * (1 … r−2: what ZeroPadding, Cropping and UpSampling act on). Tries the view as it is, then
   * the value in ONNX's own order.
   */
  private spatialAxes(v: View, axes: number[], base: string): { sym: SymbolicTensor; hebbAxes: number[]; view: View } {
    const r = v.perm.length;
    const ok = (ks: number[]): boolean => ks.every((k) => k >= 1 && k <= r - 2);
    if (sameList(v.pre, v.sym.shape) && ok(axes.map((a) => v.perm[a]))) return { sym: v.sym, hebbAxes: axes.map((a) => v.perm[a]), view: v };
    if (ok(axes)) {
      const sym = this.materialize(v, identity(r), base);
      return { sym, hebbAxes: axes, view: this.plainView(sym) };
    }
    return this.fail(`acts on axes [${axes.join(',')}]; hebb pads, crops and up-samples the spatial axes of [N, …, C] only`);
  }

  private pad(base: string, opset: number): void {
    const v = this.tensorIn(0);
    const r = v.perm.length;
    const mode = this.str('mode', 'constant');
    if (mode !== 'constant') this.fail(`mode '${mode}' is not supported (constant zero padding only)`);
    const pads = opset >= 11 ? this.intList(this.constIn(1, 'pads'), 'pads') : this.ints('pads') ?? [];
    const value = opset >= 11 ? (this.optionalConst(2, 'constant_value')?.values[0] ?? 0) : this.float('value', 0);
    if (value !== 0) this.fail(`constant_value ${value} is not supported (zero padding only)`);
    if (opset >= 18 && this.node.input?.[3]) this.fail('the axes input is not supported');
    if (pads.length !== 2 * r) this.fail(`pads has ${pads.length} entries, the input has rank ${r}`);
    if (pads.some((p) => p < 0)) this.fail('negative pads (cropping) are not supported');
    if (r < 3 || r > 5) this.fail('Pad is supported on inputs of rank 3 to 5');
    const padded = identity(r).filter((a) => pads[a] > 0 || pads[a + r] > 0);
    const { sym, hebbAxes, view } = this.spatialAxes(v, padded, base);
    const pairs = Array.from({ length: r - 2 }, (): [number, number] => [0, 0]);
    padded.forEach((a, i) => (pairs[hebbAxes[i] - 1] = [pads[a], pads[a + r]]));
    const y = this.zeroPad(sym, pairs, base);
    this.set(0, { ...view, sym: y, pre: [...y.shape] });
  }

  private sliceOp(base: string): void {
    const v = this.tensorIn(0);
    const r = v.perm.length;
    const starts = this.intList(this.constIn(1, 'starts'), 'starts');
    const ends = this.intList(this.constIn(2, 'ends'), 'ends');
    const axesC = this.optionalConst(3, 'axes');
    const stepsC = this.optionalConst(4, 'steps');
    const axes = (axesC ? this.intList(axesC, 'axes') : identity(starts.length)).map((a) => (a < 0 ? a + r : a));
    if (stepsC && this.intList(stepsC, 'steps').some((st) => st !== 1)) this.fail('only step 1 is supported');
    if (r < 3 || r > 5) this.fail('Slice is supported on inputs of rank 3 to 5');
    const shape = this.onnxShape(v);
    const crops = axes.map((a, i): [number, number] => {
      const n = shape[a];
      if (n === null) return this.fail(`axis ${a} has an unknown size`);
      const clamp = (x: number): number => Math.min(Math.max(x < 0 ? x + n : x, 0), n);
      const b = clamp(starts[i]);
      const e = clamp(ends[i]);
      if (e <= b) this.fail(`slice [${starts[i]}, ${ends[i]}) of axis ${a} is empty`);
      return [b, n - e];
    });
    const cut = axes.filter((_, i) => crops[i][0] > 0 || crops[i][1] > 0);
    if (cut.length === 0) return this.set(0, v);
    const { sym, hebbAxes, view } = this.spatialAxes(v, cut, base);
    const pairs = Array.from({ length: r - 2 }, (): [number, number] => [0, 0]);
    cut.forEach((a, i) => (pairs[hebbAxes[i] - 1] = crops[axes.indexOf(a)]));
    const name = this.layerName(base);
    const layer = pairs.length === 1 ? L.cropping1d({ cropping: pairs[0], name }) : pairs.length === 2 ? L.cropping2d({ cropping: pairs, name }) : L.cropping3d({ cropping: pairs, name });
    const y = this.apply(layer, sym);
    this.set(0, { ...view, sym: y, pre: [...y.shape] });
  }

  private layerNorm(base: string): void {
    const v = this.tensorIn(0);
    const r = v.perm.length;
    let axis = this.int('axis', -1);
    if (axis < 0) axis += r;
    if (axis === 0) this.fail('normalising over the batch axis is not supported');
    if (this.int('stash_type', 1) !== 1) this.fail('stash_type other than float is not supported');
    if ((this.node.output ?? []).slice(1).some((o) => o)) this.fail('the Mean and InvStdDev outputs are not supported');
    const sym = this.materialize(v, identity(r), base);
    const featShape = sym.shape.slice(axis) as number[];
    const scale = this.constIn(1, 'Scale');
    const bias = this.optionalConst(2, 'B');
    const axes = identity(r - axis).map((i) => i + axis);
    const layer = L.layerNormalization({ axis: axes.length === 1 ? axes[0] : axes, epsilon: this.float('epsilon', 1e-5), center: bias !== null, name: this.layerName(base) });
    const y = this.apply(layer, sym);
    const gamma = layer.weights.find((w) => w.name.endsWith('/gamma'));
    if (!gamma) this.fail('internal: layer normalisation without gamma');
    this.setWeight(layer, 'gamma', noGrad(() => reshape(this.constTensor(scale, featShape), gamma.shape)));
    if (bias) this.setWeight(layer, 'beta', noGrad(() => reshape(this.constTensor(bias, featShape), gamma.shape)));
    this.set(0, this.plainView(y));
  }

  private resize(base: string): void {
    const v = this.tensorIn(0);
    const r = v.perm.length;
    const scalesC = this.node.input?.[2] ? this.constIn(2, 'scales') : null;
    const sizesC = this.node.input?.[3] ? this.constIn(3, 'sizes') : null;
    const shape = this.onnxShape(v);
    let scales: number[];
    if (scalesC && scalesC.values.length > 0) scales = Array.from(scalesC.values, Number);
    else if (sizesC) scales = Array.from(sizesC.values, Number).map((s, i) => (i < 2 ? 1 : s / (shape[i] ?? NaN)));
    else return this.fail('needs scales or sizes');
    if (scales.length !== r || scales.some((s) => !Number.isInteger(s) || s < 1)) {
      this.fail(`only whole-number up-sampling is supported, got scales [${scales.join(',')}]`);
    }
    const mode = this.str('mode', 'nearest');
    const ctm = this.str('coordinate_transformation_mode', 'half_pixel');
    let interpolation: 'nearest' | 'bilinear';
    if (mode === 'nearest') {
      const nm = this.str('nearest_mode', 'round_prefer_floor');
      const ok = (ctm === 'asymmetric' && nm === 'floor') || ((ctm === 'half_pixel' || ctm === 'pytorch_half_pixel') && nm === 'round_prefer_floor') || (ctm === 'asymmetric' && nm === 'round_prefer_ceil');
      if (!ok) this.fail(`nearest mode with ${ctm}/${nm} is not supported`);
      interpolation = 'nearest';
    } else if (mode === 'linear' && (ctm === 'half_pixel' || ctm === 'pytorch_half_pixel') && r === 4) {
      interpolation = 'bilinear';
    } else {
      return this.fail(`mode '${mode}' with ${ctm} is not supported`);
    }
    const scaled = identity(r).filter((a) => scales[a] !== 1);
    const { sym, hebbAxes, view } = this.spatialAxes(v, scaled, base);
    const size = new Array<number>(r - 2).fill(1);
    scaled.forEach((a, i) => (size[hebbAxes[i] - 1] = scales[a]));
    const name = this.layerName(base);
    const layer = r === 3 ? L.upSampling1d({ size, name }) : r === 4 ? L.upSampling2d({ size, interpolation, name }) : L.upSampling3d({ size, name });
    const y = this.apply(layer, sym);
    this.set(0, { ...view, sym: y, pre: [...y.shape] });
  }

  /** A zero (or absent) initial state / sequence_lens is fine; anything else is not supported. */
  private requireAbsentOrZero(i: number, what: string): void {
    const name = this.node.input?.[i];
    if (!name) return;
    const v = this.get(name);
    if (v.kind === 'const' && (v.fill === 0 || Array.from(v.values).every((x) => x === 0))) return;
    this.fail(`a non-zero ${what} is not supported`);
  }

  private rnn(op: 'LSTM' | 'GRU' | 'RNN', base: string): void {
    const x = this.tensorIn(0);
    if (x.perm.length !== 3) this.fail('X must be [T, N, F]');
    if (this.int('layout', 0) !== 0) this.fail('layout = 1 is not supported');
    const wc = this.constIn(1, 'W');
    const rc = this.constIn(2, 'R');
    const bc = this.optionalConst(3, 'B');
    if (this.node.input?.[4]) this.fail('sequence_lens is not supported');
    this.requireAbsentOrZero(5, 'initial_h');
    if (op === 'LSTM') {
      this.requireAbsentOrZero(6, 'initial_c');
      this.requireAbsentOrZero(7, 'peephole weights P');
      if (this.int('input_forget', 0) !== 0) this.fail('input_forget is not supported');
    }
    if (this.attr('clip')) this.fail('cell clipping is not supported');
    const u = this.int('hidden_size', rc.dims[2] ?? 0);
    const direction = this.str('direction', 'forward');
    const dirs = direction === 'bidirectional' ? 2 : 1;
    const gates = op === 'LSTM' ? 4 : op === 'GRU' ? 3 : 1;
    if (wc.dims.length !== 3 || wc.dims[0] !== dirs || wc.dims[1] !== gates * u) this.fail(`W has shape [${wc.dims.join(',')}], expected [${dirs}, ${gates * u}, F]`);
    const f = wc.dims[2];
    // Activations: ONNX lists f, g(, h) per direction; hebb has recurrentActivation (f) and activation (g = h).
    const names: Record<string, 'sigmoid' | 'tanh' | 'relu'> = { Sigmoid: 'sigmoid', Tanh: 'tanh', Relu: 'relu' };
    const defaults = op === 'LSTM' ? ['Sigmoid', 'Tanh', 'Tanh'] : op === 'GRU' ? ['Sigmoid', 'Tanh'] : ['Tanh'];
    const acts = this.strings('activations') ?? [...defaults, ...(dirs === 2 ? defaults : [])];
    const per = defaults.length;
    if (acts.length !== per * dirs || acts.some((a) => !(a in names))) this.fail(`activations [${acts.join(',')}] are not supported (Sigmoid, Tanh, Relu)`);
    for (let i = 0; i < per; i++) if (dirs === 2 && acts[i] !== acts[i + per]) this.fail('both directions must use the same activations');
    if (op === 'LSTM' && acts[1] !== acts[2]) this.fail('LSTM with different g and h activations is not supported');
    const activation = names[op === 'RNN' ? acts[0] : acts[1]];
    const recurrentActivation = names[acts[0]];
    const outs = this.node.output ?? [];
    const used = outs.map((o) => Boolean(o) && (this.consumers.has(o) || this.isGraphOutput(o)));
    if (used[2]) this.fail('the Y_c output is not supported');
    if (used[0] && used[1]) this.fail('using both Y and Y_h is not supported');
    const returnSequences = used[0];
    if (returnSequences && direction === 'reverse') this.fail('Y of a reverse-direction RNN is not supported (use Y_h or a bidirectional RNN)');
    const sym = this.materialize(x, [1, 0, 2], base);
    if (sym.shape[2] !== f) this.fail(`X has ${sym.shape[2]} features, W expects ${f}`);
    const name = this.layerName(base);
    const mk = (n: string, goBackwards: boolean): Layer => {
      const common = { units: u, activation, returnSequences, goBackwards, useBias: bc !== null, name: n };
      if (op === 'LSTM') return L.lstm({ ...common, recurrentActivation, unitForgetBias: false });
      if (op === 'GRU') return L.gru({ ...common, recurrentActivation, resetAfter: this.int('linear_before_reset', 0) === 1 });
      return L.simpleRNN(common);
    };
    const W = this.constTensor(wc);
    const R = this.constTensor(rc);
    const B = bc ? this.constTensor(bc) : null;
    // ONNX rows in gate order (LSTM i, o, f, c) → hebb columns (i, f, c, o); [G·u, in] → [in, G·u].
    const toHebb = (m: Tensor): Tensor => noGrad(() => {
      if (op !== 'LSTM') return transpose(m, [1, 0]);
      const [i, o, fg, c] = split(m, 4, 0);
      return transpose(concat([i, fg, c, o], 0), [1, 0]);
    });
    const reorderBias = (b: Tensor): Tensor => noGrad(() => {
      if (op !== 'LSTM') return b;
      const [i, o, fg, c] = split(b, 4, 0);
      return concat([i, fg, c, o], 0);
    });
    const fill = (layer: Layer, dir: number): void => {
      const pick = (t: Tensor, rows: number, cols: number): Tensor => noGrad(() => reshape(slice(t, [dir, 0, 0], [1, rows, cols]), [rows, cols]));
      this.setWeight(layer, 'kernel', toHebb(pick(W, gates * u, f)));
      this.setWeight(layer, 'recurrent_kernel', toHebb(pick(R, gates * u, u)));
      if (B) {
        const both = noGrad(() => reshape(slice(B, [dir, 0], [1, 2 * gates * u]), [2, gates * u]));
        const [wb, rb] = noGrad(() => split(both, 2, 0)).map((t) => noGrad(() => reshape(t, [gates * u])));
        const resetAfter = op === 'GRU' && this.int('linear_before_reset', 0) === 1;
        // GRU resetAfter keeps both biases; otherwise they act as one sum.
        this.setWeight(layer, 'bias', resetAfter ? both : reorderBias(noGrad(() => add(wb, rb))));
      }
    };
    let y: SymbolicTensor;
    if (dirs === 2) {
      const inner = mk(`${name}_forward`, false);
      const bi = L.bidirectional({ layer: inner, mergeMode: 'concat', name });
      y = this.apply(bi, sym);
      const [fwd, bwd] = bi.sublayers();
      fill(fwd, 0);
      fill(bwd, 1);
    } else {
      const layer = mk(name, direction === 'reverse');
      y = this.apply(layer, sym);
      fill(layer, 0);
    }
    // Y [T, dirs, N, u] = view of hebb [N, T, dirs·u]; Y_h [dirs, N, u] = view of hebb [N, dirs·u].
    if (returnSequences) {
      const t = y.shape[1];
      this.set(0, { kind: 'tensor', sym: y, pre: [null, t, dirs, u], perm: [1, 2, 0, 3] });
    } else {
      this.set(1, { kind: 'tensor', sym: y, pre: [null, dirs, u], perm: [1, 0, 2] });
    }
  }

  /**
   * Does value `name` reach a channels-first op (Conv, pooling, BatchNormalization …) through
   * layout-neutral ops only (activations, Pad, Resize, elementwise)? Then a rank ≥ 3 graph input
   * is NCHW; one that is transposed or reshaped first is taken in its own order.
   */
  private feedsChannelsFirstOp(name: string): boolean {
    const seen = new Set<string>();
    const stack = [name];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      for (const n of this.consumers.get(v) ?? []) {
        const op = n.opType ?? '';
        if (LAYOUT_OPS.has(op)) return true;
        if (NEUTRAL_OPS.has(op)) stack.push(...(n.output ?? []).filter(Boolean));
      }
    }
    return false;
  }

  private graphOutputs = new Set<string>();
  setGraphOutputs(names: string[]): void {
    this.graphOutputs = new Set(names);
  }
  private isGraphOutput(name: string): boolean {
    return this.graphOutputs.has(name);
  }
}

/** Ops whose input is channels-first: a graph input they read directly is taken as NCHW. */
const LAYOUT_OPS = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'BatchNormalization', 'LRN']);
/** Ops that keep their input's layout, searched through to find a LAYOUT_OPS consumer. */
const NEUTRAL_OPS = new Set([
  'Pad', 'Resize', 'Slice', 'Relu', 'LeakyRelu', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'Softplus', 'Softsign', 'HardSigmoid', 'Clip',
  'Identity', 'Dropout', 'Add', 'Sub', 'Mul', 'Div', 'Sum', 'Mean', 'Max', 'Min',
]);

export function importOnnxModel(bytes: Uint8Array, options: ImportOnnxOptions | undefined, where: string): Model {
  checkOptions<ImportOnnxOptions>(where.split(' ')[0], options, { name: is.string });
  const importer = new Importer(where);
  try {
    const proto = decodeModel(bytes, where);
    importer.setGraphOutputs((proto.graph?.output ?? []).map((o) => o.name ?? ''));
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`${where}: ${(e as Error).message}`);
  }
  try {
    return importer.run(bytes, options ?? {});
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`${where}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}
