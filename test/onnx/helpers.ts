// Shared by the ONNX tests: run ONNX bytes in onnxruntime-node and compare with hebb.
import * as ort from 'onnxruntime-node';
import * as hb from '../../src/index.js';

/** Run `bytes` in onnxruntime on hebb tensors (by input name); returns the outputs in graph order. */
export async function runOrt(bytes: Uint8Array, inputs: Record<string, hb.Tensor>): Promise<hb.Tensor[]> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) {
    feeds[name] = t.dtype === 'int32' ? new ort.Tensor('int32', t.dataSync() as Int32Array, t.shape) : new ort.Tensor('float32', Float32Array.from(t.dataSync() as ArrayLike<number>), t.shape);
  }
  const result = await session.run(feeds);
  const outs = session.outputNames.map((n) => {
    const o = result[n];
    return hb.tensor(Float32Array.from(o.data as Float32Array), o.dims.map(Number));
  });
  await session.release();
  return outs;
}

/** Largest |a − b| over two same-shaped tensors (shape mismatch throws). */
export function maxAbsDiff(a: hb.Tensor, b: hb.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: [${a.shape}] vs [${b.shape}]`);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(Number(x[i]) - Number(y[i])));
  return m;
}
