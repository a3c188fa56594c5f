// The kernel vocabulary: every computation hebb does is one of these. Ops (src/ops) decide
// shapes and dtypes, allocate the outputs and call a kernel; a backend only fills outputs.
// Keeping this list small is what lets a new backend (wasm, native, WebGPU) plug in: it
// implements these and nothing else, and may leave some out (dispatch then falls back to cpu).
//
// Spatial kernels work on 5-D channels-last data [N, D, H, W, C]; 1-D and 2-D convolution and
// pooling are the same loops with D (and H) equal to 1.

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'sqrt' | 'sigmoid' | 'tanh'
  | 'log1p' | 'expm1' | 'erf' | 'sin' | 'cos' | 'floor' | 'ceil' | 'round'
  | 'logicalNot' | 'isNaN';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'mod'
  | 'equal' | 'notEqual' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual'
  | 'logicalAnd' | 'logicalOr';

export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin' | 'any' | 'all';

export type PoolOp = 'max' | 'avg';

/** Geometry shared by the convolution kernels. Padding is [[front,back],[top,bottom],[left,right]]. */
export interface ConvAttrs {
  strides: [number, number, number];
  dilations: [number, number, number];
  pads: [[number, number], [number, number], [number, number]];
  groups: number;
}

/** The activations a fused kernel applies after its bias (the ones a dense or conv layer most often ends with). */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** What a fused kernel does after its product: add a bias (one value per output channel), then an activation. */
export interface EpilogueAttrs {
  bias: boolean;
  activation: FusedActivation;
}

export interface PoolAttrs {
  op: PoolOp;
  window: [number, number, number];
  strides: [number, number, number];
  pads: [[number, number], [number, number], [number, number]];
}

/**
 * Inputs → outputs of each kernel, and its attributes. Output shapes and dtypes are decided by
 * the caller and arrive with the output buffers.
 */
export interface KernelAttrs {
  /** x → y, same shape; y's dtype may differ (logicalNot, isNaN → bool). */
  unary: { op: UnaryOp };
  /** a, b → y, NumPy broadcasting of a and b to y's shape. */
  binary: { op: BinaryOp };
  /** cond (bool), a, b → y, all three broadcast to y's shape. */
  where: Record<string, never>;
  /** x → y, same shape, converted to y's dtype (also a plain copy). */
  cast: Record<string, never>;
  /** x → y, x broadcast to y's shape. */
  broadcastTo: Record<string, never>;
  /** x viewed as [outer, size, inner] → y [outer, inner] (argmax/argmin give int32 indices). */
  reduce: { op: ReduceOp; outer: number; size: number; inner: number };
  /**
   * x viewed as [outer, size, inner] → y, same shape and dtype: running sums along the middle
   * axis, y[o, k, i] = Σ x[o, j, i] over j ≤ k (j < k if exclusive; j ≥ k, j > k with reverse).
   */
  cumsum: { outer: number; size: number; inner: number; exclusive: boolean; reverse: boolean };
  /**
   * a [Ba, M, K] (or [Ba, K, M] if transposeA), b [Bb, K, N] (or [Bb, N, K]) → y [B, M, N];
   * Ba and Bb are each 1 (shared across the batch) or B.
   */
  matmul: { transposeA: boolean; transposeB: boolean };
  /** x → y with y.shape[i] = x.shape[perm[i]]. */
  transpose: { perm: number[] };
  /** x → y = x[begin[i] : begin[i] + y.shape[i]] on every axis. */
  slice: { begin: number[] };
  /** x → y with `paddings[i] = [before, after]` elements of `value` around axis i. */
  pad: { paddings: [number, number][]; value: number };
  /** x0, x1, … → y joined along `axis` (all other dimensions equal). */
  concat: { axis: number };
  /** x, indices (int32) → y = x taken at `indices` along `axis`; y.shape = x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
  gather: { axis: number };
  /** updates, indices (int32) → y (zero-filled, y.shape given) with updates added at `indices` along `axis`; the adjoint of gather. */
  scatterAdd: { axis: number };
  /** x [N,D,H,W,C], w [KD,KH,KW,C/groups,F] → y [N,OD,OH,OW,F]. */
  conv: ConvAttrs;
  /** dy [N,OD,OH,OW,F], w → dx [N,D,H,W,C] (shape given): the adjoint of conv in x. */
  convBackpropInput: ConvAttrs;
  /** x, dy → dw [KD,KH,KW,C/groups,F]: the adjoint of conv in w. */
  convBackpropFilter: ConvAttrs;
  /** x [N,D,H,W,C] → y [N,OD,OH,OW,C]; for 'max' a second output holds int32 flat indices into x of each maximum. */
  pool: PoolAttrs;
  /** dy [N,OD,OH,OW,C] → dx [N,D,H,W,C]: average pooling's adjoint (each output spreads dy / count over its window). */
  avgPoolBackprop: PoolAttrs;
  /**
   * dy [N,OD,OH,OW,C], argmax (int32, pool's flat indices into x) → dx [N,D,H,W,C]: max pooling's
   * adjoint, each dy added at its window's maximum (zero elsewhere; overlapping windows add up).
   */
  maxPoolBackprop: PoolAttrs;
  /**
   * The LSTM recurrence over a whole sequence (Keras gate order i, f, c, o; sigmoid gates, tanh):
   * xk [N, T, 4u] (x·K + b), h0 [N, u], c0 [N, u], r [u, 4u], and with `masked` a mask [N, T]
   * (0 or 1) → y [N, T, 2u] (the states h_t then c_t after step t; a masked step keeps the
   * previous ones) and gates [N, T, 4u] (the activated gates, zero at masked steps).
   */
  lstmSequence: { masked: boolean };
  /**
   * lstmSequence's adjoint: dy [N, T, 2u], y, gates, c0, r (and the mask) → dz [N, T, 4u] (the
   * gradient of the gate pre-activations, which is xk's), dh0 [N, u], dc0 [N, u].
   */
  lstmSequenceGrad: { masked: boolean };
  /**
   * The GRU recurrence (Keras gate order z, r, h, reset after the recurrent matmul, sigmoid
   * gates, tanh): xk [N, T, 3u] (x·K + input bias), h0 [N, u], r [u, 3u], rb [3u] (recurrent
   * bias) and with `masked` a mask [N, T] → y [N, T, u] (h_t) and gates [N, T, 4u] (z, r, h̃ and
   * h_{t−1}·R_h + rb_h per step, zero at masked steps).
   */
  gruSequence: { masked: boolean };
  /**
   * gruSequence's adjoint: dy [N, T, u], y, gates, h0, r (and the mask) → dxk [N, T, 3u], drec
   * [N, T, 3u] (the gradient of h_{t−1}·R + rb per step), dh0 [N, u].
   */
  gruSequenceGrad: { masked: boolean };
  /**
   * a [1, M, K], b [1, K, N] and with `bias` a bias [N] → y [1, M, N] = act(a·b + bias): a dense
   * layer's forward pass in one kernel. Ops use it only where nothing is differentiated and the
   * backend has it (src/ops/fused.ts); otherwise the same maths runs as matmul, add, activation.
   */
  fusedMatmul: EpilogueAttrs;
  /** x, w (as conv) and with `bias` a bias [F] → y = act(conv(x, w) + bias), as fusedMatmul for convolutions. */
  fusedConv: ConvAttrs & EpilogueAttrs;
  /**
   * x viewed as [outer, size, inner] → y, same shape: softmax along the middle axis (with `log`,
   * log-softmax), as m + log Σ exp(x − m) with m the maximum (0 where it is not finite), the
   * same formula as the composite ops in src/ops/activations.ts.
   */
  softmax: { outer: number; size: number; inner: number; log: boolean };
  /**
   * Batch normalisation in training mode over x viewed as [rows, channels] (channels last):
   * the mean μ and biased variance σ² of each channel over the rows, then
   * y = (x − μ)·γ/√(σ² + ε) + β. Inputs x, then γ [channels] with `scale`, then β [channels]
   * with `center` → y (x's shape), μ [channels], σ² [channels].
   */
  batchNormTraining: BatchNormAttrs & { center: boolean };
  /**
   * batchNormTraining's adjoint: x, dy, μ, σ² and with `scale` γ → dx (x's shape), dγ and dβ
   * [channels], with r = 1/√(σ² + ε) and sums over the rows: dβ = Σ dy, dγ = r·Σ dy·(x − μ),
   * dx = γ·r·(dy − dβ/rows − (x − μ)·r²·Σ dy·(x − μ)/rows) (γ taken as 1 without `scale`).
   */
  batchNormTrainingGrad: BatchNormAttrs;
  /** x, dy → dx = dy where x > 0 or x is NaN, else 0: the gradient of relu as maximum(0, x) (0 at the tie x = 0). */
  reluBackprop: Record<string, never>;
}

/** Attributes shared by the batch-normalisation kernels. */
export interface BatchNormAttrs {
  channels: number;
  epsilon: number;
  scale: boolean;
}

/** The names of the kernels a backend may run (the keys of {@link KernelAttrs}). */
export type KernelName = keyof KernelAttrs;
