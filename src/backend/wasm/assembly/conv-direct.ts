// Direct convolution for layers with few input channels (LeNet's C = 1 and 6, an RGB input
// layer), where im2col + GEMM is too thin to run well: K = KH·KW·C is tiny, and for C = 1 the
// im2col copy costs as much as the product. One 2-D plane at a time (KD = 1): the input rows a
// block of output rows needs are copied into a zero-padded "slab", so every tap of every
// output pixel is in bounds and the inner loops have no branches. Taps t = (kh, kw, c) become
// byte offsets into the slab; the F output channels are padded to Fp (a multiple of 8) lanes.
//
//   conv                 y[p, f] = Σ_t slab[base(p) + off(t)] · w[t, f]
//                        4 output pixels × 8 channels per register block (8 f32x4 sums)
//   convBackpropFilter   dw[t, f] = Σ_p slab[base(p) + off(t)] · dy[p, f]
//                        4 taps × 8 channels per register block, summed over a block of rows
//
// Every output element is one sum in a fixed order (taps in order; for the filter gradient,
// pixels in order within a row block, row blocks in order within a split, splits added in
// order afterwards), decided by the shapes alone: identical results for any thread count.
//
// Arguments: the layout DirectArg (../tasks.ts).
// Output plane q = n·OD + od reads input plane n·D + od·sd.
import { DirectArg } from '../tasks';
import { arg, ptr, imin, imax } from './common';

/** Lanes of one register block's output channels. */
const LANES: i32 = 8;

/** c + a·b, fused where relaxed SIMD is available (as in gemm). */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** F rounded up to whole register blocks. */
@inline function paddedF(F: i32): i32 {
  return (F + LANES - 1) / LANES * LANES;
}

/** Slab row length in pixels: the columns the OW outputs' windows span. */
@inline function slabWidth(args: usize): i32 {
  return (arg(args, DirectArg.OW) - 1) * arg(args, DirectArg.Sw) + (arg(args, DirectArg.KW) - 1) * arg(args, DirectArg.Dw) + 1;
}

/** Byte offset of tap t = (kh, kw, c) from an output pixel's window origin in the slab; T taps. */
function tapOffsets(args: usize, offs: usize): void {
  const C = arg(args, DirectArg.C), KH = arg(args, DirectArg.KH), KW = arg(args, DirectArg.KW), dh = arg(args, DirectArg.Dh), dw = arg(args, DirectArg.Dw);
  const Wp = slabWidth(args);
  let t = 0;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let c = 0; c < C; c++) {
        store<i32>(offs + (<usize>t << 2), ((kh * dh * Wp + kw * dw) * C + c) << 2);
        t++;
      }
    }
  }
}

/**
 * Copy the input rows that output rows oh0 … oh0+rows−1 of plane q read into `slab`
 * (Hs rows × Wp pixels × C, zeros where the window leaves the image).
 */
function fillSlab(args: usize, q: i32, oh0: i32, rows: i32, slab: usize): void {
  const H = arg(args, DirectArg.H), W = arg(args, DirectArg.W), C = arg(args, DirectArg.C), KH = arg(args, DirectArg.KH);
  const sh = arg(args, DirectArg.Sh), dh = arg(args, DirectArg.Dh), ph = arg(args, DirectArg.Ph), pw = arg(args, DirectArg.Pw);
  const D = arg(args, DirectArg.D), OD = arg(args, DirectArg.OD), sd = arg(args, DirectArg.Sd);
  const Wp = slabWidth(args);
  const Hs = (rows - 1) * sh + (KH - 1) * dh + 1;
  const plane = ptr(args, DirectArg.X) + (<usize>((q / OD) * D + (q % OD) * sd) * <usize>(H * W * C) << 2);
  const pixelBytes = <usize>C << 2;
  const rowBytes = <usize>Wp * pixelBytes;
  // Slab column j is image column j − pw; columns [j0, j1) are inside the image.
  const j0 = imax(0, pw), j1 = imin(Wp, W + pw);
  const ih0 = oh0 * sh - ph;
  for (let r = 0; r < Hs; r++) {
    const dst = slab + <usize>r * rowBytes;
    const ih = ih0 + r;
    if (ih < 0 || ih >= H || j1 <= j0) {
      memory.fill(dst, 0, rowBytes);
      continue;
    }
    if (j0 > 0) memory.fill(dst, 0, <usize>j0 * pixelBytes);
    memory.copy(dst + <usize>j0 * pixelBytes, plane + (<usize>(ih * W + j0 - pw) * pixelBytes), <usize>(j1 - j0) * pixelBytes);
    if (j1 < Wp) memory.fill(dst + <usize>j1 * pixelBytes, 0, <usize>(Wp - j1) * pixelBytes);
  }
}

/** The first `lanes` (1–8) of v0, v1 to p. */
@inline function storeLanes(p: usize, v0: v128, v1: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(p, v0);
    storePart(p + 16, v1, lanes - 4);
  } else {
    storePart(p, v0, lanes);
  }
}

/** The first n (0–4) lanes of v to p. */
@inline function storePart(p: usize, v: v128, n: i32): void {
  if (n >= 4) v128.store(p, v);
  else if (n == 3) {
    v128.store64_lane(p, v, 0);
    v128.store32_lane(p, v, 2, 8);
  } else if (n == 2) v128.store64_lane(p, v, 0);
  else if (n == 1) v128.store32_lane(p, v, 0);
}

/** Filter w [KH, KW, C, F] as T rows of Fp lanes (zero past F). */
function packFilter(args: usize, wp: usize): void {
  const T = arg(args, DirectArg.C) * arg(args, DirectArg.KH) * arg(args, DirectArg.KW), F = arg(args, DirectArg.F);
  const w = ptr(args, DirectArg.Wt);
  const Fp = paddedF(F);
  for (let t = 0; t < T; t++) {
    const row = wp + (<usize>(t * Fp) << 2);
    memory.copy(row, w + (<usize>(t * F) << 2), <usize>F << 2);
    if (Fp > F) memory.fill(row + (<usize>F << 2), 0, <usize>(Fp - F) << 2);
  }
}

/** Bytes of a T-entry offset table, rounded to 16. */
@inline function offsetBytes(T: i32): usize {
  return <usize>((T * 4 + 15) & ~15);
}

/** ⌈a / b⌉ for b > 0 and any sign of a. */
@inline function ceilDiv(a: i32, b: i32): i32 {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/** ⌊a / b⌋ for b > 0 and any sign of a. */
@inline function floorDiv(a: i32, b: i32): i32 {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/** Sums of 4 output pixels (pixel stride pstep in the slab) × 8 channels over taps kh0 ≤ kh < kh1, kw0 ≤ kw < kw1. */
@inline function block4(
  b: usize, pstep: usize, offs: usize, wc: usize, wStep: usize, kh0: i32, kh1: i32, kw0: i32, kw1: i32, KW: i32, C: i32,
  out: usize, pixelOut: usize, lanes: i32,
): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (let kh = kh0; kh < kh1; kh++) {
    const t0 = (kh * KW + kw0) * C;
    let wt = wc + <usize>t0 * wStep;
    const end = offs + (<usize>((kh * KW + kw1) * C) << 2);
    for (let o = offs + (<usize>t0 << 2); o < end; o += 4) {
      const p = b + <usize>load<i32>(o);
      const w0 = v128.load(wt), w1 = v128.load(wt, 16);
      const x0 = v128.load32_splat(p);
      const x1 = v128.load32_splat(p + pstep);
      const x2 = v128.load32_splat(p + 2 * pstep);
      const x3 = v128.load32_splat(p + 3 * pstep);
      a0 = madd(x0, w0, a0); a1 = madd(x0, w1, a1);
      a2 = madd(x1, w0, a2); a3 = madd(x1, w1, a3);
      a4 = madd(x2, w0, a4); a5 = madd(x2, w1, a5);
      a6 = madd(x3, w0, a6); a7 = madd(x3, w1, a7);
      wt += wStep;
    }
  }
  storeLanes(out, a0, a1, lanes);
  storeLanes(out + pixelOut, a2, a3, lanes);
  storeLanes(out + 2 * pixelOut, a4, a5, lanes);
  storeLanes(out + 3 * pixelOut, a6, a7, lanes);
}

/** One output pixel's 8 channels (see block4). */
@inline function block1(
  b: usize, offs: usize, wc: usize, wStep: usize, kh0: i32, kh1: i32, kw0: i32, kw1: i32, KW: i32, C: i32, out: usize, lanes: i32,
): void {
  let a0 = f32x4.splat(0), a1 = a0;
  for (let kh = kh0; kh < kh1; kh++) {
    const t0 = (kh * KW + kw0) * C;
    let wt = wc + <usize>t0 * wStep;
    const end = offs + (<usize>((kh * KW + kw1) * C) << 2);
    for (let o = offs + (<usize>t0 << 2); o < end; o += 4) {
      const x0 = v128.load32_splat(b + <usize>load<i32>(o));
      a0 = madd(x0, v128.load(wt), a0);
      a1 = madd(x0, v128.load(wt, 16), a1);
      wt += wStep;
    }
  }
  storeLanes(out, a0, a1, lanes);
}

/**
 * Forward. Item: (plane, block of output rows). Taps that fall
 * in the padding are skipped, not multiplied by zero: whole window rows (kh) per output row,
 * window columns (kw) per block of pixels, where they leave the image for all of its pixels.
 */
export function directConvItem(args: usize, item: i32, scratch: usize): void {
  const H = arg(args, DirectArg.H), W = arg(args, DirectArg.W), C = arg(args, DirectArg.C), KH = arg(args, DirectArg.KH), KW = arg(args, DirectArg.KW), F = arg(args, DirectArg.F);
  const OH = arg(args, DirectArg.OH), OW = arg(args, DirectArg.OW), sh = arg(args, DirectArg.Sh), sw = arg(args, DirectArg.Sw);
  const dh = arg(args, DirectArg.Dh), dw = arg(args, DirectArg.Dw), ph = arg(args, DirectArg.Ph), pw = arg(args, DirectArg.Pw);
  const y = ptr(args, DirectArg.Y), rb = arg(args, DirectArg.Rows), bpp = arg(args, DirectArg.Blocks);
  const q = item / bpp;
  const oh0 = (item % bpp) * rb;
  const rows = imin(rb, OH - oh0);
  const T = KH * KW * C;
  const Fp = paddedF(F);
  const wp = scratch;
  const offs = wp + (<usize>(T * Fp) << 2);
  const slab = offs + offsetBytes(T);
  packFilter(args, wp);
  tapOffsets(args, offs);
  fillSlab(args, q, oh0, rows, slab);
  const pstep = <usize>(sw * C) << 2;
  const rowStep = <usize>(sh * slabWidth(args) * C) << 2;
  const wStep = <usize>Fp << 2;
  const pixelOut = <usize>F << 2;
  for (let r = 0; r < rows; r++) {
    const oh = oh0 + r;
    // Window rows inside the image: 0 ≤ oh·sh − ph + kh·dh < H.
    const kh0 = imax(0, ceilDiv(ph - oh * sh, dh));
    const kh1 = imin(KH, floorDiv(H - 1 + ph - oh * sh, dh) + 1);
    const rowBase = slab + <usize>r * rowStep;
    const yrow = y + (<usize>((q * OH + oh) * OW) * pixelOut);
    for (let fc = 0; fc < F; fc += LANES) {
      const lanes = imin(LANES, F - fc);
      const wc = wp + (<usize>fc << 2);
      let ow = 0;
      for (; ow + 4 <= OW; ow += 4) {
        // Window columns inside the image for any of the 4 pixels: the first pixel's last, the last pixel's first.
        const kw0 = imax(0, ceilDiv(pw - (ow + 3) * sw, dw));
        const kw1 = imin(KW, floorDiv(W - 1 + pw - ow * sw, dw) + 1);
        const out = yrow + <usize>ow * pixelOut + (<usize>fc << 2);
        block4(rowBase + <usize>ow * pstep, pstep, offs, wc, wStep, kh0, kh1, kw0, imax(kw0, kw1), KW, C, out, pixelOut, lanes);
      }
      for (; ow < OW; ow++) {
        const kw0 = imax(0, ceilDiv(pw - ow * sw, dw));
        const kw1 = imin(KW, floorDiv(W - 1 + pw - ow * sw, dw) + 1);
        block1(rowBase + <usize>ow * pstep, offs, wc, wStep, kh0, kh1, kw0, imax(kw0, kw1), KW, C, yrow + <usize>ow * pixelOut + (<usize>fc << 2), lanes);
      }
    }
  }
}

/**
 * Filter gradient. Item: split s of the output rows (planes × OH, cut into `splits` ranges);
 * its dw goes to partial s (or straight to dw when there is one split). Scratch: T·Fp float
 * sums, the offsets, the slab, then the block's dy rows padded to Fp lanes.
 */
export function directBackpropFilterItem(args: usize, item: i32, scratch: usize): void {
  const C = arg(args, DirectArg.C), KH = arg(args, DirectArg.KH), KW = arg(args, DirectArg.KW), F = arg(args, DirectArg.F);
  const OH = arg(args, DirectArg.OH), OW = arg(args, DirectArg.OW), sh = arg(args, DirectArg.Sh), sw = arg(args, DirectArg.Sw);
  const dy = ptr(args, DirectArg.Wt), dwp = ptr(args, DirectArg.Y), rb = arg(args, DirectArg.Rows);
  const partials = ptr(args, DirectArg.Partials), splits = arg(args, DirectArg.Splits), per = arg(args, DirectArg.PerSplit);
  const planes = arg(args, DirectArg.Planes);
  const T = KH * KW * C;
  const Fp = paddedF(F);
  const acc = scratch;
  const offs = acc + (<usize>(T * Fp) << 2);
  const slab = offs + offsetBytes(T);
  const Wp = slabWidth(args);
  const slabBytes = <usize>(((rb - 1) * sh + (KH - 1) * arg(args, DirectArg.Dh) + 1) * Wp * C) << 2;
  const dyp = slab + ((slabBytes + 15) & ~15);
  memory.fill(acc, 0, <usize>(T * Fp) << 2);
  tapOffsets(args, offs);
  const pstep = <usize>(sw * C) << 2;
  const rowStep = <usize>(sh * Wp * C) << 2;
  const dStep = <usize>Fp << 2;
  const r1 = imin(planes * OH, (item + 1) * per);
  let r = item * per;
  while (r < r1) {
    // A block of rows within one plane: at most rb, never past the split or the plane.
    const q = r / OH;
    const oh0 = r % OH;
    const rows = imin(imin(rb, OH - oh0), r1 - r);
    fillSlab(args, q, oh0, rows, slab);
    const npix = rows * OW;
    const src = dy + (<usize>((q * OH + oh0) * OW * F) << 2);
    for (let i = 0; i < npix; i++) {
      const d = dyp + <usize>i * dStep;
      memory.copy(d, src + (<usize>(i * F) << 2), <usize>F << 2);
      if (Fp > F) memory.fill(d + (<usize>F << 2), 0, <usize>(Fp - F) << 2);
    }
    for (let fc = 0; fc < Fp; fc += LANES) {
      const dc = dyp + (<usize>fc << 2);
      let t = 0;
      for (; t + 4 <= T; t += 4) {
        const o0 = <usize>load<i32>(offs + (<usize>t << 2));
        const o1 = <usize>load<i32>(offs + (<usize>t << 2), 4);
        const o2 = <usize>load<i32>(offs + (<usize>t << 2), 8);
        const o3 = <usize>load<i32>(offs + (<usize>t << 2), 12);
        let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        let d = dc;
        for (let rr = 0; rr < rows; rr++) {
          let b = slab + <usize>rr * rowStep;
          for (let ow = 0; ow < OW; ow++) {
            const g0 = v128.load(d), g1 = v128.load(d, 16);
            const x0 = v128.load32_splat(b + o0);
            const x1 = v128.load32_splat(b + o1);
            const x2 = v128.load32_splat(b + o2);
            const x3 = v128.load32_splat(b + o3);
            a0 = madd(x0, g0, a0); a1 = madd(x0, g1, a1);
            a2 = madd(x1, g0, a2); a3 = madd(x1, g1, a3);
            a4 = madd(x2, g0, a4); a5 = madd(x2, g1, a5);
            a6 = madd(x3, g0, a6); a7 = madd(x3, g1, a7);
            d += dStep;
            b += pstep;
          }
        }
        const s = acc + (<usize>(t * Fp + fc) << 2);
        v128.store(s, f32x4.add(v128.load(s), a0));
        v128.store(s, f32x4.add(v128.load(s, 16), a1), 16);
        v128.store(s + dStep, f32x4.add(v128.load(s + dStep), a2));
        v128.store(s + dStep, f32x4.add(v128.load(s + dStep, 16), a3), 16);
        v128.store(s + 2 * dStep, f32x4.add(v128.load(s + 2 * dStep), a4));
        v128.store(s + 2 * dStep, f32x4.add(v128.load(s + 2 * dStep, 16), a5), 16);
        v128.store(s + 3 * dStep, f32x4.add(v128.load(s + 3 * dStep), a6));
        v128.store(s + 3 * dStep, f32x4.add(v128.load(s + 3 * dStep, 16), a7), 16);
      }
      for (; t < T; t++) {
        const o0 = <usize>load<i32>(offs + (<usize>t << 2));
        let a0 = f32x4.splat(0), a1 = a0;
        let d = dc;
        for (let rr = 0; rr < rows; rr++) {
          let b = slab + <usize>rr * rowStep;
          for (let ow = 0; ow < OW; ow++) {
            const x0 = v128.load32_splat(b + o0);
            a0 = madd(x0, v128.load(d), a0);
            a1 = madd(x0, v128.load(d, 16), a1);
            d += dStep;
            b += pstep;
          }
        }
        const s = acc + (<usize>(t * Fp + fc) << 2);
        v128.store(s, f32x4.add(v128.load(s), a0));
        v128.store(s, f32x4.add(v128.load(s, 16), a1), 16);
      }
    }
    r += rows;
  }
  const target = splits > 1 ? partials + (<usize>item * <usize>(T * F) << 2) : dwp;
  for (let t = 0; t < T; t++) memory.copy(target + (<usize>(t * F) << 2), acc + (<usize>(t * Fp) << 2), <usize>F << 2);
}
