// Shared helpers for op definitions: turning inputs into tensors, dtype checks and promotion,
// and un-broadcasting gradients.
import { type DType, DTypeError, fmtShape, isFloat, promoteTypes, shapesEqual } from '../base/index.js';
import { gradDepth, runKernel, Tensor, type TensorLike, tensor, record, type GradFn } from '../tensor/index.js';

export type { TensorLike };

/** Nothing among `inputs` is being differentiated (so a fused kernel without a gradient rule may run: src/ops/fused.ts). */
export function offTape(inputs: readonly Tensor[]): boolean {
  return gradDepth() === 0 || inputs.every((t) => t.node === null);
}

/** `x` as a tensor; plain values become float32 (or bool for booleans) unless `dtype` says otherwise. */
export function toTensor(op: string, x: TensorLike, dtype?: DType): Tensor {
  if (x instanceof Tensor) {
    x.assertAlive(op);
    return x;
  }
  return tensor(x, undefined, dtype);
}

/**
 * The dtype a plain JavaScript number takes next to a tensor of `other` (a "weak" scalar, as in
 * NumPy and PyTorch): it follows a float tensor; next to int32 it stays int32 when it is an integer.
 */
function weakDType(v: number | boolean, other: DType): DType {
  if (typeof v === 'boolean') return other;
  if (isFloat(other)) return other;
  return Number.isInteger(v) ? 'int32' : 'float32';
}

/** Both operands as tensors of one common dtype (weak scalars adopt the tensor's dtype). */
export function promotePair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  let x: Tensor;
  let y: Tensor;
  if (a instanceof Tensor && (typeof b === 'number' || typeof b === 'boolean')) {
    x = toTensor(op, a);
    y = tensor(b, [], weakDType(b, x.dtype));
  } else if (b instanceof Tensor && (typeof a === 'number' || typeof a === 'boolean')) {
    y = toTensor(op, b);
    x = tensor(a, [], weakDType(a, y.dtype));
  } else {
    x = toTensor(op, a);
    y = toTensor(op, b);
  }
  const dtype = promoteTypes(x.dtype, y.dtype);
  return [castTo(x, dtype), castTo(y, dtype)];
}

/** Convert `x` to `dtype` (no-op if it already is); differentiable between float dtypes. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const [y] = runKernel('cast', [x], {}, [{ shape: x.shape, dtype }]);
  const back: GradFn | null = isFloat(x.dtype) && isFloat(dtype) ? (dy) => castTo(dy, x.dtype) : null;
  return record('cast', [x], y, [back]);
}

export function requireFloat(op: string, ...ts: Tensor[]): void {
  for (const t of ts) {
    if (!isFloat(t.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 tensor, got ${t.dtype} ${fmtShape(t.shape)}`);
  }
}

export function requireNotBool(op: string, ...ts: Tensor[]): void {
  for (const t of ts) {
    if (t.dtype === 'bool') throw new DTypeError(`${op}: bool tensors are not supported (got bool ${fmtShape(t.shape)}); cast to a number type first`);
  }
}

/** Float inputs stay; int32 becomes float32 (as exp(int) does in PyTorch); bool is an error. */
export function toFloat(op: string, x: Tensor): Tensor {
  requireNotBool(op, x);
  return isFloat(x.dtype) ? x : castTo(x, 'float32');
}

export { shapesEqual };

/**
 * The 1-D, 2-D and 3-D ops of a rule written once for any rank: `make(op, rank)` builds the op
 * named `${prefix}${rank}d${suffix}` (maxPool1d … sumPool3d, conv1d … conv3dTranspose).
 */
export function rankOps<F>(prefix: string, make: (op: string, rank: number) => F, suffix = ''): [F, F, F] {
  return [1, 2, 3].map((rank) => make(`${prefix}${rank}d${suffix}`, rank)) as [F, F, F];
}

/** Gradients for several inputs from one adjoint computation, run once per cotangent. */
export function jointGrads(compute: (dy: Tensor) => Tensor[]): (i: number) => (dy: Tensor) => Tensor {
  let memo: { dy: Tensor; grads: Tensor[] } | null = null;
  return (i) => (dy) => {
    if (memo?.dy !== dy) memo = { dy, grads: compute(dy) };
    return memo.grads[i];
  };
}
