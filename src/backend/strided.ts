// Index-space helpers shared by the backends. Collapsing (wasm, native): before a strided or
// broadcasting loop runs, size-1 axes are dropped and neighbouring axes that every operand walks
// contiguously are merged, so the kernels see the lowest rank that describes the same walk.
// concatLayout (cpu, wasm, webgpu): where each input of a concat lands in the output.
import { broadcastStrides, sizeOf } from '../base/index.js';

/**
 * Output `shape` and input `strides` (elements, 0 on broadcast axes) for inputs broadcast to
 * `out`, with size-1 axes dropped and neighbouring axes merged wherever every input steps
 * through them contiguously. Never rank 0.
 */
export function collapseBroadcast(out: readonly number[], ins: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const full = ins.map((s) => broadcastStrides(s, out));
  const shape: number[] = [];
  const strides: number[][] = ins.map(() => []);
  for (let d = 0; d < out.length; d++) {
    if (out[d] === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && full.every((s, k) => strides[k][last] === s[d] * out[d])) {
      shape[last] *= out[d];
      full.forEach((s, k) => { strides[k][last] = s[d]; });
    } else {
      shape.push(out[d]);
      full.forEach((s, k) => strides[k].push(s[d]));
    }
  }
  if (shape.length === 0) {
    shape.push(1);
    strides.forEach((s) => s.push(0));
  }
  return { shape, strides };
}

/**
 * Merge neighbouring axes of an index space `shape` walked with two stride lists (one per
 * operand), dropping size-1 axes. Never rank 0.
 */
export function collapseStrided(shape: readonly number[], a: readonly number[], b: readonly number[]): { shape: number[]; a: number[]; b: number[] } {
  const s: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && sa[last] === a[d] * shape[d] && sb[last] === b[d] * shape[d]) {
      s[last] *= shape[d];
      sa[last] = a[d];
      sb[last] = b[d];
    } else {
      s.push(shape[d]);
      sa.push(a[d]);
      sb.push(b[d]);
    }
  }
  if (s.length === 0) return { shape: [1], a: [0], b: [0] };
  return { shape: s, a: sa, b: sb };
}

/**
 * The layout of a concat along `axis`: every input is [outer, chunk_i] (chunk_i: its size from
 * `axis` on) and the output [outer, yChunk] holds input i in columns offset_i … offset_i + chunk_i.
 */
export function concatLayout(ins: readonly (readonly number[])[], out: readonly number[], axis: number): { outer: number; yChunk: number; parts: { chunk: number; offset: number }[] } {
  let offset = 0;
  const parts = ins.map((shape) => {
    const chunk = sizeOf(shape.slice(axis));
    offset += chunk;
    return { chunk, offset: offset - chunk };
  });
  return { outer: sizeOf(out.slice(0, axis)), yChunk: sizeOf(out.slice(axis)), parts };
}
