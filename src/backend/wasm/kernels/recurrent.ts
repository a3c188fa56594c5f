// Drivers of the fused recurrences (assembly/recurrent.ts): the batch rows are cut into one
// block per thread (a block runs every time step, one GEMM per step over its rows), float32 only.
import type { TensorInfo } from '../../backend.js';
import type { KernelName } from '../../kernels.js';
import { RecurrentArg, Task } from '../tasks.js';
import type { WasmBackend } from '../wasm-backend.js';
import { allFloat32, packArgs, PARALLEL_WORK, type WasmKernel, type WasmKernelRecord } from './common.js';

type Slots = { [S in Exclude<keyof typeof RecurrentArg, number>]: number };

/**
 * Run `task` over the rows of a [N, T, …] problem with units u and G gates: one block of rows per
 * thread (single rows when tests ask for fine-grained items). `scratchPerRow` floats of each
 * thread's scratch follow the GEMM's.
 */
function runRows(b: WasmBackend, task: Task, n: number, t: number, u: number, gates: number, scratchPerRow: number, slots: Omit<Slots, 'N' | 'T' | 'U' | 'Rows'>): void {
  if (n === 0) return;
  const work = n * t * u * gates * u;
  const parallel = b.threads > 1 && (b.fineGrained || work >= PARALLEL_WORK);
  const rows = b.fineGrained ? 1 : parallel ? Math.ceil(n / b.threads) : n;
  // The GEMM's packing space, the recurrent kernel packed once (K·N padded to 8 columns), the rows' own floats.
  const g = gates * u;
  const packed = Math.max(u * Math.ceil(g / 8) * 8, g * Math.ceil(u / 8) * 8);
  b.ensureScratch(b.exports.gemmScratchBytes.value + (packed + rows * scratchPerRow) * 4 + 64);
  b.task(task, packArgs(RecurrentArg, { ...slots, N: n, T: t, U: u, Rows: rows }), Math.ceil(n / rows), parallel);
}

/** The record of a fused recurrent kernel: float32 only, and every output is written in full. */
function fused<K extends KernelName>(run: WasmKernel<K>): WasmKernelRecord<K> {
  return { writesAll: true, supports: allFloat32, run };
}

const maskAddr = (b: WasmBackend, masked: boolean, mask: TensorInfo | undefined): number => (masked && mask ? b.addr(mask) : 0);

export const lstmSequence = fused<'lstmSequence'>((b, [xk, h0, c0, r, mask], [y, gates], { masked }) => {
  const [n, t] = xk.shape;
  const u = r.shape[0];
  runRows(b, Task.LstmSequence, n, t, u, 4, 0, {
    R: b.addr(r), Rb: 0, Mask: maskAddr(b, masked, mask), Masked: masked ? 1 : 0,
    In0: b.addr(xk), In1: b.addr(h0), In2: b.addr(c0), In3: 0, Out0: b.addr(y), Out1: b.addr(gates), Out2: 0,
  });
});

export const lstmSequenceGrad = fused<'lstmSequenceGrad'>((b, [dy, y, gates, c0, r, mask], [dz, dh0, dc0], { masked }) => {
  const [n, t] = gates.shape;
  const u = r.shape[0];
  runRows(b, Task.LstmSequenceGrad, n, t, u, 4, 2 * u, {
    R: b.addr(r), Rb: 0, Mask: maskAddr(b, masked, mask), Masked: masked ? 1 : 0,
    In0: b.addr(dy), In1: b.addr(y), In2: b.addr(gates), In3: b.addr(c0), Out0: b.addr(dz), Out1: b.addr(dh0), Out2: b.addr(dc0),
  });
});

export const gruSequence = fused<'gruSequence'>((b, [xk, h0, r, rb, mask], [y, gates], { masked }) => {
  const [n, t] = xk.shape;
  const u = r.shape[0];
  runRows(b, Task.GruSequence, n, t, u, 3, 3 * u, {
    R: b.addr(r), Rb: b.addr(rb), Mask: maskAddr(b, masked, mask), Masked: masked ? 1 : 0,
    In0: b.addr(xk), In1: b.addr(h0), In2: 0, In3: 0, Out0: b.addr(y), Out1: b.addr(gates), Out2: 0,
  });
});

export const gruSequenceGrad = fused<'gruSequenceGrad'>((b, [dy, y, gates, h0, r, mask], [dxk, drec, dh0], { masked }) => {
  const [n, t] = gates.shape;
  const u = r.shape[0];
  runRows(b, Task.GruSequenceGrad, n, t, u, 3, u, {
    R: b.addr(r), Rb: 0, Mask: maskAddr(b, masked, mask), Masked: masked ? 1 : 0,
    In0: b.addr(dy), In1: b.addr(y), In2: b.addr(gates), In3: b.addr(h0), Out0: b.addr(dxk), Out1: b.addr(drec), Out2: b.addr(dh0),
  });
});
