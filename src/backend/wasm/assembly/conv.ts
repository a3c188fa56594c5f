// Convolution over channels-last data x [N, D, H, W, C], filters w [KD, KH, KW, CG, F] with
// CG = C/groups input and FG = F/groups output channels per group.
//
// The general path is im2col + GEMM, one group at a time: a block of output pixels p becomes
// rows of the matrix col[p, (kd, kh, kw, c)] (zero where the tap falls in the padding), so
//   conv                y[p, g·FG + f]   = col_g · W_g                (W_g = w[:, g·FG : (g+1)·FG])
//   convBackpropInput   col_g            = dy_g · W_gᵀ, then col2im adds each entry back onto x
//   convBackpropFilter  W_g              = col_gᵀ · dy_g, summed over all pixels
// 1×1 convolutions with unit stride and no padding skip im2col (x is already the matrix).
// Depthwise convolution (one input and one output channel per group) has K = taps and N = 1,
// far too thin for a GEMM; it runs direct loops that are SIMD across channels instead.
//
// Every conv task reads the argument layout ConvArg (../tasks.ts).
import { ConvArg } from '../tasks';
import { arg, ptr, imin } from './common';
import { gemm, GEMM_SCRATCH } from './gemm';

/** Output pixel p → its (n, od, oh, ow), stored as four i32 at `out`. */
@inline function pixel(args: usize, p: i32, out: usize): void {
  const OD = arg(args, ConvArg.OD), OH = arg(args, ConvArg.OH), OW = arg(args, ConvArg.OW);
  store<i32>(out, p % OW, 12);
  let t = p / OW;
  store<i32>(out, t % OH, 8);
  t /= OH;
  store<i32>(out, t % OD, 4);
  store<i32>(out, t / OD);
}

/** Copy `bytes` (a multiple of 4): small runs inline, long ones with memory.copy. */
@inline function copyFloats(dst: usize, src: usize, bytes: usize): void {
  if (bytes > 256) {
    memory.copy(dst, src, bytes);
    return;
  }
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
  for (; o < bytes; o += 4) store<u32>(dst + o, load<u32>(src + o));
}

/** dst[0 : bytes/4] += src[0 : bytes/4] (bytes a multiple of 4). */
@inline function addFloats(dst: usize, src: usize, bytes: usize): void {
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
}

/**
 * Move between an im2col block and the image, for output pixels p0 ≤ p < p0 + rows of group
 * g: col[r, (kd, kh, kw, c)] = x[n, id, ih, iw, g·CG + c] (zero in the padding) when `gather`,
 * else x[…] += col[r, …] (col2im, padding entries dropped). `pos` is 16 bytes of scratch.
 * With one group and no horizontal dilation, the KW taps of a window row are one contiguous
 * run of KW·C values in x, moved in one go.
 */
function im2colMove(args: usize, x: usize, g: i32, p0: i32, rows: i32, col: usize, pos: usize, gather: bool): void {
  const D = arg(args, ConvArg.D), H = arg(args, ConvArg.H), W = arg(args, ConvArg.W), C = arg(args, ConvArg.C);
  const KD = arg(args, ConvArg.KD), KH = arg(args, ConvArg.KH), KW = arg(args, ConvArg.KW), CG = arg(args, ConvArg.CG);
  const sd = arg(args, ConvArg.Sd), sh = arg(args, ConvArg.Sh), sw = arg(args, ConvArg.Sw);
  const dd = arg(args, ConvArg.Dd), dh = arg(args, ConvArg.Dh), dw = arg(args, ConvArg.Dw);
  const pd = arg(args, ConvArg.Pd), ph = arg(args, ConvArg.Ph), pw = arg(args, ConvArg.Pw);
  const Kt = KD * KH * KW * CG;
  const tapBytes = <usize>CG << 2;
  const runBytes = <usize>KW * tapBytes;
  const pixelBytes = <usize>C << 2;
  const contiguous = CG == C && dw == 1;
  const channel = <usize>(g * CG) << 2;
  const OD = arg(args, ConvArg.OD), OH = arg(args, ConvArg.OH), OW = arg(args, ConvArg.OW);
  pixel(args, p0, pos);
  let n = load<i32>(pos), od = load<i32>(pos, 4), oh = load<i32>(pos, 8), ow = load<i32>(pos, 12) - 1;
  for (let r = 0; r < rows; r++) {
    // Next output pixel (an odometer over ow, oh, od, n).
    if (++ow == OW) {
      ow = 0;
      if (++oh == OH) {
        oh = 0;
        if (++od == OD) {
          od = 0;
          n++;
        }
      }
    }
    const iw0 = ow * sw - pw;
    const inside = iw0 >= 0 && iw0 + (KW - 1) * dw < W;
    let dst = col + (<usize>r * <usize>Kt << 2);
    for (let kd = 0; kd < KD; kd++) {
      const id = od * sd - pd + kd * dd;
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * sh - ph + kh * dh;
        if (id < 0 || id >= D || ih < 0 || ih >= H) {
          if (gather) memory.fill(dst, 0, runBytes);
          dst += runBytes;
          continue;
        }
        const line = x + ((<usize>((n * D + id) * H + ih) * <usize>W) * pixelBytes) + channel;
        if (contiguous && inside) {
          const src = line + <usize>iw0 * pixelBytes;
          if (gather) copyFloats(dst, src, runBytes);
          else addFloats(src, dst, runBytes);
          dst += runBytes;
          continue;
        }
        for (let kw = 0; kw < KW; kw++) {
          const iw = iw0 + kw * dw;
          if (iw >= 0 && iw < W) {
            const src = line + <usize>iw * pixelBytes;
            if (gather) copyFloats(dst, src, tapBytes);
            else addFloats(src, dst, tapBytes);
          } else if (gather) {
            memory.fill(dst, 0, tapBytes);
          }
          dst += tapBytes;
        }
      }
    }
  }
}

/** col[r, (kd, kh, kw, c)] for output pixels p0 ≤ p < p0 + rows of group g (row length Kt). */
@inline function im2col(args: usize, x: usize, g: i32, p0: i32, rows: i32, col: usize, pos: usize): void {
  im2colMove(args, x, g, p0, rows, col, pos, true);
}

/** Forward conv. Item: (group, block of output pixels); all of the group's FG outputs. */
export function convItem(args: usize, item: i32, scratch: usize): void {
  const N = arg(args, ConvArg.N), C = arg(args, ConvArg.C), KD = arg(args, ConvArg.KD), KH = arg(args, ConvArg.KH), KW = arg(args, ConvArg.KW);
  const CG = arg(args, ConvArg.CG), F = arg(args, ConvArg.F), FG = arg(args, ConvArg.FG);
  const P = N * arg(args, ConvArg.OD) * arg(args, ConvArg.OH) * arg(args, ConvArg.OW);
  const x = ptr(args, ConvArg.In0), w = ptr(args, ConvArg.In1), y = ptr(args, ConvArg.Out);
  const mb = arg(args, ConvArg.PerItem), blocks = arg(args, ConvArg.PerGroup), pointwise = arg(args, ConvArg.Pointwise) != 0;
  const g = item / blocks;
  const p0 = (item % blocks) * mb;
  const rows = imin(mb, P - p0);
  const Kt = KD * KH * KW * CG;
  let a: usize, lda: i32;
  if (pointwise) {
    a = x + (<usize>(p0 * C + g * CG) << 2);
    lda = C;
  } else {
    a = scratch + GEMM_SCRATCH + 16;
    im2col(args, x, g, p0, rows, a, scratch + GEMM_SCRATCH);
    lda = Kt;
  }
  gemm(rows, FG, Kt, a, lda, false, w + (<usize>(g * FG) << 2), F, false, y + (<usize>(p0 * F + g * FG) << 2), F, false, scratch);
}

/**
 * convBackpropInput. Item: (image n, group g), whose dx entries no other item touches, so
 * col2im can add without races. Output pixels go through in blocks of `mb` rows.
 */
export function convBackpropInputItem(args: usize, item: i32, scratch: usize): void {
  const D = arg(args, ConvArg.D), H = arg(args, ConvArg.H), W = arg(args, ConvArg.W), C = arg(args, ConvArg.C);
  const KD = arg(args, ConvArg.KD), KH = arg(args, ConvArg.KH), KW = arg(args, ConvArg.KW), CG = arg(args, ConvArg.CG), F = arg(args, ConvArg.F);
  const OD = arg(args, ConvArg.OD), OH = arg(args, ConvArg.OH), OW = arg(args, ConvArg.OW);
  const groups = arg(args, ConvArg.Groups), FG = arg(args, ConvArg.FG);
  const dy = ptr(args, ConvArg.In0), w = ptr(args, ConvArg.In1), dx = ptr(args, ConvArg.Out);
  const mb = arg(args, ConvArg.PerItem), pointwise = arg(args, ConvArg.Pointwise) != 0;
  const n = item / groups;
  const g = item % groups;
  const Pimg = OD * OH * OW;
  const Kt = KD * KH * KW * CG;
  const wg = w + (<usize>(g * FG) << 2);
  if (pointwise) {
    // dx rows are the pixels themselves: dx[p, g·CG : …] = dy[p, g·FG : …] · W_gᵀ.
    for (let r0 = 0; r0 < Pimg; r0 += mb) {
      const rows = imin(mb, Pimg - r0);
      const p = n * Pimg + r0;
      gemm(rows, CG, FG, dy + (<usize>(p * F + g * FG) << 2), F, false, wg, F, true, dx + (<usize>(p * C + g * CG) << 2), C, false, scratch);
    }
    return;
  }
  const image = <usize>(D * H * W);
  const dxn = dx + (<usize>n * image * <usize>C << 2);
  if (groups == 1) memory.fill(dxn, 0, image * <usize>C << 2);
  else for (let q: usize = 0; q < image; q++) memory.fill(dxn + ((q * <usize>C + <usize>(g * CG)) << 2), 0, <usize>CG << 2);
  const col = scratch + GEMM_SCRATCH + 16;
  const pos = scratch + GEMM_SCRATCH;
  for (let r0 = 0; r0 < Pimg; r0 += mb) {
    const rows = imin(mb, Pimg - r0);
    gemm(rows, Kt, FG, dy + (<usize>((n * Pimg + r0) * F + g * FG) << 2), F, false, wg, F, true, col, Kt, false, scratch);
    // col2im: every in-bounds tap adds its CG values back onto its input pixel.
    im2colMove(args, dx, g, n * Pimg + r0, rows, col, pos, false);
  }
}

/**
 * convBackpropFilter. Item: (group g, split s of the pixels); dW_g = Σ_p col_g[p]ᵀ dy_g[p]
 * over the split's pixels, written to dw, or to partial s when there are several splits (they
 * are summed afterwards in split order, so results do not depend on the thread count).
 */
export function convBackpropFilterItem(args: usize, item: i32, scratch: usize): void {
  const N = arg(args, ConvArg.N), C = arg(args, ConvArg.C), KD = arg(args, ConvArg.KD), KH = arg(args, ConvArg.KH), KW = arg(args, ConvArg.KW);
  const CG = arg(args, ConvArg.CG), F = arg(args, ConvArg.F), FG = arg(args, ConvArg.FG);
  const P = N * arg(args, ConvArg.OD) * arg(args, ConvArg.OH) * arg(args, ConvArg.OW);
  const x = ptr(args, ConvArg.In0), dy = ptr(args, ConvArg.In1), dw = ptr(args, ConvArg.Out);
  const mb = arg(args, ConvArg.PerItem), pointwise = arg(args, ConvArg.Pointwise) != 0;
  const partials = ptr(args, ConvArg.Partials), splits = arg(args, ConvArg.Splits), per = arg(args, ConvArg.PerSplit);
  const g = item / splits;
  const s = item % splits;
  const Kt = KD * KH * KW * CG;
  const target = (splits > 1 ? partials + (<usize>s * <usize>Kt * <usize>F << 2) : dw) + (<usize>(g * FG) << 2);
  const p0 = s * per;
  const p1 = imin(P, p0 + per);
  if (p1 <= p0) {
    for (let t = 0; t < Kt; t++) memory.fill(target + (<usize>t * <usize>F << 2), 0, <usize>FG << 2);
    return;
  }
  const col = scratch + GEMM_SCRATCH + 16;
  for (let r0 = p0; r0 < p1; r0 += mb) {
    const rows = imin(mb, p1 - r0);
    let a: usize, lda: i32;
    if (pointwise) {
      a = x + (<usize>(r0 * C + g * CG) << 2);
      lda = C;
    } else {
      im2col(args, x, g, r0, rows, col, scratch + GEMM_SCRATCH);
      a = col;
      lda = Kt;
    }
    gemm(Kt, FG, rows, a, lda, true, dy + (<usize>(r0 * F + g * FG) << 2), F, false, target, F, r0 > p0, scratch);
  }
}

// ---- depthwise (CG = FG = 1, so C = F = groups): SIMD across channels ----

@inline function addProducts(out: usize, a: usize, b: usize, C: i32): void {
  let c = 0;
  for (; c + 4 <= C; c += 4) {
    const o = <usize>c << 2;
    v128.store(out + o, f32x4.add(v128.load(out + o), f32x4.mul(v128.load(a + o), v128.load(b + o))));
  }
  for (; c < C; c++) {
    const o = <usize>c << 2;
    store<f32>(out + o, load<f32>(out + o) + load<f32>(a + o) * load<f32>(b + o));
  }
}

/** y[p, c] = Σ_taps x[in(p, tap), c] · w[tap, c]. Item: output rows (n, od, oh). */
export function depthwiseConvItem(args: usize, item: i32): void {
  const N = arg(args, ConvArg.N), D = arg(args, ConvArg.D), H = arg(args, ConvArg.H), W = arg(args, ConvArg.W), C = arg(args, ConvArg.C);
  const KD = arg(args, ConvArg.KD), KH = arg(args, ConvArg.KH), KW = arg(args, ConvArg.KW);
  const OD = arg(args, ConvArg.OD), OH = arg(args, ConvArg.OH), OW = arg(args, ConvArg.OW);
  const sd = arg(args, ConvArg.Sd), sh = arg(args, ConvArg.Sh), sw = arg(args, ConvArg.Sw);
  const dd = arg(args, ConvArg.Dd), dh = arg(args, ConvArg.Dh), dw = arg(args, ConvArg.Dw);
  const pd = arg(args, ConvArg.Pd), ph = arg(args, ConvArg.Ph), pw = arg(args, ConvArg.Pw);
  const x = ptr(args, ConvArg.In0), w = ptr(args, ConvArg.In1), y = ptr(args, ConvArg.Out), per = arg(args, ConvArg.PerItem);
  const r1 = imin(N * OD * OH, (item + 1) * per);
  for (let r = item * per; r < r1; r++) {
    const oh = r % OH, od = (r / OH) % OD, n = r / (OH * OD);
    for (let ow = 0; ow < OW; ow++) {
      const out = y + (<usize>((r * OW + ow) * C) << 2);
      memory.fill(out, 0, <usize>C << 2);
      for (let kd = 0; kd < KD; kd++) {
        const id = od * sd - pd + kd * dd;
        if (id < 0 || id >= D) continue;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw - pw + kw * dw;
            if (iw < 0 || iw >= W) continue;
            const xp = x + (<usize>((((n * D + id) * H + ih) * W + iw) * C) << 2);
            const wp = w + (<usize>(((kd * KH + kh) * KW + kw) * C) << 2);
            addProducts(out, xp, wp, C);
          }
        }
      }
    }
  }
}

/**
 * dx[i, c] = Σ dy[o, c] · w[tap, c] over the (tap, o) pairs with o·s − p + tap·d = i, i.e.
 * o = (i + p − tap·d) / s where that division is exact. Item: dx rows (n, id, ih).
 */
export function depthwiseBackpropInputItem(args: usize, item: i32): void {
  const N = arg(args, ConvArg.N), D = arg(args, ConvArg.D), H = arg(args, ConvArg.H), W = arg(args, ConvArg.W), C = arg(args, ConvArg.C);
  const KD = arg(args, ConvArg.KD), KH = arg(args, ConvArg.KH), KW = arg(args, ConvArg.KW);
  const OD = arg(args, ConvArg.OD), OH = arg(args, ConvArg.OH), OW = arg(args, ConvArg.OW);
  const sd = arg(args, ConvArg.Sd), sh = arg(args, ConvArg.Sh), sw = arg(args, ConvArg.Sw);
  const dd = arg(args, ConvArg.Dd), dh = arg(args, ConvArg.Dh), dw = arg(args, ConvArg.Dw);
  const pd = arg(args, ConvArg.Pd), ph = arg(args, ConvArg.Ph), pw = arg(args, ConvArg.Pw);
  const dy = ptr(args, ConvArg.In0), w = ptr(args, ConvArg.In1), dx = ptr(args, ConvArg.Out), per = arg(args, ConvArg.PerItem);
  const r1 = imin(N * D * H, (item + 1) * per);
  for (let r = item * per; r < r1; r++) {
    const ih = r % H, id = (r / H) % D, n = r / (H * D);
    for (let iw = 0; iw < W; iw++) {
      const out = dx + (<usize>((r * W + iw) * C) << 2);
      memory.fill(out, 0, <usize>C << 2);
      for (let kd = 0; kd < KD; kd++) {
        const td = id + pd - kd * dd;
        if (td < 0 || td % sd != 0 || td / sd >= OD) continue;
        for (let kh = 0; kh < KH; kh++) {
          const th = ih + ph - kh * dh;
          if (th < 0 || th % sh != 0 || th / sh >= OH) continue;
          for (let kw = 0; kw < KW; kw++) {
            const tw = iw + pw - kw * dw;
            if (tw < 0 || tw % sw != 0 || tw / sw >= OW) continue;
            const yp = dy + (<usize>((((n * OD + td / sd) * OH + th / sh) * OW + tw / sw) * C) << 2);
            const wp = w + (<usize>(((kd * KH + kh) * KW + kw) * C) << 2);
            addProducts(out, yp, wp, C);
          }
        }
      }
    }
  }
}

/**
 * dw[tap, c] = Σ_p x[in(p, tap), c] · dy[p, c]. Item: a block of `per` channels, all taps.
 * Each output row is summed in float32, rows are added in float64 (scratch: taps·per floats
 * then taps·per doubles), which keeps long sums accurate.
 */
export function depthwiseBackpropFilterItem(args: usize, item: i32, scratch: usize): void {
  const N = arg(args, ConvArg.N), D = arg(args, ConvArg.D), H = arg(args, ConvArg.H), W = arg(args, ConvArg.W), C = arg(args, ConvArg.C);
  const KD = arg(args, ConvArg.KD), KH = arg(args, ConvArg.KH), KW = arg(args, ConvArg.KW);
  const OD = arg(args, ConvArg.OD), OH = arg(args, ConvArg.OH), OW = arg(args, ConvArg.OW);
  const sd = arg(args, ConvArg.Sd), sh = arg(args, ConvArg.Sh), sw = arg(args, ConvArg.Sw);
  const dd = arg(args, ConvArg.Dd), dh = arg(args, ConvArg.Dh), dw = arg(args, ConvArg.Dw);
  const pd = arg(args, ConvArg.Pd), ph = arg(args, ConvArg.Ph), pw = arg(args, ConvArg.Pw);
  const x = ptr(args, ConvArg.In0), dy = ptr(args, ConvArg.In1), dwp = ptr(args, ConvArg.Out), per = arg(args, ConvArg.PerItem);
  const c0 = item * per;
  const cw = imin(C, c0 + per) - c0;
  const taps = KD * KH * KW;
  const acc32 = scratch;
  const acc64 = scratch + (<usize>(taps * per) << 2);
  memory.fill(acc64, 0, <usize>(taps * cw) << 3);
  for (let r = 0; r < N * OD * OH; r++) {
    const oh = r % OH, od = (r / OH) % OD, n = r / (OH * OD);
    memory.fill(acc32, 0, <usize>(taps * cw) << 2);
    for (let ow = 0; ow < OW; ow++) {
      const g = dy + (<usize>((r * OW + ow) * C + c0) << 2);
      for (let kd = 0; kd < KD; kd++) {
        const id = od * sd - pd + kd * dd;
        if (id < 0 || id >= D) continue;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw - pw + kw * dw;
            if (iw < 0 || iw >= W) continue;
            const xp = x + (<usize>((((n * D + id) * H + ih) * W + iw) * C + c0) << 2);
            addProducts(acc32 + (<usize>(((kd * KH + kh) * KW + kw) * cw) << 2), xp, g, cw);
          }
        }
      }
    }
    for (let q = 0; q < taps * cw; q++) {
      const p = acc64 + (<usize>q << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(acc32 + (<usize>q << 2)));
    }
  }
  for (let t = 0; t < taps; t++) {
    for (let c = 0; c < cw; c++) store<f32>(dwp + (<usize>(t * C + c0 + c) << 2), <f32>load<f64>(acc64 + (<usize>(t * cw + c) << 3)));
  }
}
