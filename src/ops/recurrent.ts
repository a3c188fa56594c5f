// Fused recurrences: one kernel runs an LSTM or GRU over every time step (kernels.ts
// lstmSequence / gruSequence), and one adjoint kernel runs backpropagation through time. The
// recurrent layers (nn/layers/recurrent.ts) use them for the built-in cells with the default
// activations; the unrolled composition of small ops is the specification they are tested
// against (test/ops/recurrent-fused.test.ts checks both gradients by finite differences).
//
// Gradients: the adjoint kernel gives the gradient of every step's gate pre-activations (dz),
// which is also the gradient of the projected input xk; the recurrent kernel's gradient is then
// one matmul over all steps, Σ_t h_{t−1}ᵀ·dz_t = H_prevᵀ·dZ with H_prev = [h0, h_1 … h_{T−1}].
// The adjoint kernels have no gradient of their own: differentiating twice through a fused
// recurrence throws (the layers use the unrolled form inside nested gradients).
//
// Where the fused kernels pay: `fusedRecurrenceBackends` lists the backends with a real
// implementation (wasm; native, native/src/recurrent.cc) or where both forms run the same
// reference loops (cpu). Elsewhere (WebGPU) the kernels would run as cpu reference loops, slower
// than the backend's own per-step matmuls, so the layers keep the unrolled form there until the
// backend adds them.
import { getBackend } from '../backend/index.js';
import { fmtShape, ShapeError, ValueError } from '../base/index.js';
import { record, runKernel, type Tensor } from '../tensor/index.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { concat, reshape, slice } from './shape.js';
import { castTo, jointGrads, requireFloat, toTensor, type TensorLike } from './util.js';

/** Backends on which the recurrent layers use lstmSequence / gruSequence (see above). */
export const fusedRecurrenceBackends = new Set<string>(['cpu', 'wasm', 'native']);

/** Whether the current backend runs the fused recurrences well. */
export function fusedRecurrenceAvailable(): boolean {
  return fusedRecurrenceBackends.has(getBackend());
}

function check(op: string, cond: boolean, what: () => string): void {
  if (!cond) throw new ShapeError(`${op}: ${what()}`);
}

/** The mask as 0/1 in `dtype`, checked against [n, t]. */
function maskInput(op: string, mask: TensorLike | null | undefined, n: number, t: number, dtype: Tensor['dtype']): Tensor[] {
  if (mask === null || mask === undefined) return [];
  const m = toTensor(op, mask);
  check(op, m.rank === 2 && m.shape[0] === n && m.shape[1] === t, () => `mask must be [${n}, ${t}], got ${fmtShape(m.shape)}`);
  return [m.dtype === dtype ? m : castTo(m, dtype)];
}

function noSecondOrder(name: string, inputs: readonly Tensor[], outputs: readonly Tensor[]): void {
  const refuse = (): Tensor => {
    throw new ValueError(`${name}: the fused recurrence has no second-order gradient (the recurrent layers use the unrolled form inside nested gradients)`);
  };
  for (const o of outputs) record(name, inputs, o, inputs.map(() => refuse));
}

/** [h0, y[:, 0 : T−1, 0 : u]] → [N·T, u]: the state each step starts from. */
function previousStates(h0: Tensor, y: Tensor, u: number): Tensor {
  const [n, t] = y.shape;
  const first = reshape(h0, [n, 1, u]);
  const prev = t > 1 ? concat([first, slice(y, [0, 0, 0], [n, t - 1, u])], 1) : first;
  return reshape(prev, [n * t, u]);
}

/**
 * The sizes of a fused recurrence with `gates` gates, after checking that its inputs are float
 * tensors, the recurrent kernel r is [u, gates·u] and xk is [N, T, gates·u].
 */
function gateShapes(op: string, gates: number, inputs: Tensor[], xk: Tensor, r: Tensor): { u: number; n: number; t: number } {
  requireFloat(op, ...inputs);
  check(op, r.rank === 2 && r.shape[1] === gates * r.shape[0], () => `recurrent kernel must be [u, ${gates}u], got ${fmtShape(r.shape)}`);
  const u = r.shape[0];
  check(op, xk.rank === 3 && xk.shape[2] === gates * u, () => `xk must be [N, T, ${gates * u}], got ${fmtShape(xk.shape)}`);
  return { u, n: xk.shape[0], t: xk.shape[1] };
}

/**
 * LSTM over a sequence: xk [N, T, 4u] (x·K + b, Keras gate order i, f, c, o), h0 and c0 [N, u],
 * recurrent kernel r [u, 4u], optional mask [N, T] (a masked step keeps the states) →
 * [N, T, 2u]: h_t in [..., 0 : u] and c_t in [..., u : 2u] after every step t.
 */
export function lstmSequence(xkIn: TensorLike, h0In: TensorLike, c0In: TensorLike, rIn: TensorLike, mask?: TensorLike | null): Tensor {
  const op = 'lstmSequence';
  const [xk, h0, c0, r] = [xkIn, h0In, c0In, rIn].map((v) => toTensor(op, v));
  const { u, n, t } = gateShapes(op, 4, [xk, h0, c0, r], xk, r);
  for (const s of [h0, c0]) check(op, s.rank === 2 && s.shape[0] === n && s.shape[1] === u, () => `states must be [${n}, ${u}], got ${fmtShape(s.shape)}`);
  if (new Set([xk.dtype, h0.dtype, c0.dtype, r.dtype]).size !== 1) throw new ShapeError(`${op}: xk, h0, c0 and r must share a dtype, got ${xk.dtype}, ${h0.dtype}, ${c0.dtype}, ${r.dtype}`);
  const m = maskInput(op, mask, n, t, xk.dtype);
  const masked = m.length > 0;
  const dtype = xk.dtype;
  const [y, gates] = runKernel('lstmSequence', [xk, h0, c0, r, ...m], { masked }, [{ shape: [n, t, 2 * u], dtype }, { shape: [n, t, 4 * u], dtype }]);
  const grad = jointGrads((dy) => {
    const ins = [dy, y, gates, c0, r, ...m];
    const [dz, dh0, dc0] = runKernel('lstmSequenceGrad', ins, { masked }, [{ shape: [n, t, 4 * u], dtype }, { shape: [n, u], dtype }, { shape: [n, u], dtype }]);
    noSecondOrder('lstmSequenceGrad', ins, [dz, dh0, dc0]);
    const dr = matmul(previousStates(h0, y, u), reshape(dz, [n * t, 4 * u]), true, false);
    return [dz, dh0, dc0, dr];
  });
  return record(op, [xk, h0, c0, r], y, [0, 1, 2, 3].map(grad));
}

/**
 * GRU over a sequence, reset gate after the recurrent matmul (Keras resetAfter, PyTorch):
 * xk [N, T, 3u] (x·K + input bias, gate order z, r, h), h0 [N, u], r [u, 3u], recurrent bias
 * rb [3u], optional mask [N, T] → h_t [N, T, u] after every step t.
 */
export function gruSequence(xkIn: TensorLike, h0In: TensorLike, rIn: TensorLike, rbIn: TensorLike, mask?: TensorLike | null): Tensor {
  const op = 'gruSequence';
  const [xk, h0, r, rb] = [xkIn, h0In, rIn, rbIn].map((v) => toTensor(op, v));
  const { u, n, t } = gateShapes(op, 3, [xk, h0, r, rb], xk, r);
  check(op, rb.rank === 1 && rb.shape[0] === 3 * u, () => `recurrent bias must be [${3 * u}], got ${fmtShape(rb.shape)}`);
  check(op, h0.rank === 2 && h0.shape[0] === n && h0.shape[1] === u, () => `h0 must be [${n}, ${u}], got ${fmtShape(h0.shape)}`);
  if (new Set([xk.dtype, h0.dtype, r.dtype, rb.dtype]).size !== 1) throw new ShapeError(`${op}: xk, h0, r and rb must share a dtype, got ${xk.dtype}, ${h0.dtype}, ${r.dtype}, ${rb.dtype}`);
  const m = maskInput(op, mask, n, t, xk.dtype);
  const masked = m.length > 0;
  const dtype = xk.dtype;
  const [y, gates] = runKernel('gruSequence', [xk, h0, r, rb, ...m], { masked }, [{ shape: [n, t, u], dtype }, { shape: [n, t, 4 * u], dtype }]);
  const grad = jointGrads((dy) => {
    const ins = [dy, y, gates, h0, r, ...m];
    const [dxk, drec, dh0] = runKernel('gruSequenceGrad', ins, { masked }, [{ shape: [n, t, 3 * u], dtype }, { shape: [n, t, 3 * u], dtype }, { shape: [n, u], dtype }]);
    noSecondOrder('gruSequenceGrad', ins, [dxk, drec, dh0]);
    const flat = reshape(drec, [n * t, 3 * u]);
    return [dxk, dh0, matmul(previousStates(h0, y, u), flat, true, false), sum(flat, 0)];
  });
  return record(op, [xk, h0, r, rb], y, [0, 1, 2, 3].map(grad));
}
