// Drivers of the convolution kernels: im2col + GEMM and direct depthwise loops
// (assembly/conv.ts), and direct convolution for few input channels (assembly/conv-direct.ts).
// All three kernels share one geometry; each picks the path that suits the shapes.
import { sizeOf } from '../../../base/index.js';
import type { ConvAttrs } from '../../kernels.js';
import { ConvArg, DirectArg, FillArg, SumPartialsArg, Task, WORD_LOG2 } from '../tasks.js';
import type { WasmBackend } from '../wasm-backend.js';
import { allFloat32, chunking, packArgs, type WasmKernelRecord, worth } from './common.js';
interface ConvGeometry {
  N: number; D: number; H: number; W: number; C: number;
  KD: number; KH: number; KW: number; CG: number; F: number;
  OD: number; OH: number; OW: number; FG: number; groups: number;
  taps: number; Kt: number; P: number;
  depthwise: boolean; pointwise: boolean;
}

function convGeometry(x: readonly number[], w: readonly number[], y: readonly number[], a: ConvAttrs): ConvGeometry {
  const [N, D, H, W, C] = x;
  const [KD, KH, KW, CG, F] = w;
  const [, OD, OH, OW] = y;
  const taps = KD * KH * KW;
  const pointwise = taps === 1 && a.strides.every((s) => s === 1) && a.pads.every(([p, q]) => p === 0 && q === 0);
  return {
    N, D, H, W, C, KD, KH, KW, CG, F, OD, OH, OW, FG: F / a.groups, groups: a.groups, taps, Kt: taps * CG,
    P: N * OD * OH * OW, depthwise: CG === 1 && F === a.groups, pointwise,
  };
}

/** The 33 arguments of every conv task (the layout ConvArg in ../tasks.ts). */
function convArgs(g: ConvGeometry, a: ConvAttrs, in0: number, in1: number, out: number, per: number, perGroup: number, partials = 0, splits = 1, perSplit = 0): number[] {
  return packArgs(ConvArg, {
    N: g.N, D: g.D, H: g.H, W: g.W, C: g.C, KD: g.KD, KH: g.KH, KW: g.KW, CG: g.CG, F: g.F, OD: g.OD, OH: g.OH, OW: g.OW,
    Sd: a.strides[0], Sh: a.strides[1], Sw: a.strides[2], Dd: a.dilations[0], Dh: a.dilations[1], Dw: a.dilations[2],
    Pd: a.pads[0][0], Ph: a.pads[1][0], Pw: a.pads[2][0], Groups: g.groups, FG: g.FG,
    In0: in0, In1: in1, Out: out, PerItem: per, PerGroup: perGroup, Pointwise: g.pointwise ? 1 : 0, Partials: partials, Splits: splits, PerSplit: perSplit,
  });
}

/** Rows of im2col one thread holds at a time: at most 4 MiB of them, at most 512. */
function colRows(g: ConvGeometry): number {
  return Math.max(4, Math.min(512, Math.floor((1 << 20) / Math.max(g.Kt, 1) / 4) * 4));
}

function gemmScratch(b: WasmBackend, extraBytes: number): void {
  b.ensureScratch(b.exports.gemmScratchBytes.value + 64 + extraBytes);
}

/** Items over `rows` rows for the depthwise kernels. */
function rowItems(b: WasmBackend, rows: number): { per: number; items: number } {
  const { chunk, items } = chunking(b, rows, 1);
  return { per: chunk, items };
}

// ---- direct convolution (few input channels; assembly/conv-direct.ts) ----

/** Input channels up to which the direct kernels run instead of im2col + GEMM. */
const DIRECT_MAX_C = 16;
/** Bytes of zero-padded input rows (the slab) one work item copies at a time. */
const SLAB_BYTES = 128 * 1024;

/** A 2-D convolution over planes, as the direct kernels see it (layout in conv-direct.ts). */
interface DirectGeometry {
  planes: number; H: number; W: number; C: number; KH: number; KW: number; F: number; OH: number; OW: number;
  sh: number; sw: number; dh: number; dw: number; ph: number; pw: number; D: number; OD: number; sd: number;
}

/** The forward convolution as planes, or null when the direct kernels do not apply. */
function directForward(g: ConvGeometry, a: ConvAttrs): DirectGeometry | null {
  if (g.groups !== 1 || g.KD !== 1 || a.pads[0][0] !== 0 || a.pads[0][1] !== 0 || g.C > DIRECT_MAX_C || g.pointwise) return null;
  const d: DirectGeometry = {
    planes: g.N * g.OD, H: g.H, W: g.W, C: g.C, KH: g.KH, KW: g.KW, F: g.F, OH: g.OH, OW: g.OW,
    sh: a.strides[1], sw: a.strides[2], dh: a.dilations[1], dw: a.dilations[2], ph: a.pads[1][0], pw: a.pads[2][0],
    D: g.D, OD: g.OD, sd: a.strides[0],
  };
  return directRows(d) >= 1 ? d : null;
}

/** Output rows whose input rows fit a slab of SLAB_BYTES (0: not even one). */
function directRows(d: DirectGeometry): number {
  const width = (d.OW - 1) * d.sw + (d.KW - 1) * d.dw + 1;
  const slabRows = Math.floor(SLAB_BYTES / (width * d.C * 4));
  const rows = Math.floor((slabRows - (d.KH - 1) * d.dh - 1) / d.sh) + 1;
  return Math.max(0, Math.min(d.OH, rows));
}

/** Scratch bytes of a direct task with blocks of `rows` output rows (+ dy rows for the filter gradient). */
function directScratch(d: DirectGeometry, rows: number, filterGrad: boolean): number {
  const taps = d.KH * d.KW * d.C;
  const lanes = Math.ceil(d.F / 8) * 8;
  const width = (d.OW - 1) * d.sw + (d.KW - 1) * d.dw + 1;
  const slab = ((rows - 1) * d.sh + (d.KH - 1) * d.dh + 1) * width * d.C * 4;
  const offsets = Math.ceil(taps * 4 / 16) * 16;
  return taps * lanes * 4 + offsets + Math.ceil(slab / 16) * 16 + (filterGrad ? rows * d.OW * lanes * 4 : 0) + 64;
}

/** The arguments of a direct task (the layout DirectArg in ../tasks.ts). */
function directArgs(d: DirectGeometry, x: number, w: number, y: number, rows: number, blocks: number, partials = 0, splits = 1, perSplit = 0): number[] {
  return packArgs(DirectArg, {
    Planes: d.planes, H: d.H, W: d.W, C: d.C, KH: d.KH, KW: d.KW, F: d.F, OH: d.OH, OW: d.OW, Sh: d.sh, Sw: d.sw, Dh: d.dh, Dw: d.dw,
    Ph: d.ph, Pw: d.pw, X: x, Wt: w, Y: y, Rows: rows, Blocks: blocks, D: d.D, OD: d.OD, Sd: d.sd, Partials: partials, Splits: splits, PerSplit: perSplit,
  });
}

/** conv: items are (plane, block of output rows). */
function directConv(b: WasmBackend, d: DirectGeometry, x: number, w: number, y: number, work: number): void {
  let rows = directRows(d);
  // Enough items for every thread (rows per block never change the numbers).
  const want = b.fineGrained ? d.planes * d.OH : b.threads > 1 ? 4 * b.threads : 1;
  if (d.planes * Math.ceil(d.OH / rows) < want) rows = Math.max(1, Math.ceil(d.OH / Math.ceil(want / d.planes)));
  const blocks = Math.ceil(d.OH / rows);
  b.ensureScratch(directScratch(d, rows, false));
  b.task(Task.DirectConv, directArgs(d, x, w, y, rows, blocks), d.planes * blocks, worth(b, work));
}

export const conv: WasmKernelRecord<'conv'> = {
  writesAll: true,
  supports: allFloat32,
  run(b, [x, w], [y], attrs) {
    const g = convGeometry(x.shape, w.shape, y.shape, attrs);
    if (g.P * g.F === 0) return;
    const work = g.P * g.F * g.Kt;
    if (g.depthwise) {
      const { per, items } = rowItems(b, g.N * g.OD * g.OH);
      b.task(Task.DepthwiseConv, convArgs(g, attrs, b.addr(x), b.addr(w), b.addr(y), per, 0), items, worth(b, work));
      return;
    }
    const direct = directForward(g, attrs);
    if (direct) {
      directConv(b, direct, b.addr(x), b.addr(w), b.addr(y), work);
      return;
    }
    // Items: (group, block of output pixels). Blocks never change the numbers, only who computes them.
    const maxRows = colRows(g);
    const least = b.fineGrained ? 4 : 16;
    const mb = b.threads === 1 && !b.fineGrained ? maxRows : Math.max(least, Math.min(maxRows, Math.ceil(g.P * g.groups / (4 * b.threads) / 4) * 4));
    const blocks = Math.ceil(g.P / mb);
    gemmScratch(b, g.pointwise ? 0 : mb * g.Kt * 4);
    b.task(Task.Conv, convArgs(g, attrs, b.addr(x), b.addr(w), b.addr(y), mb, blocks), g.groups * blocks, worth(b, work));
  },
};

export const convBackpropInput: WasmKernelRecord<'convBackpropInput'> = {
  writesAll: true,
  supports: allFloat32,
  run(b, [dy, w], [dx], attrs) {
    const g = convGeometry(dx.shape, w.shape, dy.shape, attrs);
    if (g.N * g.D * g.H * g.W * g.C === 0) return;
    const work = g.P * g.F * g.Kt;
    if (g.depthwise) {
      const { per, items } = rowItems(b, g.N * g.D * g.H);
      b.task(Task.DepthwiseBackpropInput, convArgs(g, attrs, b.addr(dy), b.addr(w), b.addr(dx), per, 0), items, worth(b, work));
      return;
    }
    if (g.P * g.F === 0) {
      const n = sizeOf(dx.shape);
      b.task(Task.Fill, packArgs(FillArg, { ElemLog2: WORD_LOG2, Dst: b.addr(dx), N: n, Chunk: n, ValueBits: 0 }), 1, false);
      return;
    }
    // Items: (image, group); each owns its dx entries, so col2im needs no synchronisation.
    const mb = colRows(g);
    gemmScratch(b, g.pointwise ? 0 : mb * g.Kt * 4);
    b.task(Task.ConvBackpropInput, convArgs(g, attrs, b.addr(dy), b.addr(w), b.addr(dx), mb, 0), g.N * g.groups, worth(b, work));
  },
};

export const convBackpropFilter: WasmKernelRecord<'convBackpropFilter'> = {
  writesAll: true,
  supports: allFloat32,
  run(b, [x, dy], [dw], attrs) {
    const g = convGeometry(x.shape, dw.shape, dy.shape, attrs);
    const len = g.Kt * g.F;
    if (len === 0) return;
    const work = g.P * g.F * g.Kt;
    if (g.depthwise) {
      const per = b.fineGrained ? 4 : 16;
      const items = Math.ceil(g.C / per);
      b.ensureScratch(g.taps * per * 12 + 64);
      b.task(Task.DepthwiseBackpropFilter, convArgs(g, attrs, b.addr(x), b.addr(dy), b.addr(dw), per, 0), items, worth(b, work));
      return;
    }
    const direct = directForward(g, attrs);
    if (direct) {
      directBackpropFilter(b, g, direct, b.addr(x), b.addr(dy), b.addr(dw), work);
      return;
    }
    // Pixels split into a fixed number of ranges (a function of the shapes only, so every thread
    // count gives the same sums); each range's dW goes to its own partial, then they are added.
    const splits = b.fineGrained ? Math.max(1, Math.min(3, g.P)) : Math.max(1, Math.min(8, Math.floor(g.P / 1024)));
    const perSplit = Math.ceil(g.P / splits);
    const mb = colRows(g);
    const partialBytes = splits > 1 ? splits * len * 4 : 0;
    const partials = partialBytes > 0 ? b.allocTemp(partialBytes) : 0;
    try {
      gemmScratch(b, g.pointwise ? 0 : mb * g.Kt * 4);
      b.task(Task.ConvBackpropFilter, convArgs(g, attrs, b.addr(x), b.addr(dy), b.addr(dw), mb, 0, partials, splits, perSplit), g.groups * splits, worth(b, work));
      if (splits > 1) {
        const { chunk, items } = chunking(b, len, 16384);
        b.task(Task.SumPartials, packArgs(SumPartialsArg, { Parts: partials, Count: splits, Len: len, Dst: b.addr(dw), Chunk: chunk }), items, worth(b, len * splits));
      }
    } finally {
      if (partialBytes > 0) b.releaseTemp(partials, partialBytes);
    }
  },
};

/**
 * Filter gradient by the direct kernel: output rows cut into a fixed number of splits (a
 * function of the shapes, like the GEMM path's), each summed into its own partial.
 */
function directBackpropFilter(b: WasmBackend, g: ConvGeometry, d: DirectGeometry, x: number, dy: number, dw: number, work: number): void {
  const rowsTotal = d.planes * d.OH;
  const wanted = b.fineGrained ? Math.min(3, rowsTotal) : Math.max(1, Math.min(8, Math.floor(g.P / 1024), rowsTotal));
  const perSplit = Math.ceil(rowsTotal / wanted);
  const splits = Math.ceil(rowsTotal / perSplit);
  // Row blocks also keep their padded dy rows within SLAB_BYTES (a function of the shapes only).
  const lanes = Math.ceil(d.F / 8) * 8;
  const rows = b.fineGrained ? 1 : Math.min(directRows(d), Math.max(1, Math.floor(SLAB_BYTES / (d.OW * lanes * 4))));
  const len = g.Kt * g.F;
  const partialBytes = splits > 1 ? splits * len * 4 : 0;
  const partials = partialBytes > 0 ? b.allocTemp(partialBytes) : 0;
  try {
    b.ensureScratch(directScratch(d, rows, true));
    b.task(Task.DirectBackpropFilter, directArgs(d, x, dy, dw, rows, 0, partials, splits, perSplit), splits, worth(b, work));
    if (splits > 1) {
      const { chunk, items } = chunking(b, len, 16384);
      b.task(Task.SumPartials, packArgs(SumPartialsArg, { Parts: partials, Count: splits, Len: len, Dst: dw, Chunk: chunk }), items, worth(b, len * splits));
    }
  } finally {
    if (partialBytes > 0) b.releaseTemp(partials, partialBytes);
  }
}

