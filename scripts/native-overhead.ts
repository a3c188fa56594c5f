// The native backend's per-op overhead: the cost of one kernel call through the backend
// (backend.run: argument packing in JavaScript, the N-API call, the primitive lookup and its
// execution) on tensors so small that the arithmetic is nothing, beside an empty addon call and a
// whole op (hb.add, with the tensor bookkeeping above the backend) on every backend.
//   npx tsx scripts/native-overhead.ts [--calls N]
import { parseArgs } from 'node:util';
import { createNativeBackend } from '../src/backend/native/index.js';
import { getBackendInstance } from '../src/backend/registry.js';
import * as hb from '../src/index.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200000' } } });
const calls = Number(values.calls);

/** Median over 7 rounds of µs per call. */
function perCall(fn: () => void): number {
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    rounds.push(((performance.now() - start) * 1000) / calls);
  }
  return rounds.sort((a, b) => a - b)[3];
}

const native = createNativeBackend();
native.setThreads(1);
const buf = (n: number) => ({ id: native.alloc('float32', n), shape: [n], dtype: 'float32' as const });
const [a, b, y] = [buf(4), buf(4), buf(4)];
const [m, k, p] = [buf(4), buf(4), buf(4)];
const rows: [string, number][] = [
  ['empty addon call (N-API only)', perCall(() => native.addon.noop())],
  ['backend.run: add, 4 elements', perCall(() => native.run('binary', [a, b], [y], { op: 'add' }))],
  ['backend.run: matmul 2×2×2', perCall(() => native.run('matmul', [{ ...m, shape: [1, 2, 2] }, { ...k, shape: [1, 2, 2] }], [{ ...p, shape: [1, 2, 2] }], { transposeA: false, transposeB: false }))],
];
await hb.ready();
for (const name of hb.backends().filter((x) => x.available && x.name !== 'webgpu').map((x) => x.name)) {
  await hb.setBackend(name);
  hb.setThreads(1);
  const t = hb.tensor([1, 2, 3, 4]);
  rows.push([`hb.add on 4 elements, ${getBackendInstance().name} (tensor bookkeeping included)`, perCall(() => hb.tidy(() => void hb.add(t, t)))]);
}
for (const [what, us] of rows) console.log(`${us.toFixed(3).padStart(8)} µs  ${what}`);
process.exit(0);
