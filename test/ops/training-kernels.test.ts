// The training kernels of batch normalisation (batchNormTraining, batchNormTrainingGrad) and of
// relu's gradient (reluBackprop) against the ops they replace: on the reference backend in
// float64 the results must agree to rounding, on native in float32 to float32's precision; the
// kernels run where they should (channels last, a backend that has them) and nowhere else.
// Expected values come from the op-by-op formulas (the backend refusing the kernels) and, for
// relu's second derivative, from calculus.
import { afterEach, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { batchNormTraining } from '../../src/ops/index.js';
import { kernelsOf, refusing } from './kernel-spies.js';

const KERNELS = new Set<string>(['batchNormTraining', 'batchNormTrainingGrad', 'reluBackprop']);

/** The kernels a function runs on the current backend. */
const kernelSet = (fn: () => unknown): Set<string> => new Set(kernelsOf(fn));

/** `fn` with the training kernels refused by the backend (so the ops compose the same maths). */
const opByOp = <T>(fn: () => T): T => refusing(KERNELS, fn);

const maxDiff = (a: hb.Tensor, b: hb.Tensor): number => hb.max(hb.abs(hb.sub(hb.cast(a, 'float64'), hb.cast(b, 'float64')))).item();

/** y, μ, σ² and the gradients of Σ y·w in x, γ, β. */
function bnResults(x: hb.Tensor, gamma: hb.Tensor | null, beta: hb.Tensor | null, axes: number[], w: hb.Tensor): hb.Tensor[] {
  const params = [gamma, beta].filter((p): p is hb.Tensor => p !== null);
  const { y, mean, variance } = batchNormTraining(x, gamma, beta, axes, 1e-3);
  const loss = (xi: hb.Tensor, ...ps: hb.Tensor[]): hb.Tensor => {
    const g = gamma ? ps[0] : null;
    const b = beta ? ps[gamma ? 1 : 0] : null;
    return hb.sum(hb.mul(batchNormTraining(xi, g, b, axes, 1e-3).y, w));
  };
  const grads = hb.grad(loss, [0, ...params.map((_, i) => i + 1)])(x, ...params);
  return [y, mean, variance, ...grads];
}

describe('batch-norm and relu training kernels = the ops they replace', () => {
  afterEach(() => hb.setBackend('cpu'));

  it('batch norm, channels last, float64 on cpu: y, μ, σ² and every gradient, with and without γ and β', () => {
    hb.setBackend('cpu');
    const x = hb.add(hb.randomNormal([3, 5, 4, 7], { seed: 1, dtype: 'float64' }), 10);
    const w = hb.randomNormal([3, 5, 4, 7], { seed: 2, dtype: 'float64' });
    const gamma = hb.randomUniform([7], { min: 0.5, max: 1.5, seed: 3, dtype: 'float64' });
    const beta = hb.randomNormal([7], { seed: 4, dtype: 'float64' });
    for (const [g, b] of [[gamma, beta], [null, null], [gamma, null], [null, beta]] as const) {
      const seen = kernelSet(() => bnResults(x, g, b, [0, 1, 2], w));
      expect(seen.has('batchNormTraining') && seen.has('batchNormTrainingGrad')).toBe(true);
      const fast = bnResults(x, g, b, [0, 1, 2], w);
      const ref = opByOp(() => bnResults(x, g, b, [0, 1, 2], w));
      expect(fast.length).toBe(ref.length);
      fast.forEach((t, i) => {
        expect(t.shape).toEqual(ref[i].shape);
        expect(maxDiff(t, ref[i]), `result ${i} with gamma ${g !== null} beta ${b !== null}`).toBeLessThan(1e-11);
      });
    }
  });

  it('batch norm over other axes runs the ops (no kernel) and still normalises each feature', () => {
    hb.setBackend('cpu');
    const x = hb.randomNormal([6, 3, 5], { seed: 5, dtype: 'float64' });
    const seen = kernelSet(() => hb.grad((t: hb.Tensor) => hb.sum(batchNormTraining(t, null, null, [0, 2], 1e-3).y))(x));
    expect(seen.has('batchNormTraining')).toBe(false);
    const { y, mean, variance } = batchNormTraining(x, null, null, [0, 2], 0);
    expect(mean.shape).toEqual([1, 3, 1]);
    expect(variance.shape).toEqual([1, 3, 1]);
    // Each feature of y has mean 0 and variance 1 (ε = 0), by the definition.
    expect(hb.max(hb.abs(hb.mean(y, [0, 2]))).item()).toBeLessThan(1e-12);
    expect(hb.max(hb.abs(hb.sub(hb.mean(hb.square(y), [0, 2]), 1))).item()).toBeLessThan(1e-12);
  });

  it('batch norm checks its arguments', () => {
    hb.setBackend('cpu');
    const x = hb.zeros([2, 3]);
    expect(() => batchNormTraining(x, hb.ones([4]), null, [0], 1e-3)).toThrow(/gamma \[4\].*one float32 value per feature \(3\)/);
    expect(() => batchNormTraining(x, null, null, [0, 0], 1e-3)).toThrow(/distinct axes/);
    expect(() => batchNormTraining(x, null, null, [2], 1e-3)).toThrow(/distinct axes/);
    expect(() => batchNormTraining(hb.zeros([2, 3], 'int32'), null, null, [0], 1e-3)).toThrow(hb.DTypeError);
    expect(() => batchNormTraining(x, null, null, [0], -1)).toThrow(/epsilon/);
  });

  it('relu: the gradient in one kernel equals maximum\'s (0 at the tie, NaN passes), and its second derivative is calculus\'s', () => {
    hb.setBackend('cpu');
    const x = hb.tensor([-2, -0, 0, 1e-30, 3, NaN, -Infinity, Infinity, 0.5], [9], 'float64');
    const dy = hb.tensor([1, 2, 3, 4, 5, 6, 7, 8, NaN], [9], 'float64');
    const vjp = (): hb.Tensor => hb.vjp((t: hb.Tensor) => hb.relu(t), [x], dy).grads[0];
    expect(kernelsOf(vjp)).toContain('reluBackprop');
    const fast = Array.from(vjp().dataSync());
    const ref = Array.from(opByOp(vjp).dataSync());
    expect(fast).toEqual(ref);
    expect(fast).toEqual([0, 0, 0, 4, 5, 6, 0, 8, NaN]);
    // d²/dx² Σ relu(x)² = 2·[x > 0]: the kernel's own gradient (in dy) is recorded.
    const z = hb.randomNormal([50], { seed: 6, dtype: 'float64' });
    const second = hb.grad((t: hb.Tensor) => hb.sum(hb.grad((u: hb.Tensor) => hb.sum(hb.square(hb.relu(u))))(t)))(z);
    const want = z.dataSync().map((v) => (v > 0 ? 2 : 0));
    expect(Array.from(second.dataSync())).toEqual(Array.from(want));
  });

  it('a conv–batch-norm–relu training step on each backend matches float64 cpu (kernels on cpu and native, ops on wasm)', async () => {
    const names = hb.backends().filter((b) => b.available && b.name !== 'webgpu').map((b) => b.name);
    const step = (dtype: 'float32' | 'float64'): { loss: number; grads: number[][] } => {
      hb.setSeed(7);
      const model = hb.sequential([
        // No bias: batch norm takes out each channel's mean, so a bias's gradient would be rounding noise.
        hb.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false, inputShape: [9, 11, 2], dtype }),
        hb.layers.batchNormalization({ dtype }),
        hb.layers.reLU({ dtype }),
        hb.layers.flatten({ dtype }),
        hb.layers.dense({ units: 3, dtype }),
      ]);
      const x = hb.cast(hb.randomNormal([4, 9, 11, 2], { seed: 8 }), dtype);
      const vars = model.trainableWeights.map((v) => v.value);
      const { value, grads } = hb.variableGrads(() => hb.mean(hb.square(model.apply(x, { training: true }) as hb.Tensor)), vars);
      return { loss: value.item(), grads: grads.map((g) => Array.from(g.dataSync())) };
    };
    hb.setBackend('cpu');
    // The reference: float64 on cpu with the training kernels refused, i.e. the op formulas.
    const want = opByOp(() => step('float64'));
    for (const name of names) {
      await hb.setBackend(name);
      const seen = kernelSet(() => step('float32'));
      expect([...KERNELS].every((k) => seen.has(k)), `${name} runs the training kernels`).toBe(name !== 'wasm');
      const got = step('float32');
      expect(Math.abs(got.loss - want.loss), name).toBeLessThan(1e-5 * (1 + Math.abs(want.loss)));
      got.grads.forEach((g, i) => {
        const scale = Math.max(...want.grads[i].map(Math.abs));
        g.forEach((v, j) => expect(Math.abs(v - want.grads[i][j]), `${name} weight ${i} element ${j}`).toBeLessThan(1e-4 * scale));
      });
    }
  });
});
