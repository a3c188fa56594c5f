// The wasm backend's kernel table. Every entry is optional: a kernel left out (or a dtype or op
// an entry's `supports` refuses) runs on cpu, so a new kernel works before wasm implements it.
// Adding one here is docs/adding-a-kernel.md.
import type { KernelTable } from '../../backend.js';
import type { WasmBackend } from '../wasm-backend.js';
import { conv, convBackpropFilter, convBackpropInput } from './conv.js';
import { binary, broadcastTo, cast, reduce, unary, where } from './elementwise.js';
import { matmul } from './matmul.js';
import { concat, gather, pad, scatterAdd, slice, transpose } from './movement.js';
import { avgPoolBackprop, pool } from './pool.js';
import { gruSequence, gruSequenceGrad, lstmSequence, lstmSequenceGrad } from './recurrent.js';
import { cumsum } from './scan.js';

export const WASM_KERNELS: KernelTable<WasmBackend> = {
  unary, binary, where, cast, broadcastTo, reduce, cumsum, matmul, transpose, slice, pad, concat,
  gather, scatterAdd, conv, convBackpropInput, convBackpropFilter, pool, avgPoolBackprop,
  lstmSequence, lstmSequenceGrad, gruSequence, gruSequenceGrad,
};
