// Small helpers the case files share.
import type { TypedArray } from '../../src/index.js';

// TF.js returns the same kinds of arrays as hebb's dataSync.
type Values = TypedArray;

/**
 * What run() returns: a checksum (mean |x|) of the first result, for comparing engines, and
 * afterwards just one element, so the timed calls don't pay for a pass over the output.
 */
export function checksumOnce(): (values: Values) => number {
  let first = true;
  return (values) => {
    if (!first) return values[0];
    first = false;
    let s = 0;
    for (let i = 0; i < values.length; i++) s += Math.abs(values[i]);
    return s / Math.max(values.length, 1);
  };
}

/** 2·N·OH·OW·F·kh·kw·C: multiply-adds of a dense convolution (padding positions included). */
export function convFlops(n: number, outH: number, outW: number, filters: number, kh: number, kw: number, channels: number): number {
  return 2 * n * outH * outW * filters * kh * kw * channels;
}
