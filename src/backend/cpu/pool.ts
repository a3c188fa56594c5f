// Pooling over 5-D channels-last data. Padded positions are never part of a window: max
// ignores them and average divides by the number of real elements (TensorFlow's rule).
import { ValueError } from '../../base/index.js';
import type { PoolAttrs } from '../kernels.js';
import type { Buf } from './buffer.js';

/** Call `visit(yIndex, xIndices)` for each output with the flat input indices of its window. */
function forEachWindow(x: readonly number[], y: readonly number[], a: PoolAttrs, visit: (yi: number, window: number[]) => void): void {
  const [N, D, H, W, C] = x;
  const [, OD, OH, OW] = y;
  const [kd, kh, kw] = a.window;
  const [sd, sh, sw] = a.strides;
  const [pd, ph, pw] = [a.pads[0][0], a.pads[1][0], a.pads[2][0]];
  const window: number[] = [];
  for (let n = 0; n < N; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let c = 0; c < C; c++) {
            window.length = 0;
            for (let i = 0; i < kd; i++) {
              const id = od * sd - pd + i;
              if (id < 0 || id >= D) continue;
              for (let j = 0; j < kh; j++) {
                const ih = oh * sh - ph + j;
                if (ih < 0 || ih >= H) continue;
                for (let k = 0; k < kw; k++) {
                  const iw = ow * sw - pw + k;
                  if (iw < 0 || iw >= W) continue;
                  window.push((((n * D + id) * H + ih) * W + iw) * C + c);
                }
              }
            }
            visit((((n * OD + od) * OH + oh) * OW + ow) * C + c, window);
          }
}

export function pool([x]: Buf[], outputs: Buf[], attrs: PoolAttrs): void {
  const [y, argmax] = outputs;
  forEachWindow(x.shape, y.shape, attrs, (yi, window) => {
    if (attrs.op === 'avg') {
      let sum = 0;
      for (const xi of window) sum += x.data[xi];
      y.data[yi] = sum / window.length;
    } else {
      // The first maximum wins; a NaN in the window propagates.
      let best = window[0];
      for (const xi of window) {
        const v = x.data[xi];
        if (Number.isNaN(v)) { best = xi; break; }
        if (v > x.data[best]) best = xi;
      }
      y.data[yi] = x.data[best];
      if (argmax) argmax.data[yi] = best;
    }
  });
}

export function maxPoolBackprop([dy, argmax]: Buf[], [dx]: Buf[]): void {
  const acc = new Float64Array(dx.data.length);
  for (let i = 0; i < dy.data.length; i++) {
    const at = argmax.data[i];
    if (!(at >= 0 && at < acc.length)) throw new ValueError(`maxPoolBackprop: index ${at} is outside x (${acc.length} elements)`);
    acc[at] += dy.data[i];
  }
  dx.data.set(acc);
}

export function avgPoolBackprop([dy]: Buf[], [dx]: Buf[], attrs: PoolAttrs): void {
  const acc = new Float64Array(dx.data.length);
  forEachWindow(dx.shape, dy.shape, attrs, (yi, window) => {
    const share = dy.data[yi] / window.length;
    for (const xi of window) acc[xi] += share;
  });
  dx.data.set(acc);
}
