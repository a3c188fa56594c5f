// Batched matrix product: y[b] = op(a[b]) · op(b[b]) where op transposes when asked.
import type { Buf } from './buffer.js';

export function matmul([a, b]: Buf[], [y]: Buf[], { transposeA, transposeB }: { transposeA: boolean; transposeB: boolean }): void {
  const [batch, M, N] = y.shape;
  const [batchA, ra, ca] = a.shape;
  const [batchB, rb, cb] = b.shape;
  const K = transposeA ? ra : ca;
  const A = a.data;
  const B = b.data;
  const Y = y.data;
  // Element (i, k) of op(a) and (k, j) of op(b), as strides into the stored matrices.
  const aRow = transposeA ? 1 : ca;
  const aCol = transposeA ? ca : 1;
  const bRow = transposeB ? 1 : cb;
  const bCol = transposeB ? cb : 1;
  const row = new Float64Array(N);
  for (let t = 0; t < batch; t++) {
    const aOff = batchA === 1 ? 0 : t * ra * ca;
    const bOff = batchB === 1 ? 0 : t * rb * cb;
    for (let i = 0; i < M; i++) {
      row.fill(0);
      // i-k-j order: the inner loop walks a row of op(b) while a(i,k) stays fixed.
      for (let k = 0; k < K; k++) {
        const aik = A[aOff + i * aRow + k * aCol];
        const bBase = bOff + k * bRow;
        for (let j = 0; j < N; j++) row[j] += aik * B[bBase + j * bCol];
      }
      Y.set(row, (t * M + i) * N);
    }
  }
}
