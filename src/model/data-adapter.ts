// Turning what users pass as x and y (a Tensor, a Tensor[] per input/output, an object keyed by
// input/output names, or nested arrays) into one tensor per model input/output, and cutting
// them into batches.
import { Rng, ValueError, globalRng } from '../base/index.js';
import { gather, slice } from '../ops/index.js';
import { Tensor, tensor, type TensorLike } from '../tensor/index.js';

/** What fit/evaluate/predict accept for x and y. */
export type ModelData = Tensor | Tensor[] | Record<string, Tensor> | TensorLike;

/** One tensor per name, in `names` order. */
export function toTensorList(op: string, data: ModelData, names: readonly string[], what: 'input' | 'target'): Tensor[] {
  const n = names.length;
  if (data instanceof Tensor) {
    if (n !== 1) throw new ValueError(`${op}: the model has ${n} ${what}s (${names.join(', ')}); pass an array or an object keyed by name`);
    return [data];
  }
  if (Array.isArray(data) && data.length > 0 && data.every((d) => d instanceof Tensor)) {
    if (data.length !== n) throw new ValueError(`${op}: got ${data.length} ${what} tensors for ${n} ${what}s (${names.join(', ')})`);
    return data as Tensor[];
  }
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && !ArrayBuffer.isView(data)) {
    const rec = data as Record<string, unknown>;
    const extra = Object.keys(rec).filter((k) => !names.includes(k));
    if (extra.length > 0) throw new ValueError(`${op}: unknown ${what} name(s) ${extra.join(', ')}; expected ${names.join(', ')}`);
    return names.map((name) => {
      const t = rec[name];
      if (!(t instanceof Tensor)) throw new ValueError(`${op}: missing ${what} '${name}'`);
      return t;
    });
  }
  if (n !== 1) throw new ValueError(`${op}: the model has ${n} ${what}s; pass one tensor per ${what}`);
  try {
    return [tensor(data as TensorLike)];
  } catch (e) {
    throw new ValueError(`${op}: cannot make a tensor of the ${what} data: ${(e as Error).message}`);
  }
}

/** The common number of samples (first axis) of all tensors. */
export function sampleCount(op: string, groups: readonly (readonly Tensor[])[]): number {
  let n: number | null = null;
  for (const t of groups.flat()) {
    if (t.rank === 0) throw new ValueError(`${op}: data needs a batch axis, got a scalar`);
    if (n === null) n = t.shape[0];
    else if (t.shape[0] !== n) {
      const all = groups.flat().map((x) => x.shape[0]);
      throw new ValueError(`${op}: all inputs and targets must have the same number of samples, got ${all.join(', ')}`);
    }
  }
  if (n === null) throw new ValueError(`${op}: no data`);
  return n;
}

/** Rows [start, start + size) of every tensor. */
export function sliceRows(ts: readonly Tensor[], start: number, size: number): Tensor[] {
  return ts.map((t) => slice(t, [start], [size]));
}

/** Rows at `indices` of every tensor. */
export function takeRows(ts: readonly Tensor[], indices: Int32Array): Tensor[] {
  const idx = tensor(indices, [indices.length], 'int32');
  return ts.map((t) => gather(t, idx, 0));
}

/** The generator that shuffles epoch `epoch`: fit's seed mixed with the epoch, else the global one. */
export function shuffleRng(seed: number | undefined, epoch: number): Rng {
  if (seed === undefined) return globalRng;
  // Mix seed and epoch so that every epoch of a seeded run has its own order, reproducibly.
  return new Rng((Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
}

/** 0 … n−1, shuffled (Fisher–Yates) when `rng` is given. */
export function sampleOrder(n: number, rng: Rng | null): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (rng) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
  }
  return order;
}
