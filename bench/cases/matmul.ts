// Matrix products C = op(A)·op(B) for square n×n operands in three layouts: NN (forward of a
// dense layer), TN (its weight gradient, xᵀ·dy) and NT (its input gradient, dy·Wᵀ). The
// transposed forms are where TF.js wasm falls far behind its plain product (measured by this benchmark).
import * as hb from '../../src/index.js';
import { normalArray } from '../data.js';
import { tf } from '../tfjs.js';
import type { BenchCase } from '../types.js';
import { checksumOnce } from './common.js';

export type MatmulForm = 'NN' | 'TN' | 'NT';
export const MATMUL_FORMS: readonly MatmulForm[] = ['NN', 'TN', 'NT'];

/** Largest size the reference cpu backend takes part in (it runs at well under 1 GFLOP/s). */
const CPU_MAX = 256;

export function matmulCases(sizes: readonly number[], forms: readonly MatmulForm[]): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const n of sizes) {
    for (const form of forms) {
      const transposeA = form[0] === 'T';
      const transposeB = form[1] === 'T';
      // Square operands: the stored shapes are n×n whichever side is transposed.
      const aValues = normalArray(n * n, 11);
      const bValues = normalArray(n * n, 12);
      cases.push({
        id: `matmul-${form.toLowerCase()}-${n}`,
        group: 'matmul',
        title: `matmul ${form} ${n}`,
        unit: 'GFLOP/s',
        work: 2 * n * n * n,
        small: n <= CPU_MAX,
        variants: [
          {
            library: 'hebb',
            build: () => {
              const a = hb.tensor(aValues, [n, n]);
              const b = hb.tensor(bValues, [n, n]);
              const read = checksumOnce();
              return {
                run: () => hb.tidy(() => read(hb.matmul(a, b, transposeA, transposeB).dataSync())),
                dispose: () => hb.dispose(a, b),
              };
            },
          },
          {
            library: 'tfjs',
            build: () => {
              const a = tf.tensor2d(aValues, [n, n]);
              const b = tf.tensor2d(bValues, [n, n]);
              const read = checksumOnce();
              return {
                run: () => tf.tidy(() => read(tf.matMul(a, b, transposeA, transposeB).dataSync())),
                dispose: () => tf.dispose([a, b]),
              };
            },
          },
        ],
      });
    }
  }
  return cases;
}
