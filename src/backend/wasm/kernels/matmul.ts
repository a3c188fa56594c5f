// Driver of the batched matmul (assembly/gemm.ts, matmulItem in assembly/index.ts): cuts the
// output into tiles, about four per thread, each packing its own panels of A and B.
import { MatmulArg, Task } from '../tasks.js';
import { allFloat32, packArgs, PARALLEL_WORK, type WasmKernelRecord } from './common.js';

/** Largest tile side: square tiles repack the least. */
const MAX_TILE = 256;

export const matmul: WasmKernelRecord<'matmul'> = {
  writesAll: true,
  supports: allFloat32,
  run(b, [a, bm], [y], { transposeA, transposeB }) {
    const [batch, M0, N] = y.shape;
    const [batchA, ra, ca] = a.shape;
    const [batchB, rb, cb] = bm.shape;
    const K = transposeA ? ra : ca;
    if (batch * M0 * N === 0) return;
    let M = M0;
    let batches = batch;
    // A shared right operand with untransposed left operands: the batch is just more rows.
    if (batch > 1 && batchB === 1 && batchA === batch && !transposeA) {
      M = batch * M0;
      batches = 1;
    }
    const work = batch * M0 * N * K;
    const parallel = b.threads > 1 && (b.fineGrained || work >= PARALLEL_WORK * 4);
    let tileM = M;
    let tileN = N;
    if (parallel) {
      // Tiles of at most 256×256, then halved along the longer side until there are about four
      // per thread, so a thread that the OS delays holds up little.
      const rowUnit = b.fineGrained ? 4 : 32;
      const colUnit = b.fineGrained ? 8 : 64;
      tileM = Math.min(M, MAX_TILE);
      tileN = Math.min(N, MAX_TILE);
      const want = 4 * b.threads;
      while (batches * Math.ceil(M / tileM) * Math.ceil(N / tileN) < want) {
        const canM = tileM >= 2 * rowUnit;
        const canN = tileN >= 2 * colUnit;
        if (canM && (tileM >= tileN || !canN)) tileM = Math.ceil(tileM / 2 / 4) * 4;
        else if (canN) tileN = Math.ceil(tileN / 2 / 8) * 8;
        else break;
      }
    }
    const tilesM = Math.ceil(M / tileM);
    const tilesN = Math.ceil(N / tileN);
    b.ensureScratch(b.exports.gemmScratchBytes.value + 64);
    b.task(Task.Matmul, packArgs(MatmulArg, {
      M, N, K, A: b.addr(a), Lda: ca, TransA: transposeA ? 1 : 0, B: b.addr(bm), Ldb: cb, TransB: transposeB ? 1 : 0, C: b.addr(y), Ldc: N,
      StrideA: batchA === 1 ? 0 : ra * ca, StrideB: batchB === 1 ? 0 : rb * cb, StrideC: M0 * N, TileM: tileM, TileN: tileN, TilesM: tilesM, TilesN: tilesN,
    }), batches * tilesM * tilesN, parallel);
  },
};
