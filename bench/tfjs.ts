// TensorFlow.js as the benchmark's yardstick: its cpu and wasm backends, set up the way a Node
// user would. In Node its wasm backend runs single-threaded (the threaded build needs a browser's
// cross-origin isolation).
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// eslint-disable-next-line import-x/order -- the backends register themselves with tfjs-core, so they load after it
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { require as tsxRequire } from 'tsx/cjs/api';

export { tf };

/** Kernels TF.js wasm lacks that our cases need; they run on its cpu backend instead. */
export const WASM_FALLBACK_KERNELS = ['Conv2DBackpropFilter'] as const;

let ready: Promise<string[]> | null = null;

/** Initialise TF.js once; resolves to the backends that initialised ('cpu', 'wasm'). */
export function initTfjs(): Promise<string[]> {
  ready ??= init();
  return ready;
}

async function init(): Promise<string[]> {
  // PROD silences the "install tfjs-node" banner and skips debug checks, as a deployment would.
  tf.env().set('PROD', true);
  const require = createRequire(import.meta.url);
  // setWasmPaths takes a prefix; in Node a directory path ending in a separator works.
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  const names: string[] = [];
  for (const name of ['cpu', 'wasm']) {
    if (await tf.setBackend(name)) names.push(name);
  }
  if (names.includes('wasm') && names.includes('cpu')) for (const k of WASM_FALLBACK_KERNELS) registerCpuFallback(k);
  return names;
}

let gradientsLoaded = false;

/**
 * Register TF.js's gradient functions, which tfjs-core leaves to its umbrella package
 * (@tensorflow/tfjs, not installed here): without them tf.grad fails with "gradient function
 * not found for Conv2D". Only tfjs-core's ES-module build has them, with extensionless imports
 * that Node cannot load, so tsx (a dev dependency) transpiles them on the way in. That loads a
 * second copy of tfjs-core's modules; TF.js keeps its engine and registries on globalThis for
 * exactly this case, so the gradients land in the engine our tensors use. Takes a few seconds,
 * hence only when a case differentiates.
 */
export function loadTfjsGradients(): void {
  if (gradientsLoaded) return;
  tsxRequire('@tensorflow/tfjs-core/dist/register_all_gradients.js', import.meta.url);
  gradientsLoaded = true;
}

/**
 * Give TF.js wasm a kernel it lacks by running the cpu backend's kernel on copies of the inputs.
 * TF.js has no Conv2DBackpropFilter for wasm ("not registered for backend 'wasm'"), so training
 * a CNN there needs exactly this; the copies in and out are part of the cost a user pays.
 */
function registerCpuFallback(kernelName: string): void {
  if (tf.getKernel(kernelName, 'wasm') !== undefined) return;
  const cpuKernel = tf.getKernel(kernelName, 'cpu');
  if (cpuKernel === undefined) return;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as KernelBackend;
      const cpu = tf.findBackend('cpu') as KernelBackend;
      const moved: NamedTensorInfoMap = {};
      const copies: TensorInfo[] = [];
      for (const [name, t] of Object.entries(inputs)) {
        if (t === undefined) continue;
        // wasm readSync returns a copy of the heap bytes, which the cpu backend may keep.
        const copy = { dataId: cpu.write(wasm.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
        moved[name] = copy;
        copies.push(copy);
      }
      const out = cpuKernel.kernelFunc({ inputs: moved, attrs, backend: cpu }) as TensorInfo;
      const result: TensorInfo = { dataId: wasm.write(cpu.readSync(out.dataId), out.shape, out.dtype), shape: out.shape, dtype: out.dtype };
      for (const t of [...copies, out]) cpu.disposeData(t.dataId);
      return result;
    },
  });
}

/**
 * The filter gradient of a stride-1 conv2d computed as another convolution, so it runs on
 * whichever backend is current (XNNPACK on wasm) instead of TF.js's cpu kernel:
 *   dw[a, b, c, f] = Σ_{n,i,j} xpad[n, i+a, j+b, c] · dy[n, i, j, f]
 * is conv2d of x laid out [C, H, W, N] with dy laid out [OH, OW, N, F] as the filter, giving
 * [C, kh, kw, F], transposed to [kh, kw, C, F]. This is what a TF.js user who needs wasm speed
 * writes by hand.
 */
export function conv2dFilterGradAsConv(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly number[], padding: 'same' | 'valid'): tf.Tensor4D {
  const [kh, kw] = filterShape;
  // TF's 'same' puts the odd pixel of padding after: before = ⌊total/2⌋ (stride 1).
  const pads = [kh, kw].map((k) => {
    const total = padding === 'same' ? k - 1 : 0;
    const before = Math.floor(total / 2);
    return [before, total - before] as [number, number];
  });
  const xt = tf.transpose(x, [3, 1, 2, 0]); // [C, H, W, N]
  const dyt = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, F]
  const dw = tf.conv2d(xt, dyt, 1, [[0, 0], pads[0], pads[1], [0, 0]]); // [C, kh, kw, F]
  return tf.transpose(dw, [1, 2, 0, 3]);
}

/**
 * conv2d (stride 1) whose filter gradient is conv2dFilterGradAsConv; the input gradient is
 * TF.js's own. tf.customGrad computes every input's gradient, so when `x` needs none (the
 * network's input) it is closed over rather than passed, as TF.js's own rule would skip it.
 * Tensors the gradient reads go through save(): TF.js may release anything else by then.
 */
export function conv2dWithFilterGradAsConv(x: tf.Tensor4D, w: tf.Tensor4D, padding: 'same' | 'valid', inputNeedsGrad: boolean): tf.Tensor4D {
  const xShape = x.shape;
  const wShape = w.shape;
  if (!inputNeedsGrad) {
    return tf.customGrad((wIn, save) => {
      (save as tf.GradSaveFunc)([x]);
      return {
        value: tf.conv2d(x, wIn as tf.Tensor4D, 1, padding),
        gradFunc: (dy: tf.Tensor4D, [xs]: tf.Tensor[]) => [conv2dFilterGradAsConv(xs as tf.Tensor4D, dy, wShape, padding)],
      };
    })(w) as tf.Tensor4D;
  }
  return tf.customGrad((xIn, wIn, save) => {
    (save as tf.GradSaveFunc)([xIn as tf.Tensor, wIn as tf.Tensor]);
    return {
      value: tf.conv2d(xIn as tf.Tensor4D, wIn as tf.Tensor4D, 1, padding),
      gradFunc: (dy: tf.Tensor4D, [xs, ws]: tf.Tensor[]) => [
        tf.conv2dTranspose(dy, ws as tf.Tensor4D, xShape, 1, padding),
        conv2dFilterGradAsConv(xs as tf.Tensor4D, dy, wShape, padding),
      ],
    };
  })(x, w) as tf.Tensor4D;
}
