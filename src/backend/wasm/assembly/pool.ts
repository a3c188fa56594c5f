// Pooling over channels-last [N, D, H, W, C], SIMD across channels. Padded positions are
// never part of a window: max ignores them, average divides by the count of real elements.
// Geometry args (shared by both kernels):
//   0 N, 1 D, 2 H, 3 W, 4 C, 5 OD, 6 OH, 7 OW, 8 kd, 9 kh, 10 kw, 11 sd, 12 sh, 13 sw,
//   14 pd, 15 ph, 16 pw, then 17 input, 18 output, 19 argmax (0 if none), 20 op (0 max, 1 avg),
//   21 rows per item.
import { PoolArg } from '../tasks';
import { arg, ptr, imax, imin } from './common';

/**
 * Output rows (n, od, oh) of pooling. For max, a lane takes a new value when it is larger, or
 * is NaN while the current best is not: so the first maximum and the first NaN win, as in the
 * reference, and the argmax output holds the flat input index of the winner.
 */
export function poolItem(args: usize, item: i32): void {
  const N = arg(args, PoolArg.N), D = arg(args, PoolArg.D), H = arg(args, PoolArg.H), W = arg(args, PoolArg.W), C = arg(args, PoolArg.C);
  const OD = arg(args, PoolArg.OD), OH = arg(args, PoolArg.OH), OW = arg(args, PoolArg.OW);
  const kd = arg(args, PoolArg.Kd), kh = arg(args, PoolArg.Kh), kw = arg(args, PoolArg.Kw);
  const sd = arg(args, PoolArg.Sd), sh = arg(args, PoolArg.Sh), sw = arg(args, PoolArg.Sw);
  const pd = arg(args, PoolArg.Pd), ph = arg(args, PoolArg.Ph), pw = arg(args, PoolArg.Pw);
  const x = ptr(args, PoolArg.X), y = ptr(args, PoolArg.Y), am = ptr(args, PoolArg.ArgMax), isAvg = arg(args, PoolArg.IsAvg) == 1, per = arg(args, PoolArg.PerItem);
  const rows = N * OD * OH;
  const r1 = imin(rows, (item + 1) * per);
  for (let r = item * per; r < r1; r++) {
    const oh = r % OH;
    const od = (r / OH) % OD;
    const n = r / (OH * OD);
    const d0 = imax(od * sd - pd, 0), d1 = imin(od * sd - pd + kd, D);
    const h0 = imax(oh * sh - ph, 0), h1 = imin(oh * sh - ph + kh, H);
    for (let ow = 0; ow < OW; ow++) {
      const w0 = imax(ow * sw - pw, 0), w1 = imin(ow * sw - pw + kw, W);
      const out = (r * OW + ow) * C;
      const count = (d1 - d0) * (h1 - h0) * (w1 - w0);
      const first = (((n * D + d0) * H + h0) * W + w0) * C;
      for (let c0 = 0; c0 < C; c0 += 4) {
        // A last partial group of lanes is redone as the 4 lanes ending at C (when C ≥ 4):
        // lanes computed twice get the same value both times.
        const c = c0 + 4 <= C || C < 4 ? c0 : C - 4;
        const lanes = imin(4, C - c);
        if (lanes == 4) {
          // Walk the window by pointer: rows of (w1 − w0) pixels, C floats apart.
          const pixel = <usize>C << 2;
          if (isAvg) {
            let sum = f32x4.splat(0);
            for (let id = d0; id < d1; id++)
              for (let ih = h0; ih < h1; ih++) {
                let p = x + (<usize>((((n * D + id) * H + ih) * W + w0) * C + c) << 2);
                for (let iw = w0; iw < w1; iw++) {
                  sum = f32x4.add(sum, v128.load(p));
                  p += pixel;
                }
              }
            v128.store(y + (<usize>(out + c) << 2), f32x4.div(sum, f32x4.splat(<f32>count)));
          } else {
            const lane = i32x4(0, 1, 2, 3);
            let best = v128.load(x + (<usize>(first + c) << 2));
            let at = i32x4.add(i32x4.splat(first + c), lane);
            for (let id = d0; id < d1; id++)
              for (let ih = h0; ih < h1; ih++) {
                let xi = (((n * D + id) * H + ih) * W + w0) * C + c;
                let p = x + (<usize>xi << 2);
                for (let iw = w0; iw < w1; iw++) {
                  const v = v128.load(p);
                  const take = v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
                  best = v128.bitselect(v, best, take);
                  at = v128.bitselect(i32x4.add(i32x4.splat(xi), lane), at, take);
                  p += pixel;
                  xi += C;
                }
              }
            v128.store(y + (<usize>(out + c) << 2), best);
            if (am) v128.store(am + (<usize>(out + c) << 2), at);
          }
        } else {
          for (let q = c; q < C; q++) {
            if (isAvg) {
              let sum: f32 = 0;
              for (let id = d0; id < d1; id++)
                for (let ih = h0; ih < h1; ih++)
                  for (let iw = w0; iw < w1; iw++) sum += load<f32>(x + (<usize>((((n * D + id) * H + ih) * W + iw) * C + q) << 2));
              store<f32>(y + (<usize>(out + q) << 2), sum / <f32>count);
            } else {
              let at = first + q;
              let best = load<f32>(x + (<usize>at << 2));
              for (let id = d0; id < d1; id++)
                for (let ih = h0; ih < h1; ih++)
                  for (let iw = w0; iw < w1; iw++) {
                    const xi = (((n * D + id) * H + ih) * W + iw) * C + q;
                    const v = load<f32>(x + (<usize>xi << 2));
                    if (v > best || (isNaN<f32>(v) && !isNaN<f32>(best))) {
                      best = v;
                      at = xi;
                    }
                  }
              store<f32>(y + (<usize>(out + q) << 2), best);
              if (am) store<i32>(am + (<usize>(out + q) << 2), at);
            }
          }
        }
      }
    }
  }
}

/**
 * avgPoolBackprop in gather form, so rows of dx are independent work items: dx at input
 * position i collects dy[o] / count(o) from every window o that contains i. Along one axis
 * those are o with o·s − p ≤ i < o·s − p + k, i.e. ⌈(i + p − k + 1)/s⌉ ≤ o ≤ ⌊(i + p)/s⌋.
 * Here 17 is dy, 18 is dx, and items are dx rows (n, id, ih).
 */
export function avgPoolBackpropItem(args: usize, item: i32): void {
  const N = arg(args, PoolArg.N), D = arg(args, PoolArg.D), H = arg(args, PoolArg.H), W = arg(args, PoolArg.W), C = arg(args, PoolArg.C);
  const OD = arg(args, PoolArg.OD), OH = arg(args, PoolArg.OH), OW = arg(args, PoolArg.OW);
  const kd = arg(args, PoolArg.Kd), kh = arg(args, PoolArg.Kh), kw = arg(args, PoolArg.Kw);
  const sd = arg(args, PoolArg.Sd), sh = arg(args, PoolArg.Sh), sw = arg(args, PoolArg.Sw);
  const pd = arg(args, PoolArg.Pd), ph = arg(args, PoolArg.Ph), pw = arg(args, PoolArg.Pw);
  const dy = ptr(args, PoolArg.X), dx = ptr(args, PoolArg.Y), per = arg(args, PoolArg.PerItem);
  const rows = N * D * H;
  const r1 = imin(rows, (item + 1) * per);
  for (let r = item * per; r < r1; r++) {
    const ih = r % H;
    const id = (r / H) % D;
    const n = r / (H * D);
    const od0 = imax(ceilDiv(id + pd - kd + 1, sd), 0), od1 = imin((id + pd) / sd, OD - 1);
    const oh0 = imax(ceilDiv(ih + ph - kh + 1, sh), 0), oh1 = imin((ih + ph) / sh, OH - 1);
    for (let iw = 0; iw < W; iw++) {
      const ow0 = imax(ceilDiv(iw + pw - kw + 1, sw), 0), ow1 = imin((iw + pw) / sw, OW - 1);
      const out = dx + (<usize>((r * W + iw) * C) << 2);
      memory.fill(out, 0, <usize>C << 2);
      for (let od = od0; od <= od1; od++) {
        const cd = imin(od * sd - pd + kd, D) - imax(od * sd - pd, 0);
        for (let oh = oh0; oh <= oh1; oh++) {
          const ch = imin(oh * sh - ph + kh, H) - imax(oh * sh - ph, 0);
          for (let ow = ow0; ow <= ow1; ow++) {
            const cw = imin(ow * sw - pw + kw, W) - imax(ow * sw - pw, 0);
            const inv = f32x4.splat(<f32>1 / <f32>(cd * ch * cw));
            const src = dy + (<usize>((((n * OD + od) * OH + oh) * OW + ow) * C) << 2);
            let c = 0;
            for (; c + 4 <= C; c += 4) {
              const q = <usize>c << 2;
              v128.store(out + q, f32x4.add(v128.load(out + q), f32x4.mul(v128.load(src + q), inv)));
            }
            for (; c < C; c++) {
              const q = <usize>c << 2;
              store<f32>(out + q, load<f32>(out + q) + load<f32>(src + q) / <f32>(cd * ch * cw));
            }
          }
        }
      }
    }
  }
}

/** ⌈a / b⌉ for b > 0 and any sign of a. */
@inline function ceilDiv(a: i32, b: i32): i32 {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}
