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
import { type DecodedTensor, decodeModel, int64ToNumber, onnx, readTensor, type AttributeProto, type NodeProto } from '../../io/onnx/index.js';
import { type Layer, layers as L, type SymbolicTensor, type Variable } from '../../nn/index.js';
import { type Tensor, tensor } from '../../tensor/index.js';
import { input } from '../input-layer.js';
import { Model } from '../model.js';
import { convertNode } from './import-dispatch.js';
import { type View, type Const, type Value, identity, sameList, invert, prod, cfPerm } from './import-values.js';

/** Options of `hb.io.importOnnx`: the model's name. */
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

export class Importer {
  readonly values = new Map<string, Value>();
  readonly consumers = new Map<string, NodeProto[]>();
  private readonly usedNames = new Set<string>();
  /** MatMul outputs whose bias Add was folded into the Dense (Add output → its view). */
  readonly fusedAdds = new Set<NodeProto>();
  node!: NodeProto;

  constructor(readonly where: string) {}

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

  reshapeTo(sym: SymbolicTensor, shape: (number | null)[], base: string): SymbolicTensor {
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
        convertNode(this, n, opset);
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

  fromTensor(t: Tensor, isInt: boolean): Const {
    return { kind: 'const', dims: [...t.shape], values: Float32Array.from(t.dataSync() as ArrayLike<number>), isInt };
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
  isGraphOutput(name: string): boolean {
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
