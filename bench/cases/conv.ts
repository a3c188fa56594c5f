// One convolution layer's three passes: forward y = x ⋆ w, the input gradient dx (what
// back-propagation sends to the layer below) and the filter gradient dw.
//
// Neither library exposes dw as a public op (TF.js 4.22 does not export conv2DBackpropFilter;
// hebb's kernel is reached only through autograd), so the dw case times the vector–Jacobian
// product of w ↦ conv2d(x, w) on both sides: one forward plus one filter-gradient kernel. Its
// GFLOP/s count both. The dx case is the transposed convolution, which is exactly the
// input-gradient kernel in both libraries.
//
// TF.js computes dw with its cpu backend's Conv2DBackpropFilter: natively on 'cpu', and on
// 'wasm' through the fallback registered in tfjs.ts, since wasm has no such kernel. That kernel
// runs at ~0.015 GFLOP/s (a 3×3×64×64 layer at 56×56 takes ~30 s per image), so those rows may
// use a smaller batch (`slowDwBatch`, rate per FLOP stays comparable) or be skipped. A second
// TF.js wasm row computes dw as a convolution on wasm (conv2dFilterGradAsConv), which is what a
// TF.js user who needs speed writes by hand.
import * as hb from '../../src/index.js';
import { normalArray } from '../data.js';
import { conv2dFilterGradAsConv, loadTfjsGradients, tf } from '../tfjs.js';
import { type BenchCase, type Engine, SkipCase, type Variant } from '../types.js';
import { checksumOnce, convFlops } from './common.js';

export interface ConvLayer {
  /** Short name used in case ids: 'lenet1'. */
  name: string;
  batch: number;
  height: number;
  width: number;
  channels: number;
  filters: number;
  kernel: number;
  padding: 'same' | 'valid';
  /** Batch for rows that use TF.js's cpu filter-gradient kernel; null: leave them out. */
  slowDwBatch: number | null;
}

/** The LeNet-5 layers (28×28×1 → 6@5×5 same, 14×14×6 → 16@5×5 valid) and a VGG/ResNet-style 3×3 layer. */
export function convLayers(lenetBatch: number, big: { batch: number; slowDwBatch: number | null }): ConvLayer[] {
  return [
    { name: 'lenet1', batch: lenetBatch, height: 28, width: 28, channels: 1, filters: 6, kernel: 5, padding: 'same', slowDwBatch: lenetBatch },
    { name: 'lenet2', batch: lenetBatch, height: 14, width: 14, channels: 6, filters: 16, kernel: 5, padding: 'valid', slowDwBatch: lenetBatch },
    { name: '3x3-64', batch: big.batch, height: 56, width: 56, channels: 64, filters: 64, kernel: 3, padding: 'same', slowDwBatch: big.slowDwBatch },
  ];
}

type Pass = 'fwd' | 'dx' | 'dw';
const PASS_TITLES: Record<Pass, string> = { fwd: 'forward', dx: 'input grad', dw: 'fwd + filter grad' };

export function convCases(layers: readonly ConvLayer[]): BenchCase[] {
  return layers.flatMap((layer) => (['fwd', 'dx', 'dw'] as const).map((pass) => convCase(layer, pass)));
}

/** Shapes, data and FLOPs of a layer at batch `n`; data for smaller batches is a prefix (NHWC). */
function instance(layer: ConvLayer, n: number) {
  const { height: h, width: w, channels: c, filters: f, kernel: k, padding } = layer;
  const outH = padding === 'same' ? h : h - k + 1;
  const outW = padding === 'same' ? w : w - k + 1;
  const full = layer.batch;
  return {
    n,
    xShape: [n, h, w, c] as [number, number, number, number],
    wShape: [k, k, c, f] as [number, number, number, number],
    dyShape: [n, outH, outW, f] as [number, number, number, number],
    x: normalArray(full * h * w * c, 21).subarray(0, n * h * w * c),
    w: normalArray(k * k * c * f, 22, Math.sqrt(2 / (k * k * c))),
    dy: normalArray(full * outH * outW * f, 23).subarray(0, n * outH * outW * f),
    flops: convFlops(n, outH, outW, f, k, k, c),
  };
}

function convCase(layer: ConvLayer, pass: Pass): BenchCase {
  const { batch, height: h, width: w, channels: c, filters: f, kernel: k, padding } = layer;
  const full = instance(layer, batch);
  const passWork = (flops: number) => (pass === 'dw' ? 2 * flops : flops);
  const read = checksumOnce;

  const hebbVariant: Variant = {
    library: 'hebb',
    build: () => {
      const x = hb.tensor(full.x, full.xShape);
      const wt = hb.tensor(full.w, full.wShape);
      const dy = hb.tensor(full.dy, full.dyShape);
      const check = read();
      const compute = (): hb.Tensor => {
        switch (pass) {
          case 'fwd':
            return hb.conv2d(x, wt, { padding });
          case 'dx':
            // conv2dTranspose takes the forward filter [k, k, C, F] as [k, k, out, in].
            return hb.conv2dTranspose(dy, wt, { padding, outputShape: [h, w] });
          case 'dw':
            return hb.vjp((filter) => hb.conv2d(x, filter, { padding }), [wt], dy).grads[0];
          default:
            return pass satisfies never;
        }
      };
      return { run: () => hb.tidy(() => check(compute().dataSync())), dispose: () => hb.dispose(x, wt, dy) };
    },
  };

  const tfjsVariant: Variant = {
    library: 'tfjs',
    build: (engine: Engine) => {
      let inst = full;
      let note: string | undefined;
      if (pass === 'dw') {
        loadTfjsGradients();
        if (engine.backend === 'wasm') note = 'filter grad by TF.js cpu kernel (wasm has none)';
        if (layer.slowDwBatch === null) throw new SkipCase("TF.js's cpu filter-gradient kernel needs tens of seconds here; left out in quick mode");
        if (layer.slowDwBatch < batch) {
          inst = instance(layer, layer.slowDwBatch);
          note = [note, `batch ${inst.n}: TF.js's cpu filter-gradient kernel takes minutes at ${batch}`].filter(Boolean).join('; ');
        }
      }
      const x = tf.tensor4d(inst.x, inst.xShape);
      const wt = tf.tensor4d(inst.w, inst.wShape);
      const dy = tf.tensor4d(inst.dy, inst.dyShape);
      const check = read();
      const compute = (): tf.Tensor => {
        switch (pass) {
          case 'fwd':
            return tf.conv2d(x, wt, 1, padding);
          case 'dx':
            return tf.conv2dTranspose(dy, wt, inst.xShape, 1, padding);
          case 'dw':
            return tf.grad((filter: tf.Tensor) => tf.conv2d(x, filter as tf.Tensor4D, 1, padding))(wt, dy);
          default:
            return pass satisfies never;
        }
      };
      return {
        run: () => tf.tidy(() => check(compute().dataSync())),
        dispose: () => tf.dispose([x, wt, dy]),
        note,
        work: inst === full ? undefined : passWork(inst.flops),
      };
    },
  };

  // dw as a wasm convolution; the forward is computed too, so the work matches the other rows.
  const tfjsConvDwVariant: Variant = {
    library: 'tfjs',
    name: 'dw as conv',
    engines: (e) => e.backend === 'wasm',
    build: () => {
      const x = tf.tensor4d(full.x, full.xShape);
      const wt = tf.tensor4d(full.w, full.wShape);
      const dy = tf.tensor4d(full.dy, full.dyShape);
      const check = read();
      return {
        run: () =>
          tf.tidy(() => {
            tf.conv2d(x, wt, 1, padding); // eager: runs now, like the forward inside tf.grad
            return check(conv2dFilterGradAsConv(x, dy, full.wShape, padding).dataSync());
          }),
        dispose: () => tf.dispose([x, wt, dy]),
        note: 'filter grad as a conv2d on wasm (hand-written)',
      };
    },
  };

  return {
    id: `conv-${layer.name}-${pass}`,
    group: 'conv',
    title: `conv ${PASS_TITLES[pass]} ${batch}×${h}×${w}×${c} → ${f}@${k}×${k} ${padding}`,
    unit: 'GFLOP/s',
    work: passWork(full.flops),
    // The reference backend manages LeNet's small layers; the 3×3×64 layer takes it seconds.
    small: c * f <= 6 * 16,
    variants: pass === 'dw' ? [hebbVariant, tfjsVariant, tfjsConvDwVariant] : [hebbVariant, tfjsVariant],
  };
}
