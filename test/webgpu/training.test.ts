// Training on webgpu matches training on wasm: an MLP and LeNet-5, a few steps of fit() from the
// same seeded initial weights on the same data; per-step losses and the final weights agree to
// float32 rounding (different summation orders, compounded over the steps).
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { maxNormError } from '../util/reference.js';
import { onWebGpu, skipNote, webgpu } from './helpers.js';

interface Run {
  losses: number[];
  weights: Float32Array[];
}

/** Deterministic inputs in [-1, 1) and labels 0..classes-1. */
function data(n: number, shape: number[], classes: number): { x: hb.Tensor; y: hb.Tensor } {
  const size = n * shape.reduce((a, b) => a * b, 1);
  const x = hb.tensor(Float32Array.from({ length: size }, (_, i) => Math.sin(i * 12.9898) * 0.999), [n, ...shape]);
  const y = hb.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7 + 3) % classes), [n], 'int32');
  return { x, y };
}

async function train(backend: string, build: () => hb.Model, inputShape: number[], n: number, batchSize: number): Promise<Run> {
  const run = async (): Promise<Run> => {
    hb.setSeed(42);
    const model = build();
    model.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const { x, y } = data(n, inputShape, 10);
    const losses: number[] = [];
    await model.fit(x, y, { epochs: 2, batchSize, shuffle: true, seed: 3, verbose: 0, callbacks: [{ onBatchEnd: (_: number, logs?: hb.Logs) => void losses.push(logs!.loss) }] });
    const weights = await Promise.all(model.getWeights().map(async (w) => Float32Array.from(await w.data())));
    return { losses, weights };
  };
  if (backend === 'webgpu') {
    // Every kernel on the GPU (small ones too, which would otherwise run on the CPU copies).
    const saved = webgpu!.handoffSize;
    webgpu!.handoffSize = 0;
    try {
      return await onWebGpu(run);
    } finally {
      webgpu!.handoffSize = saved;
    }
  }
  const previous = hb.getBackend();
  hb.setBackend(backend);
  try {
    return await run();
  } finally {
    hb.setBackend(previous);
  }
}

function expectSame(got: Run, want: Run): void {
  expect(got.losses.length).toBe(want.losses.length);
  expect(got.losses.every(Number.isFinite)).toBe(true);
  expect(maxNormError(got.losses, want.losses), `losses ${got.losses} vs ${want.losses}`).toBeLessThanOrEqual(1e-3);
  expect(got.weights.length).toBe(want.weights.length);
  got.weights.forEach((w, i) => expect(maxNormError(w, want.weights[i]), `weight ${i}`).toBeLessThanOrEqual(1e-3));
  // Training did something: the loss moved.
  expect(want.losses[want.losses.length - 1]).not.toBe(want.losses[0]);
}

describe.skipIf(!webgpu)(`training on webgpu = training on wasm${skipNote}`, () => {
  it('MLP (64-32-10, relu): 2 epochs of 3 steps', async () => {
    const mlp = (): hb.Model =>
      hb.sequential([
        hb.layers.dense({ units: 32, activation: 'relu', inputShape: [64] }),
        hb.layers.dense({ units: 32, activation: 'relu' }),
        hb.layers.dense({ units: 10, activation: 'softmax' }),
      ]);
    const gpu = webgpu!;
    const before = gpu.counts.gpu;
    const got = await train('webgpu', mlp, [64], 48, 16);
    expect(gpu.counts.gpu - before, 'kernels run on the GPU').toBeGreaterThan(50);
    expectSame(got, await train('wasm', mlp, [64], 48, 16));
  });

  it('LeNet-5 on 28×28 inputs: 2 epochs of 2 steps', async () => {
    const lenet = (): hb.Model => hb.zoo.lenet5();
    const got = await train('webgpu', lenet, [28, 28, 1], 16, 8);
    expectSame(got, await train('wasm', lenet, [28, 28, 1], 16, 8));
  }, 300_000);
});
