// ONNX dense and elementwise converters of the importer: activations (unary ops), the binary and
// variadic elementwise ops, Gemm/MatMul (→ Dense, with a following bias Add folded in) and
// LayerNormalization. Grouped because they work on the last (feature) axis and share the
// constant-operand handling (constForView) that rearranges initializers into the view's order.
import { type Layer, layers as L, type SymbolicTensor } from '../../nn/index.js';
import { mul, reshape, transpose } from '../../ops/index.js';
import { noGrad, type Tensor, tensor } from '../../tensor/index.js';
import { type View, type Const, identity, sameList, invert } from './import-values.js';
import { type Importer } from './import.js';
import { type ElementwiseOp, OnnxElementwise } from './layers.js';

export function importUnary(im: Importer, op: string, base: string, opset: number): void {
  const v = im.tensorIn(0);
  const name = im.layerName(base);
  let layer: Layer;
  switch (op) {
    case 'Relu': layer = L.activation({ activation: 'relu', name }); break;
    case 'Sigmoid': layer = L.activation({ activation: 'sigmoid', name }); break;
    case 'Tanh': layer = L.activation({ activation: 'tanh', name }); break;
    case 'Softplus': layer = L.activation({ activation: 'softplus', name }); break;
    case 'Softsign': layer = L.activation({ activation: 'softsign', name }); break;
    case 'Selu': {
      if (Math.abs(im.float('alpha', 1.67326319217681884765625) - 1.6732632) > 1e-6 || Math.abs(im.float('gamma', 1.05070102214813232421875) - 1.0507010) > 1e-6) im.fail('only the standard SELU constants are supported');
      layer = L.activation({ activation: 'selu', name });
      break;
    }
    case 'LeakyRelu': layer = L.leakyReLU({ negativeSlope: im.float('alpha', 0.01), name }); break;
    case 'Elu': layer = L.elu({ alpha: im.float('alpha', 1), name }); break;
    case 'HardSigmoid': {
      if (Math.abs(im.float('alpha', 0.2) - 0.2) > 1e-6 || Math.abs(im.float('beta', 0.5) - 0.5) > 1e-6) im.fail('only alpha 0.2, beta 0.5 (Keras\'s hard sigmoid) is supported');
      layer = L.activation({ activation: 'hardSigmoid', name });
      break;
    }
    case 'Clip': {
      const lo = opset >= 11 ? im.optionalConst(1, 'min')?.values[0] ?? -Infinity : im.float('min', -Infinity);
      const hi = opset >= 11 ? im.optionalConst(2, 'max')?.values[0] ?? Infinity : im.float('max', Infinity);
      if (lo !== 0) im.fail(`Clip is supported as a ReLU with a ceiling (min 0), got min ${lo}`);
      layer = L.reLU({ maxValue: Number.isFinite(hi) ? hi : null, name });
      break;
    }
    default: return im.fail('unsupported activation');
  }
  // Elementwise: the hebb shape and so the view stay as they are.
  im.set(0, { ...v, sym: im.apply(layer, v.sym), pre: [...v.pre] });
}

/** A constant operand in the hebb layout of `v` (broadcast to v's rank, batch axis dropped). */
export function importConstForView(im: Importer, c: Const, v: View): Tensor {
  const r = v.perm.length;
  if (c.dims.length > r) im.fail(`constant of rank ${c.dims.length} is larger than the tensor's rank ${r}`);
  const full = [...new Array<number>(r - c.dims.length).fill(1), ...c.dims];
  if (!sameList(v.pre, v.sym.shape)) im.fail('a constant operand on a reshaped value is not supported');
  const t = noGrad(() => transpose(im.constTensor(c, full), invert(v.perm)));
  if (t.shape[0] !== 1) im.fail(`constant varies along the batch axis (shape [${c.dims.join(',')}])`);
  return noGrad(() => reshape(t, t.shape.slice(1)));
}

export function importBinary(im: Importer, op: 'Add' | 'Sub' | 'Mul' | 'Div', base: string): void {
  if (im.fusedAdds.has(im.node)) return;
  const a = im.get(im.node.input?.[0]);
  const b = im.get(im.node.input?.[1]);
  const kind = op.toLowerCase() as ElementwiseOp;
  if (a.kind === 'const' && b.kind === 'const') {
    const f = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y }[kind];
    if (a.values.length !== b.values.length && a.values.length !== 1 && b.values.length !== 1) im.fail('constant arithmetic on different shapes is not supported');
    const n = Math.max(a.values.length, b.values.length);
    const values = Float64Array.from({ length: n }, (_, i) => f(Number(a.values[a.values.length === 1 ? 0 : i]), Number(b.values[b.values.length === 1 ? 0 : i])));
    return im.set(0, { kind: 'const', dims: a.values.length >= b.values.length ? a.dims : b.dims, values, isInt: a.isInt && b.isInt });
  }
  if (a.kind === 'tensor' && b.kind === 'tensor') {
    const sameView = sameList(a.perm, b.perm) && sameList(a.pre, a.sym.shape) && sameList(b.pre, b.sym.shape);
    const r = Math.max(a.perm.length, b.perm.length);
    const [sa, sb, view] = sameView
      ? [a.sym, b.sym, a]
      : [im.materialize(a, identity(a.perm.length), `${base}_a`), im.materialize(b, identity(b.perm.length), `${base}_b`), null];
    const name = im.layerName(base);
    const layer = kind === 'add' ? L.add({ name }) : kind === 'sub' ? L.subtract({ name }) : kind === 'mul' ? L.multiply({ name }) : new OnnxElementwise({ op: 'div', name });
    const y = im.apply(layer, [sa, sb]);
    if (view) return im.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: y.shape.length === view.perm.length ? [...view.perm] : identity(r) });
    return im.set(0, im.plainView(y));
  }
  const [v, c, constantFirst] = a.kind === 'tensor' ? [a, b as Const, false] : [b as View, a, true];
  const ct = importConstForView(im, c, v);
  const layer = new OnnxElementwise({ op: kind, constantShape: [...ct.shape], constantFirst, name: im.layerName(base) });
  const y = im.apply(layer, v.sym);
  im.setWeight(layer, 'constant', ct);
  return im.set(0, { ...v, sym: y, pre: [...y.shape] });
}

export function importVariadic(im: Importer, op: 'Sum' | 'Mean' | 'Max' | 'Min', base: string): void {
  const views = (im.node.input ?? []).map((_, i) => im.tensorIn(i));
  if (views.length === 1) return im.set(0, views[0]);
  const shared = views.every((v) => sameList(v.perm, views[0].perm) && sameList(v.pre, v.sym.shape));
  const syms = shared ? views.map((v) => v.sym) : views.map((v, i) => im.materialize(v, identity(v.perm.length), `${base}_${i}`));
  const name = im.layerName(base);
  const layer = op === 'Sum' ? L.add({ name }) : op === 'Mean' ? L.average({ name }) : op === 'Max' ? L.maximum({ name }) : L.minimum({ name });
  const y = im.apply(layer, syms);
  return im.set(0, shared ? { kind: 'tensor', sym: y, pre: [...y.shape], perm: [...views[0].perm] } : im.plainView(y));
}

/** Dense from x·W (+ b); `w` is [in, units]. Folds a following bias Add when it is the only consumer. */
export function importDense(im: Importer, x: View, w: Tensor, bias: Tensor | null, base: string): SymbolicTensor {
  const r = x.perm.length;
  const sym = im.materialize(x, identity(r), base);
  const units = w.shape[1];
  let b = bias;
  if (!b) {
    // MatMul followed by Add(const [units]) as the only consumer: the Dense's bias.
    const out = im.node.output?.[0] ?? '';
    const cons = im.consumers.get(out) ?? [];
    if (cons.length === 1 && cons[0].opType === 'Add') {
      const other = cons[0].input?.find((s) => s !== out);
      const c = other ? im.values.get(other) : undefined;
      if (c?.kind === 'const' && c.values.length === units && c.dims[c.dims.length - 1] === units) {
        b = im.constTensor(c, [units]);
        im.fusedAdds.add(cons[0]);
      }
    }
  }
  if (sym.shape[sym.shape.length - 1] !== w.shape[0]) im.fail(`input has ${sym.shape[sym.shape.length - 1]} features, the weight expects ${w.shape[0]}`);
  const layer = L.dense({ units, useBias: b !== null, name: im.layerName(base) });
  const y = im.apply(layer, sym);
  im.setWeight(layer, 'kernel', w);
  if (b) im.setWeight(layer, 'bias', b);
  if (b && !bias) {
    // The folded Add's output is im Dense's output.
    const addNode = [...im.fusedAdds].find((n) => (n.input ?? []).includes(im.node.output?.[0] ?? ''));
    if (addNode) im.values.set(addNode.output?.[0] ?? '', im.plainView(y));
  }
  return y;
}

export function importGemm(im: Importer, base: string): void {
  const a = im.tensorIn(0);
  if (im.int('transA', 0) !== 0) im.fail('transA = 1 is not supported');
  const bc = im.constIn(1, 'B');
  if (bc.dims.length !== 2) im.fail(`B must be a matrix, got [${bc.dims.join(',')}]`);
  const alpha = im.float('alpha', 1);
  const beta = im.float('beta', 1);
  let w = im.constTensor(bc);
  w = noGrad(() => (im.int('transB', 0) ? transpose(w, [1, 0]) : w));
  if (alpha !== 1) w = noGrad(() => mul(w, alpha));
  const cc = im.optionalConst(2, 'C');
  let b: Tensor | null = null;
  if (cc) {
    const units = w.shape[1];
    if (cc.values.length !== units && cc.values.length !== 1) im.fail(`C must broadcast over the batch (shape [${cc.dims.join(',')}])`);
    const vals = cc.values.length === 1 ? new Float32Array(units).fill(Number(cc.values[0])) : Float32Array.from(cc.values);
    b = noGrad(() => mul(tensor(vals, [units]), beta));
  }
  im.set(0, im.plainView(importDense(im, a, w, b, base)));
}

export function importMatmul(im: Importer, base: string): void {
  const a = im.get(im.node.input?.[0]);
  const bv = im.get(im.node.input?.[1]);
  if (a.kind !== 'tensor' || bv.kind !== 'const' || bv.dims.length !== 2) im.fail('MatMul is supported as graph tensor × constant matrix (a dense layer)');
  const y = importDense(im, a, im.constTensor(bv), null, base);
  im.set(0, im.plainView(y));
}

export function importLayerNorm(im: Importer, base: string): void {
  const v = im.tensorIn(0);
  const r = v.perm.length;
  let axis = im.int('axis', -1);
  if (axis < 0) axis += r;
  if (axis === 0) im.fail('normalising over the batch axis is not supported');
  if (im.int('stash_type', 1) !== 1) im.fail('stash_type other than float is not supported');
  if ((im.node.output ?? []).slice(1).some((o) => o)) im.fail('the Mean and InvStdDev outputs are not supported');
  const sym = im.materialize(v, identity(r), base);
  const featShape = sym.shape.slice(axis) as number[];
  const scale = im.constIn(1, 'Scale');
  const bias = im.optionalConst(2, 'B');
  const axes = identity(r - axis).map((i) => i + axis);
  const layer = L.layerNormalization({ axis: axes.length === 1 ? axes[0] : axes, epsilon: im.float('epsilon', 1e-5), center: bias !== null, name: im.layerName(base) });
  const y = im.apply(layer, sym);
  const gamma = layer.weights.find((w) => w.name.endsWith('/gamma'));
  if (!gamma) im.fail('internal: layer normalisation without gamma');
  im.setWeight(layer, 'gamma', noGrad(() => reshape(im.constTensor(scale, featShape), gamma.shape)));
  if (bias) im.setWeight(layer, 'beta', noGrad(() => reshape(im.constTensor(bias, featShape), gamma.shape)));
  im.set(0, im.plainView(y));
}
