// ONNX convolution, pooling and batch-norm converters of the importer: Conv, ConvTranspose,
// MaxPool/AveragePool and BatchNormalization, with their padding translation (ONNX pads →
// hebb 'valid'/'same' plus an explicit ZeroPadding). Grouped because they are the channels-first
// ops: each needs its input in hebb's channels-last spatial order and rearranges its kernels.
import { type Layer, layers as L, type SymbolicTensor } from '../../nn/index.js';
import { reshape, transpose } from '../../ops/index.js';
import { noGrad, type Tensor } from '../../tensor/index.js';
import { type Const, type View, identity, cfPerm } from './import-values.js';
import { type Importer } from './import.js';

/** hebb padding for ONNX pads (begin…, end…) on spatial sizes `spatial`; 'same' when they match TF's. */
export function importPadding(im: Importer, spatial: (number | null)[], k: number[], s: number[], d: number[]): { mode: 'valid' | 'same'; extra: [number, number][] | null } {
  const autoPad = im.str('auto_pad', 'NOTSET');
  if (autoPad === 'SAME_UPPER') return { mode: 'same', extra: null };
  if (autoPad === 'VALID') return { mode: 'valid', extra: null };
  if (autoPad === 'SAME_LOWER') im.fail('auto_pad SAME_LOWER is not supported');
  const r = k.length;
  const pads = im.ints('pads') ?? new Array<number>(2 * r).fill(0);
  if (pads.length !== 2 * r || pads.some((p) => p < 0)) im.fail(`pads [${pads.join(',')}] must be 2×${r} non-negative integers`);
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

export function importZeroPad(im: Importer, sym: SymbolicTensor, pairs: [number, number][], base: string): SymbolicTensor {
  const name = im.layerName(`${base}_pad`);
  const layer = pairs.length === 1 ? L.zeroPadding1d({ padding: pairs[0], name }) : pairs.length === 2 ? L.zeroPadding2d({ padding: pairs, name }) : L.zeroPadding3d({ padding: pairs, name });
  return im.apply(layer, sym);
}

export function importSpatialView(im: Importer, r: number, sym: SymbolicTensor): View {
  return { kind: 'tensor', sym, pre: [...sym.shape], perm: cfPerm(r) };
}

/** A Conv or ConvTranspose node's input and constant weight W, of the same rank r = 3 … 5 (sd = r − 2 spatial axes). */
function convNode(im: Importer): { v: View; wc: Const; r: number; sd: number } {
  const v = im.tensorIn(0);
  const wc = im.constIn(1, 'W');
  const r = v.perm.length;
  const sd = r - 2;
  if (sd < 1 || sd > 3 || wc.dims.length !== r) im.fail(`expects [N, C, …] of rank 3 to 5 and a weight of the same rank, got ranks ${r} and ${wc.dims.length}`);
  return { v, wc, r, sd };
}

/** kernel_shape (default: W's spatial dims), strides and dilations (default 1) of a Conv or ConvTranspose node. */
function kernelAttrs(im: Importer, wc: Const, sd: number): { k: number[]; s: number[]; d: number[] } {
  return {
    k: im.ints('kernel_shape') ?? wc.dims.slice(2),
    s: im.ints('strides') ?? new Array<number>(sd).fill(1),
    d: im.ints('dilations') ?? new Array<number>(sd).fill(1),
  };
}

export function importConv(im: Importer, base: string): void {
  const { v, wc, r, sd } = convNode(im);
  const { k, s, d } = kernelAttrs(im, wc, sd);
  const group = im.int('group', 1);
  let sym = im.materialize(v, cfPerm(r), base);
  const cin = sym.shape[r - 1];
  const [f, cg] = wc.dims;
  if (cin === null || cin !== cg * group) im.fail(`input has ${cin} channels, weight [${wc.dims.join(',')}] with group ${group} expects ${cg * group}`);
  const { mode, extra } = importPadding(im, sym.shape.slice(1, -1), k, s, d);
  if (extra) sym = importZeroPad(im, sym, extra, base);
  const bc = im.optionalConst(2, 'B');
  const w = im.constTensor(wc);
  const spatialFirst = [...identity(sd).map((i) => i + 2), 1, 0];
  const name = im.layerName(base);
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
  const y = im.apply(layer, sym);
  im.setWeight(layer, kernelKey, kernel);
  if (bc) im.setWeight(layer, 'bias', im.constTensor(bc, [f]));
  im.set(0, importSpatialView(im, r, y));
}

export function importConvTranspose(im: Importer, base: string): void {
  const { v, wc, r, sd } = convNode(im);
  if (im.int('group', 1) !== 1) im.fail('grouped ConvTranspose is not supported');
  if (im.attr('output_shape')) im.fail('output_shape is not supported; give pads and output_padding');
  if (im.str('auto_pad', 'NOTSET') !== 'NOTSET' && im.str('auto_pad', 'NOTSET') !== 'VALID') im.fail('auto_pad SAME is not supported for ConvTranspose');
  const { k, s, d } = kernelAttrs(im, wc, sd);
  const pads = im.ints('pads') ?? new Array<number>(2 * sd).fill(0);
  const op = im.ints('output_padding') ?? new Array<number>(sd).fill(0);
  const [cin, f] = wc.dims;
  const sym = im.materialize(v, cfPerm(r), base);
  if (sym.shape[r - 1] !== cin) im.fail(`input has ${sym.shape[r - 1]} channels, weight expects ${cin}`);
  if (op.some((p, i) => p >= s[i])) im.fail(`output_padding [${op.join(',')}] must be smaller than strides`);
  const bc = im.optionalConst(2, 'B');
  const name = im.layerName(base);
  // 'valid' gives s·(n − 1) + (k − 1)·d + 1 (+ output_padding); the pads are then cropped.
  const args = { filters: f, kernelSize: k, strides: s, dilationRate: d, padding: 'valid' as const, outputPadding: op.some((p) => p > 0) ? op : null, useBias: bc !== null, name };
  const layer = sd === 1 ? L.conv1dTranspose(args) : sd === 2 ? L.conv2dTranspose(args) : L.conv3dTranspose(args);
  let y = im.apply(layer, sym);
  // W [C, F, …k] → [...k, F, C].
  im.setWeight(layer, 'kernel', noGrad(() => transpose(im.constTensor(wc), [...identity(sd).map((i) => i + 2), 1, 0])));
  if (bc) im.setWeight(layer, 'bias', im.constTensor(bc, [f]));
  const crops = Array.from({ length: sd }, (_, i): [number, number] => [pads[i], pads[i + sd]]);
  if (crops.some(([b, e]) => b > 0 || e > 0)) {
    const cname = im.layerName(`${base}_crop`);
    y = im.apply(sd === 1 ? L.cropping1d({ cropping: crops[0], name: cname }) : sd === 2 ? L.cropping2d({ cropping: crops, name: cname }) : L.cropping3d({ cropping: crops, name: cname }), y);
  }
  im.set(0, importSpatialView(im, r, y));
}

export function importPool(im: Importer, op: 'MaxPool' | 'AveragePool', base: string): void {
  const v = im.tensorIn(0);
  const r = v.perm.length;
  const sd = r - 2;
  if (sd < 1 || sd > 3) im.fail(`expects [N, C, …] of rank 3 to 5, got rank ${r}`);
  if ((im.node.output ?? []).length > 1 && im.node.output![1]) im.fail('the Indices output is not supported');
  const k = im.ints('kernel_shape');
  if (!k || k.length !== sd) im.fail('kernel_shape is required');
  const s = im.ints('strides') ?? new Array<number>(sd).fill(1);
  const d = im.ints('dilations') ?? new Array<number>(sd).fill(1);
  if (d.some((x) => x !== 1)) im.fail('dilated pooling is not supported');
  const sym = im.materialize(v, cfPerm(r), base);
  const { mode, extra } = importPadding(im, sym.shape.slice(1, -1), k, s, d);
  if (extra) im.fail(`pads [${(im.ints('pads') ?? []).join(',')}] are neither 'valid' nor TF 'same'; hebb pooling supports those two`);
  if (im.int('ceil_mode', 0) === 1) {
    // ceil_mode only matters when a window would start past the padded end.
    const changes = sym.shape.slice(1, -1).some((n, i) => n === null || (mode === 'valid' && (n - k[i]) % s[i] !== 0));
    if (changes) im.fail('ceil_mode = 1 is not supported');
  }
  if (op === 'AveragePool' && mode === 'same' && im.int('count_include_pad', 0) === 1) im.fail('count_include_pad = 1 with padding is not supported (hebb averages over the real elements)');
  const name = im.layerName(base);
  const args = { poolSize: k, strides: s, padding: mode, name };
  const layer = op === 'MaxPool'
    ? (sd === 1 ? L.maxPooling1d(args) : sd === 2 ? L.maxPooling2d(args) : L.maxPooling3d(args))
    : sd === 1 ? L.averagePooling1d(args) : sd === 2 ? L.averagePooling2d(args) : L.averagePooling3d(args);
  im.set(0, importSpatialView(im, r, im.apply(layer, sym)));
}

export function importBatchNorm(im: Importer, base: string, opset: number): void {
  const v = im.tensorIn(0);
  const r = v.perm.length;
  if ((im.node.output ?? []).slice(1).some((o) => o)) im.fail('training-mode outputs (running mean/var) are not supported');
  if (opset >= 14 && im.int('training_mode', 0) === 1) im.fail('training_mode = 1 is not supported');
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => im.constIn(i, ['scale', 'B', 'mean', 'var'][i - 1]));
  const c = scale.values.length;
  const sym = r === 2 ? im.materialize(v, identity(2), base) : im.materialize(v, cfPerm(r), base);
  if (sym.shape[sym.shape.length - 1] !== c) im.fail(`input has ${sym.shape[sym.shape.length - 1]} channels, scale has ${c}`);
  const layer = L.batchNormalization({ epsilon: im.float('epsilon', 1e-5), momentum: im.float('momentum', 0.9), name: im.layerName(base) });
  const y = im.apply(layer, sym);
  im.setWeight(layer, 'gamma', im.constTensor(scale, [c]));
  im.setWeight(layer, 'beta', im.constTensor(bias, [c]));
  im.setWeight(layer, 'moving_mean', im.constTensor(mean, [c]));
  im.setWeight(layer, 'moving_variance', im.constTensor(variance, [c]));
  im.set(0, r === 2 ? im.plainView(y) : importSpatialView(im, r, y));
}
