// Driver of cumsum (assembly/scan.ts), float32 only: int32 and float64 running sums run on cpu.
import { CumsumArg, Task } from '../tasks.js';
import { allFloat32, chunking, packArgs, type WasmKernelRecord, worth } from './common.js';

/** Values one item sums at the least. */
const ITEM_VALUES = 16384;

export const cumsum: WasmKernelRecord<'cumsum'> = {
  writesAll: true,
  supports: allFloat32,
  run(b, [x], [y], { outer, size, inner, exclusive, reverse }) {
    const lines = outer * inner;
    if (lines * size === 0) return;
    const { chunk, items } = chunking(b, lines, Math.ceil(ITEM_VALUES / size));
    b.task(Task.Cumsum, packArgs(CumsumArg, {
      X: b.addr(x), Y: b.addr(y), Outer: outer, Size: size, Inner: inner, Exclusive: exclusive ? 1 : 0, Reverse: reverse ? 1 : 0, Chunk: chunk,
    }), items, worth(b, lines * size));
  },
};
