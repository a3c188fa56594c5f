// Fused forward passes: act(x·W + b) and act(conv(x, W) + b) in one kernel each. Op by op, a
// dense or convolution layer's output is three kernels (product, add, activation), each one a
// dispatch and a pass over memory; a backend that has the fused kernel (native: oneDNN's
// post-ops) does all three in the product's pass. The fused kernel runs only where nothing is
// being differentiated (inference, or no input on the tape) and the backend has it; everywhere
// else the same maths runs op by op, so gradients are always those of the composite ops.
import type { EpilogueAttrs, FusedActivation, KernelAttrs } from '../backend/index.js';
import { isFloat } from '../base/index.js';
import { backendRuns, runKernel, type Tensor } from '../tensor/index.js';
import { relu } from './activations.js';
import { add, sigmoid, tanh } from './elementwise.js';
import { matmul } from './matmul.js';
import { reshape } from './shape.js';
import { offTape } from './util.js';

/** The activations the fused kernels apply. */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

export function isFusedActivation(name: string): name is FusedActivation {
  return (FUSED_ACTIVATIONS as readonly string[]).includes(name);
}

/** act(y + bias) op by op: what a fused kernel computes in one pass. */
export function biasActivation(y: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  const z = bias ? add(y, bias) : y;
  switch (activation) {
    case 'linear':
      return z;
    case 'relu':
      return relu(z);
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return tanh(z);
  }
}

/**
 * The fused kernel's inputs and attributes if it may run here: float inputs of one dtype,
 * nothing differentiated, and a backend that has the kernel for them; else null.
 */
export function fusable<K extends 'fusedMatmul' | 'fusedConv'>(kernel: K, inputs: readonly Tensor[], bias: Tensor | null, attrs: Omit<KernelAttrs[K], keyof EpilogueAttrs>, activation: FusedActivation): { inputs: Tensor[]; attrs: KernelAttrs[K] } | null {
  const all = bias ? [...inputs, bias] : [...inputs];
  const dtype = inputs[0].dtype;
  if (!isFloat(dtype) || !all.every((t) => t.dtype === dtype) || !offTape(all)) return null;
  const full = { ...attrs, bias: bias !== null, activation } as KernelAttrs[K];
  return backendRuns(kernel, [...all.map((t) => t.dtype), dtype], full) ? { inputs: all, attrs: full } : null;
}

/** act(x·w + bias) for x [M, K], w [K, N] and bias [N] (or none); other shapes take matmul's general path. */
export function fusedMatmul(x: Tensor, w: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  if (x.rank === 2 && w.rank === 2 && x.shape[1] === w.shape[0] && (!bias || (bias.rank === 1 && bias.shape[0] === w.shape[1]))) {
    const [M, K] = x.shape;
    const N = w.shape[1];
    const f = fusable('fusedMatmul', [reshape(x, [1, M, K]), reshape(w, [1, K, N])], bias, {}, activation);
    if (f) return reshape(runKernel('fusedMatmul', f.inputs, f.attrs, [{ shape: [1, M, N], dtype: x.dtype }])[0], [M, N]);
  }
  return biasActivation(matmul(x, w), bias, activation);
}
