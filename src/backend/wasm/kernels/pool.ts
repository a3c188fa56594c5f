// Drivers of pooling and average pooling's adjoint (assembly/pool.ts): items are rows of output
// (or, for the adjoint, of input) pixels.
import { sizeOf } from '../../../base/index.js';
import type { PoolAttrs } from '../../kernels.js';
import { PoolArg, Task } from '../tasks.js';
import { allFloat32, chunking, packArgs, type WasmKernelRecord, worth } from './common.js';

function poolArgs(x: readonly number[], y: readonly number[], a: PoolAttrs, input: number, output: number, argmax: number, per: number): number[] {
  const [N, D, H, W, C] = x;
  const [, OD, OH, OW] = y;
  return packArgs(PoolArg, {
    N, D, H, W, C, OD, OH, OW, Kd: a.window[0], Kh: a.window[1], Kw: a.window[2], Sd: a.strides[0], Sh: a.strides[1], Sw: a.strides[2],
    Pd: a.pads[0][0], Ph: a.pads[1][0], Pw: a.pads[2][0], X: input, Y: output, ArgMax: argmax, IsAvg: a.op === 'avg' ? 1 : 0, PerItem: per,
  });
}

export const pool: WasmKernelRecord<'pool'> = {
  writesAll: true,
  // The optional second output (max pooling's argmax) is int32.
  supports: (dtypes) => dtypes[0] === 'float32' && dtypes[1] === 'float32' && (dtypes.length === 2 || dtypes[2] === 'int32'),
  run(b, [x], [y, argmax], attrs) {
    const n = sizeOf(y.shape);
    if (n === 0) return;
    const [N, , , , C] = x.shape;
    const [, OD, OH] = y.shape;
    const { chunk, items } = chunking(b, N * OD * OH, 1);
    const work = n * attrs.window[0] * attrs.window[1] * attrs.window[2];
    b.task(Task.Pool, poolArgs(x.shape, y.shape, attrs, b.addr(x), b.addr(y), argmax ? b.addr(argmax) : 0, chunk), items, worth(b, work) && C > 0);
  },
};

export const avgPoolBackprop: WasmKernelRecord<'avgPoolBackprop'> = {
  writesAll: true,
  supports: allFloat32,
  run(b, [dy], [dx], attrs) {
    const n = sizeOf(dx.shape);
    if (n === 0) return;
    const [N, D, H] = dx.shape;
    const { chunk, items } = chunking(b, N * D * H, 1);
    const work = n * attrs.window[0] * attrs.window[1] * attrs.window[2];
    b.task(Task.AvgPoolBackprop, poolArgs(dx.shape, dy.shape, attrs, b.addr(dy), b.addr(dx), 0, chunk), items, worth(b, work));
  },
};
