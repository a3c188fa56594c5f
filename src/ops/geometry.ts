// Window geometry: the one place that says how long the output of a sliding window is. The conv
// and pool ops use it on concrete sizes, the layers (nn/layers) on symbolic shapes where a size
// may be unknown (null), and the zoo's dry-run parameter count through the layers. An output
// shorter than one element is impossible and is a ShapeError naming the op or layer, raised when
// the shape is inferred (model build), not later when data first flows.
//
// For one spatial axis with input length n, window k, dilation d, stride s:
//   effective window   e = (k − 1)·d + 1
//   explicit pads      out = ⌊(n + before + after − e) / s⌋ + 1
//   'valid'            pads 0, 0
//   'same'             out = ⌈n / s⌉ (pads split total = max((out − 1)·s + e − n, 0), the smaller half first)
//   'causal' (1-D)     pads e − 1, 0, so out = ⌈n / s⌉ and output t sees inputs ≤ t only
// Transposed convolution inverts that map (see transposedLength).
import { fmtShape, ShapeError, ValueError } from '../base/index.js';

/** A window's padding: by name, or [before, after] per spatial axis. */
export type WindowPadding = 'valid' | 'same' | 'causal' | readonly (readonly [number, number])[];

/** The geometry of a sliding window over `dims` spatial axes; every list has one entry per axis. */
export interface WindowGeometry {
  window: readonly number[];
  strides: readonly number[];
  dilation?: readonly number[];
  padding: WindowPadding;
}

/** (k − 1)·d + 1: how many input positions a dilated window spans. */
export function effectiveWindow(k: number, d = 1): number {
  return (k - 1) * d + 1;
}

/** Output length for explicit pads: ⌊(n + before + after − e) / s⌋ + 1 (may be < 1: callers check). */
export function windowOutput(n: number, pads: readonly [number, number], window: number, stride: number): number {
  return Math.floor((n + pads[0] + pads[1] - window) / stride) + 1;
}

/** TensorFlow's 'same' pads for one axis: output ⌈n / s⌉, the smaller half of the padding first. */
export function samePads(n: number, window: number, stride: number): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + window - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** [before, after] pads of one axis for a named or explicit padding (the effective window `e`). */
function axisPads(padding: WindowPadding, axis: number, n: number, e: number, s: number): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') return samePads(n, e, s);
  if (padding === 'causal') return [e - 1, 0];
  const p = padding[axis];
  return [p[0], p[1]];
}

/**
 * Output spatial sizes of a sliding window over `spatial` (null = unknown, stays unknown).
 * `where` names the op or layer for the error; `shape` is the whole input shape, for the message.
 * Throws ShapeError when some axis would have no output position.
 */
export function windowOutputShape(where: string, spatial: readonly (number | null)[], g: WindowGeometry, shape: readonly (number | null)[] = spatial): (number | null)[] {
  const dims = spatial.length;
  if (g.window.length !== dims || g.strides.length !== dims || (g.dilation && g.dilation.length !== dims)) {
    throw new ValueError(`${where}: window ${JSON.stringify(g.window)}, strides ${JSON.stringify(g.strides)} do not match ${dims} spatial axes of ${fmtShape(shape)}`);
  }
  if (Array.isArray(g.padding) && g.padding.length !== dims) {
    throw new ValueError(`${where}: padding needs ${dims} [before, after] pairs, got ${JSON.stringify(g.padding)}`);
  }
  if (g.padding === 'causal' && dims !== 1) throw new ValueError(`${where}: 'causal' padding is for 1-D windows only`);
  return spatial.map((n, i) => {
    if (n === null) return null;
    const e = effectiveWindow(g.window[i], g.dilation?.[i] ?? 1);
    const out = windowOutput(n, axisPads(g.padding, i, n, e, g.strides[i]), e, g.strides[i]);
    if (out < 1) {
      const dilated = e !== g.window[i] ? ` (dilated to ${e})` : '';
      const pad = typeof g.padding === 'string' ? `'${g.padding}'` : JSON.stringify(g.padding);
      throw new ShapeError(
        `${where}: window ${g.window.join('x')}${dilated} with strides ${g.strides.join('x')} and padding ${pad} does not fit input ${fmtShape(shape)}: ` +
          `spatial axis ${i} (size ${n}) would give output size ${out}`,
      );
    }
    return out;
  });
}

/** The [before, after] pads of every axis, for concrete sizes (what the kernels take). */
export function windowPads(spatial: readonly number[], g: WindowGeometry): [number, number][] {
  return spatial.map((n, i) => axisPads(g.padding, i, n, effectiveWindow(g.window[i], g.dilation?.[i] ?? 1), g.strides[i]));
}

/**
 * Output length of a transposed convolution as layers define it (Keras's rule), null for unknown:
 * without outputPadding, 'valid' gives n·s + max(e − s, 0) and 'same' n·s; with it,
 * (n − 1)·s + e − 2·pad + outputPadding where pad = ⌊e / 2⌋ for 'same', 0 for 'valid'.
 * The convolution of the result with the same window gives back n.
 */
export function transposedLength(n: number | null, k: number, s: number, padding: 'valid' | 'same', d = 1, outputPadding: number | null = null): number | null {
  if (n === null) return null;
  const e = effectiveWindow(k, d);
  if (outputPadding === null) return padding === 'valid' ? n * s + Math.max(e - s, 0) : n * s;
  const pad = padding === 'same' ? Math.floor(e / 2) : 0;
  return (n - 1) * s + e - 2 * pad + outputPadding;
}

/**
 * Transposed-convolution output sizes for `spatial` (null stays null); a size below 1 (large
 * 'same' pads with a negative outputPadding cannot occur, but explicit sizes can) is a ShapeError.
 */
export function transposedOutputShape(
  where: string, spatial: readonly (number | null)[], g: { window: readonly number[]; strides: readonly number[]; dilation?: readonly number[]; padding: 'valid' | 'same'; outputPadding?: readonly number[] | null },
  shape: readonly (number | null)[] = spatial,
): (number | null)[] {
  return spatial.map((n, i) => {
    const out = transposedLength(n, g.window[i], g.strides[i], g.padding, g.dilation?.[i] ?? 1, g.outputPadding?.[i] ?? null);
    if (out !== null && out < 1) throw new ShapeError(`${where}: transposed window ${g.window.join('x')} gives output size ${out} on spatial axis ${i} of input ${fmtShape(shape)}`);
    return out;
  });
}

/**
 * The transposed-convolution op's own default size when no outputShape is given: the smallest
 * input the forward convolution maps to n, (n − 1)·s + e − before − after ('same': n·s).
 */
export function transposedDefaultLength(n: number, e: number, s: number, pads: readonly [number, number] | 'same'): number {
  return pads === 'same' ? n * s : (n - 1) * s + e - pads[0] - pads[1];
}
