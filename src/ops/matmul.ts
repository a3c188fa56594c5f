// Matrix product with NumPy semantics: 1-D operands are promoted to a row (a) or column (b)
// vector and that axis is dropped again; leading axes are batch axes and broadcast.
import { broadcastShapes, fmtShape, ShapeError, shapesEqual, sizeOf } from '../base/index.js';
import { record, runKernel, type Tensor } from '../tensor/index.js';
import { sumTo } from './reduce.js';
import { broadcastTo, reshape } from './shape.js';
import { promotePair, requireNotBool, type TensorLike } from './util.js';

/** a · b, optionally transposing the last two axes of either operand first. */
export function matmul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  const [x, y] = promotePair('matmul', a, b);
  requireNotBool('matmul', x, y);
  if (x.rank === 0 || y.rank === 0) throw new ShapeError(`matmul: operands must have rank >= 1, got ${fmtShape(x.shape)} x ${fmtShape(y.shape)}`);
  const x2 = x.rank === 1 ? reshape(x, transposeA ? [x.size, 1] : [1, x.size]) : x;
  const y2 = y.rank === 1 ? reshape(y, transposeB ? [1, y.size] : [y.size, 1]) : y;
  const out = matmulCore(x2, y2, transposeA, transposeB, x.shape, y.shape);
  if (x.rank > 1 && y.rank > 1) return out;
  // Drop the axes that the 1-D operands gained.
  const shape = [...out.shape];
  if (y.rank === 1) shape.splice(shape.length - 1, 1);
  if (x.rank === 1) shape.splice(shape.length - (y.rank === 1 ? 1 : 2), 1);
  return reshape(out, shape);
}

/** Both operands rank ≥ 2. */
function matmulCore(x: Tensor, y: Tensor, tA: boolean, tB: boolean, origA: readonly number[], origB: readonly number[]): Tensor {
  const [r1, c1] = x.shape.slice(-2);
  const [r2, c2] = y.shape.slice(-2);
  const [M, K] = tA ? [c1, r1] : [r1, c1];
  const [K2, N] = tB ? [c2, r2] : [r2, c2];
  if (K !== K2) {
    const t = (s: boolean) => (s ? ' (transposed)' : '');
    throw new ShapeError(`matmul: inner dimensions differ: ${fmtShape(origA)}${t(tA)} x ${fmtShape(origB)}${t(tB)}`);
  }
  const batchA = x.shape.slice(0, -2);
  const batchB = y.shape.slice(0, -2);
  const batch = broadcastShapes(`matmul (batch dimensions of ${fmtShape(origA)} x ${fmtShape(origB)})`, batchA, batchB);
  const B = sizeOf(batch);
  // The kernel shares an operand across the batch only whole; partial broadcasts are materialised.
  const fit = (t: Tensor, own: readonly number[]): Tensor => {
    if (sizeOf(own) === 1 || shapesEqual(own, batch)) return t;
    return broadcastTo(t, [...batch, ...t.shape.slice(-2)]);
  };
  const xa = fit(x, batchA);
  const yb = fit(y, batchB);
  const x3 = reshape(xa, [sizeOf(xa.shape.slice(0, -2)), r1, c1]);
  const y3 = reshape(yb, [sizeOf(yb.shape.slice(0, -2)), r2, c2]);
  const [out3] = runKernel('matmul', [x3, y3], { transposeA: tA, transposeB: tB }, [{ shape: [B, M, N], dtype: x.dtype }]);
  const out = reshape(out3, [...batch, M, N]);
  // dA and dB in stored (possibly transposed) layout, summed over broadcast batch axes.
  return record('matmul', [x, y], out, [
    (dy) => sumTo(tA ? matmulCore(y, dy, tB, true, y.shape, dy.shape) : matmulCore(dy, y, false, !tB, dy.shape, y.shape), x.shape),
    (dy) => sumTo(tB ? matmulCore(dy, x, true, tA, dy.shape, x.shape) : matmulCore(x, dy, !tA, false, x.shape, dy.shape), y.shape),
  ]);
}

/** Dot product of two vectors, or matmul for higher ranks. */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  return matmul(a, b);
}

/** Outer product of two vectors: [m] ⊗ [n] → [m, n]. */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promotePair('outer', a, b);
  return matmul(reshape(x, [-1, 1]), reshape(y, [1, -1]));
}
