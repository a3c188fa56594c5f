// The fused kernels' reference loops: the product, then the bias and the activation per
// element with the same scalar functions as the unfused kernels (add, maximum(0, ·) for relu,
// sigmoid, tanh), so a fused result equals the op-by-op one up to float32 rounding of the
// intermediate; and softmax by the composite ops' formula.
import type { ConvAttrs, EpilogueAttrs, FusedActivation } from '../kernels.js';
import { type Buf, rounder } from './buffer.js';
import { conv } from './conv.js';
import { BINARY, UNARY } from './elementwise.js';
import { matmul } from './matmul.js';

const ACTIVATION: Record<FusedActivation, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => BINARY.maximum(0, v),
  sigmoid: UNARY.sigmoid,
  tanh: UNARY.tanh,
};

/** y ← act(y + bias[j]) with j the index along y's last axis (of length `channels`). */
function epilogue(y: Buf, bias: Buf | undefined, channels: number, { activation }: EpilogueAttrs): void {
  const Y = y.data;
  const f = ACTIVATION[activation];
  const round = rounder(y);
  for (let i = 0; i < Y.length; i++) {
    // Rounded after the add, as the add kernel's output would be.
    const v = bias ? round(Y[i] + bias.data[i % channels]) : Y[i];
    Y[i] = f(v);
  }
}

export function fusedMatmul(inputs: Buf[], [y]: Buf[], attrs: EpilogueAttrs): void {
  matmul(inputs, [y], { transposeA: false, transposeB: false });
  epilogue(y, attrs.bias ? inputs[2] : undefined, y.shape[y.shape.length - 1], attrs);
}

export function fusedConv(inputs: Buf[], [y]: Buf[], attrs: ConvAttrs & EpilogueAttrs): void {
  conv(inputs, [y], attrs);
  epilogue(y, attrs.bias ? inputs[2] : undefined, y.shape[y.shape.length - 1], attrs);
}

export function softmax([x]: Buf[], [y]: Buf[], { outer, size, inner, log }: { outer: number; size: number; inner: number; log: boolean }): void {
  const X = x.data;
  const Y = y.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      // The maximum (NaN if any is), taken as 0 where it is not finite: all −∞ gives log 0 = −∞, not NaN.
      let m = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = X[base + k * inner];
        if (v > m || Number.isNaN(v)) m = v;
        if (Number.isNaN(v)) break;
      }
      if (!Number.isFinite(m)) m = 0;
      let s = 0;
      for (let k = 0; k < size; k++) s += Math.exp(X[base + k * inner] - m);
      const lse = Math.log(s) + m;
      for (let k = 0; k < size; k++) {
        const ls = X[base + k * inner] - lse;
        Y[base + k * inner] = log ? ls : Math.exp(ls);
      }
    }
  }
}
