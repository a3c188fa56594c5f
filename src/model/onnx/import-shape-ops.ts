// ONNX shape and layout converters of the importer: Gather, Squeeze/Unsqueeze, Concat, Reshape,
// Pad, Slice and Resize. Most only change a value's view or fold constants; the rest become
// Concatenate, ZeroPadding, Cropping or UpSampling layers (or a Reshape via the view). Grouped here because they share the
// view arithmetic (mapping ONNX axes to hebb axes) rather than any weights.
import { layers as L, type SymbolicTensor } from '../../nn/index.js';
import { importZeroPad } from './import-conv-ops.js';
import { type View, type Const, identity, sameList, prod } from './import-values.js';
import { type Importer } from './import.js';

export function importGather(im: Importer): void {
  const data = im.get(im.node.input?.[0]);
  const idx = im.constIn(1, 'indices');
  const axisAttr = im.int('axis', 0);
  if (data.kind === 'const') {
    // Shape arithmetic: gather from a 1-D vector.
    if (data.dims.length !== 1 || axisAttr !== 0) im.fail('Gather on constants is supported for 1-D vectors only');
    const n = data.values.length;
    const picked = Array.from(idx.values, (i) => data.values[(Number(i) + n) % n]);
    return im.set(0, { kind: 'const', dims: idx.dims, values: Float64Array.from(picked), isInt: data.isInt });
  }
  const r = data.perm.length;
  const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
  // Picking one entry of a size-1 axis (PyTorch's h_n[-1]) is a squeeze.
  const shape = im.onnxShape(data);
  if (idx.dims.length === 0 && shape[axis] === 1 && (idx.values[0] === 0 || idx.values[0] === -1)) return im.set(0, importSqueezeAxes(im, data, [axis]));
  return im.fail('Gather is supported for picking from a size-1 axis (as in PyTorch\'s h_n[-1]) and for shape arithmetic only');
}

export function importSqueezeAxes(im: Importer, v: View, axes: number[]): View {
  let cur = v;
  for (const a of [...axes].sort((x, y) => y - x)) {
    const k = cur.perm[a];
    if (cur.pre[k] !== 1) im.fail(`cannot squeeze axis ${a} of size ${cur.pre[k] ?? 'unknown'}`);
    cur = { ...cur, pre: cur.pre.filter((_, i) => i !== k), perm: cur.perm.filter((_, i) => i !== a).map((p) => (p > k ? p - 1 : p)) };
  }
  return cur;
}

export function importSqueeze(im: Importer, op: 'Squeeze' | 'Unsqueeze', opset: number): void {
  const v = im.get(im.node.input?.[0]);
  const axesConst = opset >= 13 ? im.optionalConst(1, 'axes') : null;
  let axes = opset >= 13 ? (axesConst ? im.intList(axesConst, 'axes') : null) : im.ints('axes');
  if (v.kind === 'const') {
    let dims = [...v.dims];
    if (op === 'Squeeze') {
      const list = (axes ?? dims.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => (a < 0 ? a + dims.length : a));
      dims = dims.filter((_, i) => !list.includes(i));
    } else {
      const out = dims.length + (axes ?? []).length;
      for (const a of (axes ?? []).map((x) => (x < 0 ? x + out : x)).sort((x, y) => x - y)) dims.splice(a, 0, 1);
    }
    return im.set(0, { ...v, dims });
  }
  const r = v.perm.length;
  if (op === 'Squeeze') {
    const shape = im.onnxShape(v);
    axes = (axes ?? shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => (a < 0 ? a + r : a));
    return im.set(0, importSqueezeAxes(im, v, axes));
  }
  if (!axes) im.fail('Unsqueeze needs axes');
  const out = r + axes.length;
  let cur = v;
  for (const a of axes.map((x) => (x < 0 ? x + out : x)).sort((x, y) => x - y)) {
    const k = cur.pre.length;
    const perm = [...cur.perm];
    perm.splice(a, 0, k);
    cur = { ...cur, pre: [...cur.pre, 1], perm };
  }
  return im.set(0, cur);
}

export function importConcat(im: Importer): void {
  const ins = (im.node.input ?? []).map((name) => im.get(name));
  const axisAttr = im.int('axis', 0);
  if (ins.every((v) => v.kind === 'const')) {
    const consts = ins as Const[];
    if (consts.some((c) => c.dims.length !== 1)) im.fail('Concat of constants is supported for 1-D vectors only');
    const values = consts.flatMap((c) => Array.from(c.values, Number));
    return im.set(0, { kind: 'const', dims: [values.length], values: Float64Array.from(values), isInt: consts.every((c) => c.isInt) });
  }
  if (ins.some((v) => v.kind !== 'tensor')) im.fail('Concat of graph tensors with constants is not supported');
  const views = ins as View[];
  const r = views[0].perm.length;
  const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
  const base = im.node.name || 'concat';
  const shared = views.every((v) => sameList(v.perm, views[0].perm) && sameList(v.pre, v.sym.shape));
  if (shared) {
    const y = im.apply(L.concatenate({ axis: views[0].perm[axis], name: im.layerName(base) }), views.map((v) => v.sym));
    return im.set(0, { kind: 'tensor', sym: y, pre: [...y.shape], perm: [...views[0].perm] });
  }
  const syms = views.map((v, i) => im.materialize(v, identity(r), `${base}_${i}`));
  return im.set(0, im.plainView(im.apply(L.concatenate({ axis, name: im.layerName(base) }), syms)));
}

export function importReshape(im: Importer, base: string, opset: number): void {
  const v = im.get(im.node.input?.[0]);
  const targetC = opset >= 5 ? im.constIn(1, 'shape') : null;
  let target = targetC ? Array.from(targetC.values, Number) : im.ints('shape') ?? [];
  if (v.kind === 'const') {
    target = target.map((t, i) => (t === 0 ? v.dims[i] : t));
    const known = prod(target.filter((t) => t !== -1));
    return im.set(0, { ...v, dims: target.map((t) => (t === -1 ? v.values.length / known : t)) });
  }
  const shape = im.onnxShape(v);
  if (im.int('allowzero', 0) === 1 && target.includes(0)) im.fail('allowzero = 1 is not supported');
  const resolved: (number | null)[] = target.map((t, i) => (t === 0 ? shape[i] : t === -1 ? -1 : t));
  const restKnown = shape.slice(1).every((d) => d !== null);
  if (!restKnown) im.fail(`needs known sizes after the batch axis, got [${shape.join(',')}]`);
  const perSample = prod(shape.slice(1) as number[]);
  // The batch axis must stay first: either copied (0 / null) or the one −1 with the rest known.
  if (resolved[0] === -1 && !resolved.slice(1).includes(-1)) resolved[0] = null;
  else if (resolved[0] !== null) im.fail(`reshape to [${target.join(',')}] changes the batch axis`);
  const rest = resolved.slice(1);
  const knownRest = prod(rest.filter((t): t is number => t !== -1 && t !== null));
  const out = rest.map((t) => (t === -1 ? perSample / knownRest : t));
  if (prod(out as number[]) !== perSample) im.fail(`cannot reshape [${shape.join(',')}] to [${target.join(',')}]`);
  const sym = im.materialize(v, identity(shape.length), base);
  im.set(0, im.plainView(im.reshapeTo(sym, [null, ...out], base)));
}

/**
 * The hebb tensor and hebb axes for ONNX axes `axes` of `v`, where those must be spatial in hebb
 * (1 … r−2: what ZeroPadding, Cropping and UpSampling act on). Tries the view as it is, then
 * the value in ONNX's own order.
 */
export function importSpatialAxes(im: Importer, v: View, axes: number[], base: string): { sym: SymbolicTensor; hebbAxes: number[]; view: View } {
  const r = v.perm.length;
  const ok = (ks: number[]): boolean => ks.every((k) => k >= 1 && k <= r - 2);
  if (sameList(v.pre, v.sym.shape) && ok(axes.map((a) => v.perm[a]))) return { sym: v.sym, hebbAxes: axes.map((a) => v.perm[a]), view: v };
  if (ok(axes)) {
    const sym = im.materialize(v, identity(r), base);
    return { sym, hebbAxes: axes, view: im.plainView(sym) };
  }
  return im.fail(`acts on axes [${axes.join(',')}]; hebb pads, crops and up-samples the spatial axes of [N, …, C] only`);
}

export function importPad(im: Importer, base: string, opset: number): void {
  const v = im.tensorIn(0);
  const r = v.perm.length;
  const mode = im.str('mode', 'constant');
  if (mode !== 'constant') im.fail(`mode '${mode}' is not supported (constant zero padding only)`);
  const pads = opset >= 11 ? im.intList(im.constIn(1, 'pads'), 'pads') : im.ints('pads') ?? [];
  const value = opset >= 11 ? (im.optionalConst(2, 'constant_value')?.values[0] ?? 0) : im.float('value', 0);
  if (value !== 0) im.fail(`constant_value ${value} is not supported (zero padding only)`);
  if (opset >= 18 && im.node.input?.[3]) im.fail('the axes input is not supported');
  if (pads.length !== 2 * r) im.fail(`pads has ${pads.length} entries, the input has rank ${r}`);
  if (pads.some((p) => p < 0)) im.fail('negative pads (cropping) are not supported');
  if (r < 3 || r > 5) im.fail('Pad is supported on inputs of rank 3 to 5');
  const padded = identity(r).filter((a) => pads[a] > 0 || pads[a + r] > 0);
  const { sym, hebbAxes, view } = importSpatialAxes(im, v, padded, base);
  const pairs = Array.from({ length: r - 2 }, (): [number, number] => [0, 0]);
  padded.forEach((a, i) => (pairs[hebbAxes[i] - 1] = [pads[a], pads[a + r]]));
  const y = importZeroPad(im, sym, pairs, base);
  im.set(0, { ...view, sym: y, pre: [...y.shape] });
}

export function importSliceOp(im: Importer, base: string): void {
  const v = im.tensorIn(0);
  const r = v.perm.length;
  const starts = im.intList(im.constIn(1, 'starts'), 'starts');
  const ends = im.intList(im.constIn(2, 'ends'), 'ends');
  const axesC = im.optionalConst(3, 'axes');
  const stepsC = im.optionalConst(4, 'steps');
  const axes = (axesC ? im.intList(axesC, 'axes') : identity(starts.length)).map((a) => (a < 0 ? a + r : a));
  if (stepsC && im.intList(stepsC, 'steps').some((st) => st !== 1)) im.fail('only step 1 is supported');
  if (r < 3 || r > 5) im.fail('Slice is supported on inputs of rank 3 to 5');
  const shape = im.onnxShape(v);
  const crops = axes.map((a, i): [number, number] => {
    const n = shape[a];
    if (n === null) return im.fail(`axis ${a} has an unknown size`);
    const clamp = (x: number): number => Math.min(Math.max(x < 0 ? x + n : x, 0), n);
    const b = clamp(starts[i]);
    const e = clamp(ends[i]);
    if (e <= b) im.fail(`slice [${starts[i]}, ${ends[i]}) of axis ${a} is empty`);
    return [b, n - e];
  });
  const cut = axes.filter((_, i) => crops[i][0] > 0 || crops[i][1] > 0);
  if (cut.length === 0) return im.set(0, v);
  const { sym, hebbAxes, view } = importSpatialAxes(im, v, cut, base);
  const pairs = Array.from({ length: r - 2 }, (): [number, number] => [0, 0]);
  cut.forEach((a, i) => (pairs[hebbAxes[i] - 1] = crops[axes.indexOf(a)]));
  const name = im.layerName(base);
  const layer = pairs.length === 1 ? L.cropping1d({ cropping: pairs[0], name }) : pairs.length === 2 ? L.cropping2d({ cropping: pairs, name }) : L.cropping3d({ cropping: pairs, name });
  const y = im.apply(layer, sym);
  im.set(0, { ...view, sym: y, pre: [...y.shape] });
}

export function importResize(im: Importer, base: string): void {
  const v = im.tensorIn(0);
  const r = v.perm.length;
  const scalesC = im.node.input?.[2] ? im.constIn(2, 'scales') : null;
  const sizesC = im.node.input?.[3] ? im.constIn(3, 'sizes') : null;
  const shape = im.onnxShape(v);
  let scales: number[];
  if (scalesC && scalesC.values.length > 0) scales = Array.from(scalesC.values, Number);
  else if (sizesC) scales = Array.from(sizesC.values, Number).map((s, i) => (i < 2 ? 1 : s / (shape[i] ?? NaN)));
  else return im.fail('needs scales or sizes');
  if (scales.length !== r || scales.some((s) => !Number.isInteger(s) || s < 1)) {
    im.fail(`only whole-number up-sampling is supported, got scales [${scales.join(',')}]`);
  }
  const mode = im.str('mode', 'nearest');
  const ctm = im.str('coordinate_transformation_mode', 'half_pixel');
  let interpolation: 'nearest' | 'bilinear';
  if (mode === 'nearest') {
    const nm = im.str('nearest_mode', 'round_prefer_floor');
    const ok = (ctm === 'asymmetric' && nm === 'floor') || ((ctm === 'half_pixel' || ctm === 'pytorch_half_pixel') && nm === 'round_prefer_floor') || (ctm === 'asymmetric' && nm === 'round_prefer_ceil');
    if (!ok) im.fail(`nearest mode with ${ctm}/${nm} is not supported`);
    interpolation = 'nearest';
  } else if (mode === 'linear' && (ctm === 'half_pixel' || ctm === 'pytorch_half_pixel') && r === 4) {
    interpolation = 'bilinear';
  } else {
    return im.fail(`mode '${mode}' with ${ctm} is not supported`);
  }
  const scaled = identity(r).filter((a) => scales[a] !== 1);
  const { sym, hebbAxes, view } = importSpatialAxes(im, v, scaled, base);
  const size = new Array<number>(r - 2).fill(1);
  scaled.forEach((a, i) => (size[hebbAxes[i] - 1] = scales[a]));
  const name = im.layerName(base);
  const layer = r === 3 ? L.upSampling1d({ size, name }) : r === 4 ? L.upSampling2d({ size, interpolation, name }) : L.upSampling3d({ size, name });
  const y = im.apply(layer, sym);
  im.set(0, { ...view, sym: y, pre: [...y.shape] });
}
