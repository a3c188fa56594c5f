// Data movement: transpose, slice, pad, concat, gather and its adjoint scatterAdd.
import { sizeOf, stridesOf, ValueError } from '../../base/index.js';
import { concatLayout } from '../strided.js';
import type { Buf } from './buffer.js';

/** Visit every multi-index of `shape` in row-major order together with its flat position. */
function forEachIndex(shape: readonly number[], fn: (index: number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    fn(index, flat);
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      if (++index[ax] < shape[ax]) break;
      index[ax] = 0;
    }
  }
}

export function transpose([x]: Buf[], [y]: Buf[], { perm }: { perm: number[] }): void {
  const xs = stridesOf(x.shape);
  const stride = perm.map((p) => xs[p]);
  forEachIndex(y.shape, (index, flat) => {
    let src = 0;
    for (let i = 0; i < index.length; i++) src += index[i] * stride[i];
    y.data[flat] = x.data[src];
  });
}

export function slice([x]: Buf[], [y]: Buf[], { begin }: { begin: number[] }): void {
  const xs = stridesOf(x.shape);
  let base = 0;
  for (let i = 0; i < begin.length; i++) base += begin[i] * xs[i];
  forEachIndex(y.shape, (index, flat) => {
    let src = base;
    for (let i = 0; i < index.length; i++) src += index[i] * xs[i];
    y.data[flat] = x.data[src];
  });
}

export function pad([x]: Buf[], [y]: Buf[], { paddings, value }: { paddings: [number, number][]; value: number }): void {
  y.data.fill(value);
  const ys = stridesOf(y.shape);
  let base = 0;
  for (let i = 0; i < paddings.length; i++) base += paddings[i][0] * ys[i];
  forEachIndex(x.shape, (index, flat) => {
    let dst = base;
    for (let i = 0; i < index.length; i++) dst += index[i] * ys[i];
    y.data[dst] = x.data[flat];
  });
}

export function concat(xs: Buf[], [y]: Buf[], { axis }: { axis: number }): void {
  const { outer, yChunk, parts } = concatLayout(xs.map((x) => x.shape), y.shape, axis);
  xs.forEach((x, i) => {
    const { chunk, offset } = parts[i];
    for (let o = 0; o < outer; o++) y.data.set(x.data.subarray(o * chunk, (o + 1) * chunk), o * yChunk + offset);
  });
}

function checkIndex(op: string, i: number, size: number): void {
  if (!(i >= 0 && i < size)) throw new ValueError(`${op}: index ${i} is out of range [0, ${size})`);
}

export function gather([x, indices]: Buf[], [y]: Buf[], { axis }: { axis: number }): void {
  const outer = sizeOf(x.shape.slice(0, axis));
  const size = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const n = indices.data.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const k = indices.data[j];
      checkIndex('gather', k, size);
      const src = (o * size + k) * inner;
      y.data.set(x.data.subarray(src, src + inner), (o * n + j) * inner);
    }
  }
}

export function scatterAdd([updates, indices]: Buf[], [y]: Buf[], { axis }: { axis: number }): void {
  const outer = sizeOf(y.shape.slice(0, axis));
  const size = y.shape[axis];
  const inner = sizeOf(y.shape.slice(axis + 1));
  const n = indices.data.length;
  y.data.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const k = indices.data[j];
      checkIndex('scatterAdd', k, size);
      const dst = (o * size + k) * inner;
      const src = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) y.data[dst + i] += updates.data[src + i];
    }
  }
}
