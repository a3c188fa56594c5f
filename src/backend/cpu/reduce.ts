// Reductions over the middle axis of x viewed as [outer, size, inner] → y [outer, inner].
import type { KernelAttrs, ReduceOp } from '../kernels.js';
import type { Buf } from './buffer.js';

export function reduce([x]: Buf[], [y]: Buf[], attrs: { op: ReduceOp; outer: number; size: number; inner: number }): void {
  const { op, outer, size, inner } = attrs;
  const X = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let acc: number;
      switch (op) {
        case 'sum':
          acc = 0;
          for (let k = 0; k < size; k++) acc += X[base + k * inner];
          break;
        case 'max':
          acc = -Infinity;
          for (let k = 0; k < size; k++) {
            const v = X[base + k * inner];
            if (v > acc || Number.isNaN(v)) acc = v;
            if (Number.isNaN(v)) break;
          }
          break;
        case 'min':
          acc = Infinity;
          for (let k = 0; k < size; k++) {
            const v = X[base + k * inner];
            if (v < acc || Number.isNaN(v)) acc = v;
            if (Number.isNaN(v)) break;
          }
          break;
        case 'argmax':
        case 'argmin': {
          // First index of the extreme value; a NaN wins (as in NumPy).
          acc = 0;
          let best = X[base];
          for (let k = 1; k < size && !Number.isNaN(best); k++) {
            const v = X[base + k * inner];
            if (Number.isNaN(v) || (op === 'argmax' ? v > best : v < best)) {
              best = v;
              acc = k;
            }
          }
          break;
        }
        case 'any':
          acc = 0;
          for (let k = 0; k < size; k++) if (X[base + k * inner] !== 0) { acc = 1; break; }
          break;
        case 'all':
          acc = 1;
          for (let k = 0; k < size; k++) if (X[base + k * inner] === 0) { acc = 0; break; }
          break;
        default:
          acc = op satisfies never;
      }
      y.data[o * inner + i] = acc;
    }
  }
}

/** Running sums along the middle axis (accumulated in float64, stored as y's dtype). */
export function cumsum([x]: Buf[], [y]: Buf[], { outer, size, inner, exclusive, reverse }: KernelAttrs['cumsum']): void {
  const X = x.data;
  const Y = y.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = 0;
      for (let step = 0; step < size; step++) {
        const at = o * size * inner + (reverse ? size - 1 - step : step) * inner + i;
        if (exclusive) {
          Y[at] = acc;
          acc += X[at];
        } else {
          acc += X[at];
          Y[at] = acc;
        }
      }
    }
  }
}
