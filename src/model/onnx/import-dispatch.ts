// The ONNX-node dispatcher of the importer: one switch from an op type (and its opset) to the
// converter that turns it into hebb layers or folds it into a view or constant. Kept apart from
// the Importer core (import.ts) so that the core holds graph reading and value tracking only and
// this file is the one place that lists which converter handles which op.
import { int64ToNumber, readTensor, type NodeProto } from '../../io/onnx/index.js';
import { layers as L } from '../../nn/index.js';
import { transpose } from '../../ops/index.js';
import { noGrad } from '../../tensor/index.js';
import { importConv, importConvTranspose, importPool, importBatchNorm } from './import-conv-ops.js';
import { importUnary, importBinary, importVariadic, importGemm, importMatmul, importLayerNorm } from './import-dense-ops.js';
import { importRnn } from './import-recurrent.js';
import { importGather, importSqueeze, importConcat, importReshape, importPad, importSliceOp, importResize } from './import-shape-ops.js';
import { identity, sameList, prod, cfPerm } from './import-values.js';
import { type Importer, type SUPPORTED_OPS } from './import.js';

export function convertNode(im: Importer, n: NodeProto, opset: number): void {
  const op = n.opType as (typeof SUPPORTED_OPS)[number];
  const base = n.name || n.output?.[0] || op;
  switch (op) {
    case 'Constant': {
      const a = im.attr('value');
      if (a?.t) return im.set(0, im.fromDecoded(readTensor(a.t, `${im.where}: Constant '${base}'`)));
      const f = im.attr('value_float');
      if (f) return im.set(0, { kind: 'const', dims: [], values: Float32Array.of(f.f ?? 0), isInt: false });
      const i = im.attr('value_int');
      if (i) return im.set(0, { kind: 'const', dims: [], values: Int32Array.of(int64ToNumber(i.i)), isInt: true });
      const is = im.ints('value_ints');
      if (is) return im.set(0, { kind: 'const', dims: [is.length], values: Int32Array.from(is), isInt: true });
      return im.fail('only tensor, float, int and ints constants are supported');
    }
    case 'Identity': case 'Dropout': {
      const v = im.get(n.input?.[0]);
      if (op === 'Dropout' && v.kind === 'tensor' && im.consumers.has(n.output?.[0] ?? '')) {
        // Keep dropout as a layer, so a fine-tuned import regularises as the original did.
        const ratio = opset >= 12 ? (im.optionalConst(1, 'ratio')?.values[0] ?? 0.5) : im.float('ratio', 0.5);
        if (ratio > 0 && ratio < 1) {
          const sym = im.materialize(v, identity(v.perm.length), base);
          return im.set(0, im.plainView(im.apply(L.dropout({ rate: ratio, name: im.layerName(base) }), sym)));
        }
      }
      return im.set(0, v);
    }
    case 'Cast': {
      const v = im.get(n.input?.[0]);
      return im.set(0, v);
    }
    case 'Shape': {
      const v = im.tensorIn(0);
      const shape = im.onnxShape(v).map((d) => (d === null ? NaN : d));
      return im.set(0, { kind: 'const', dims: [shape.length], values: Float64Array.from(shape), isInt: true });
    }
    case 'ConstantOfShape': {
      const shape = im.constIn(0, 'shape');
      const a = im.attr('value');
      const fill = a?.t ? readTensor(a.t, 'ConstantOfShape value').values[0] : 0;
      const dims = Array.from(shape.values, Number);
      if (dims.some((d) => !Number.isFinite(d))) return im.set(0, { kind: 'const', dims: [], values: new Float32Array(0), isInt: false, fill });
      return im.set(0, { kind: 'const', dims, values: new Float32Array(prod(dims)).fill(fill), isInt: false, fill });
    }
    case 'Gather': return importGather(im);
    case 'Squeeze': case 'Unsqueeze': return importSqueeze(im, op, opset);
    case 'Transpose': {
      const v = im.get(n.input?.[0]);
      const r = v.kind === 'tensor' ? v.perm.length : v.dims.length;
      const p = im.ints('perm') ?? identity(r).reverse();
      if (p.length !== r || !sameList([...p].sort((a, b) => a - b), identity(r))) im.fail(`perm [${p.join(',')}] is not a permutation of ${r} axes`);
      if (v.kind === 'const') {
        return im.set(0, im.fromTensor(noGrad(() => transpose(im.constTensor(v), p)), v.isInt));
      }
      return im.set(0, { ...v, perm: p.map((i) => v.perm[i]) });
    }
    case 'Concat': return importConcat(im);
    case 'Relu': case 'Sigmoid': case 'Tanh': case 'Softplus': case 'Softsign': case 'Selu': case 'LeakyRelu': case 'Elu': case 'HardSigmoid': case 'Clip':
      return importUnary(im, op, base, opset);
    case 'Softmax': case 'LogSoftmax': {
      const v = im.tensorIn(0);
      const r = v.perm.length;
      const defaultAxis = opset >= 13 ? -1 : 1;
      let axis = im.int('axis', defaultAxis);
      if (axis < 0) axis += r;
      if (opset < 13 && axis !== r - 1) im.fail(`before opset 13 ${op} flattens from axis ${axis}; only the last axis is supported`);
      if (!sameList(v.pre, v.sym.shape)) {
        const sym = im.materialize(v, identity(r), base);
        const layer = op === 'Softmax' ? L.softmax({ axis, name: im.layerName(base) }) : L.activation({ activation: 'logSoftmax', name: im.layerName(base) });
        if (op === 'LogSoftmax' && axis !== r - 1) im.fail('LogSoftmax is supported over the last axis only');
        return im.set(0, im.plainView(im.apply(layer, sym)));
      }
      const hebbAxis = v.perm[axis];
      if (op === 'LogSoftmax' && hebbAxis !== r - 1) im.fail('LogSoftmax is supported over the (hebb) last axis only');
      const layer = op === 'Softmax' ? L.softmax({ axis: hebbAxis, name: im.layerName(base) }) : L.activation({ activation: 'logSoftmax', name: im.layerName(base) });
      return im.set(0, { ...v, sym: im.apply(layer, v.sym) });
    }
    case 'Add': case 'Sub': case 'Mul': case 'Div': return importBinary(im, op, base);
    case 'Sum': case 'Mean': case 'Max': case 'Min': return importVariadic(im, op, base);
    case 'Gemm': return importGemm(im, base);
    case 'MatMul': return importMatmul(im, base);
    case 'Conv': return importConv(im, base);
    case 'ConvTranspose': return importConvTranspose(im, base);
    case 'MaxPool': case 'AveragePool': return importPool(im, op, base);
    case 'GlobalAveragePool': case 'GlobalMaxPool': {
      const v = im.tensorIn(0);
      const r = v.perm.length;
      if (r < 3 || r > 5) im.fail(`expects an [N, C, …] input of rank 3 to 5, got rank ${r}`);
      const sym = im.materialize(v, cfPerm(r), base);
      const avg = op === 'GlobalAveragePool';
      const name = im.layerName(base);
      const layer = r === 3 ? (avg ? L.globalAveragePooling1d({ keepDims: true, name }) : L.globalMaxPooling1d({ keepDims: true, name }))
        : r === 4 ? (avg ? L.globalAveragePooling2d({ keepDims: true, name }) : L.globalMaxPooling2d({ keepDims: true, name }))
          : avg ? L.globalAveragePooling3d({ keepDims: true, name }) : L.globalMaxPooling3d({ keepDims: true, name });
      const y = im.apply(layer, sym);
      return im.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: cfPerm(r) });
    }
    case 'BatchNormalization': return importBatchNorm(im, base, opset);
    case 'LRN': {
      const v = im.tensorIn(0);
      if (v.perm.length !== 4) im.fail('LRN is supported on [N, C, H, W] inputs');
      const size = im.int('size', 0);
      if (size % 2 !== 1) im.fail(`LRN size ${size} must be odd (hebb's window is centred)`);
      const sym = im.materialize(v, cfPerm(4), base);
      const layer = L.localResponseNormalization({
        depthRadius: (size - 1) / 2, alpha: im.float('alpha', 1e-4) / size, beta: im.float('beta', 0.75), bias: im.float('bias', 1), name: im.layerName(base),
      });
      const y = im.apply(layer, sym);
      return im.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: cfPerm(4) });
    }
    case 'Flatten': {
      const v = im.tensorIn(0);
      const axis = im.int('axis', 1);
      if (axis !== 1) im.fail(`only axis 1 (keep the batch axis) is supported, got ${axis}`);
      const shape = im.onnxShape(v);
      const rest = shape.slice(1);
      if (rest.some((d) => d === null)) im.fail(`needs known sizes after the batch axis, got [${shape.join(',')}]`);
      // Already in ONNX's element order (e.g. [N, 1, 1, C] after global pooling): flatten as is.
      const sym = im.inHebbOrder(v) ? v.sym : im.materialize(v, identity(shape.length), base);
      const y = sym.shape.length === 2 ? sym : im.apply(L.flatten({ name: im.layerName(base) }), sym);
      return im.set(0, im.plainView(y));
    }
    case 'Reshape': return importReshape(im, base, opset);
    case 'Pad': return importPad(im, base, opset);
    case 'Resize': return importResize(im, base);
    case 'Slice': return importSliceOp(im, base);
    case 'LayerNormalization': return importLayerNorm(im, base);
    case 'LSTM': case 'GRU': case 'RNN': return importRnn(im, op, base);
    default:
      op satisfies never;
      return im.fail('unsupported');
  }
}
