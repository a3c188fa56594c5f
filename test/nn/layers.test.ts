// Focused layer tests beyond the harness: batch norm's moving statistics against their closed
// form, dropout's training/inference behaviour, frozen layers, regularisation penalties,
// hand-computed outputs, and the errors users see.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const close = (a: number[], b: number[], tol = 1e-5): void => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `index ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tol));
};
const flat = (t: hb.Tensor): number[] => Array.from(t.dataSync());

describe('BatchNormalization', () => {
  // x: [6, 2]; per-feature mean and biased variance by hand.
  const rows = [[1, 10], [2, 12], [3, 8], [4, 11], [6, 9], [8, 10]];
  const col = (j: number) => rows.map((r) => r[j]);
  const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const varOf = (v: number[]) => meanOf(v.map((x) => (x - meanOf(v)) ** 2));
  const mu = [meanOf(col(0)), meanOf(col(1))];
  const sigma2 = [varOf(col(0)), varOf(col(1))];

  it('moving statistics after N training calls equal the closed form', () => {
    const bn = hb.layers.batchNormalization({ momentum: 0.9 });
    const x = hb.tensor(rows);
    const N = 5;
    for (let i = 0; i < N; i++) bn.apply(x, { training: true });
    // m_N = m0·p^N + μ(1 − p^N) with m0 = 0; v_N = v0·p^N + σ²(1 − p^N) with v0 = 1.
    const p = 0.9 ** N;
    close(flat(bn.movingMean!.value), mu.map((m) => m * (1 - p)));
    close(flat(bn.movingVariance!.value), sigma2.map((v) => p + v * (1 - p)), 1e-4);
  });

  it('normalises with batch statistics in training and moving statistics in inference', () => {
    const bn = hb.layers.batchNormalization({ epsilon: 1e-3, gammaInitializer: hb.initializers.constant(2), betaInitializer: hb.initializers.constant(0.5) });
    const x = hb.tensor(rows);
    const yTrain = bn.apply(x, { training: true }).toArray() as number[][];
    yTrain.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(2 * (rows[i][j] - mu[j]) / Math.sqrt(sigma2[j] + 1e-3) + 0.5, 4)));
    const mm = flat(bn.movingMean!.value);
    const mv = flat(bn.movingVariance!.value);
    const yInfer = bn.apply(x).toArray() as number[][];
    yInfer.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(2 * (rows[i][j] - mm[j]) / Math.sqrt(mv[j] + 1e-3) + 0.5, 4)));
    // Inference leaves the moving statistics alone.
    close(flat(bn.movingMean!.value), mm, 0);
  });

  it('a frozen batch norm runs in inference mode and does not update', () => {
    const bn = hb.layers.batchNormalization();
    const x = hb.tensor(rows);
    bn.apply(x);
    bn.trainable = false;
    const y = bn.apply(x, { training: true });
    close(flat(bn.movingMean!.value), [0, 0], 0);
    close(flat(y), flat(bn.apply(x)), 0);
    expect(bn.trainableWeights).toHaveLength(0);
    expect(bn.nonTrainableWeights).toHaveLength(4);
  });

  it('updates outside gradient recording: gradients reach γ, β only, and the averages carry no tape', () => {
    const bn = hb.layers.batchNormalization();
    const x = hb.tensor(rows);
    bn.apply(x);
    const vars = bn.trainableWeights;
    const { grads } = hb.variableGrads(() => hb.sum(hb.square(bn.apply(x, { training: true }))), vars.map((v) => v.value));
    expect(grads).toHaveLength(2);
    expect(bn.movingMean!.value.node).toBeNull();
    expect(bn.movingVariance!.value.node).toBeNull();
  });

  it('gradients through the batch statistics pass a float64 check in training mode', () => {
    const bn = hb.layers.batchNormalization({ dtype: 'float64', gammaInitializer: hb.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 1 }) });
    const x = hb.randomNormal([5, 3], { seed: 4, dtype: 'float64' });
    bn.apply(x);
    const [gamma, beta] = bn.trainableWeights;
    const g0 = gamma.value.clone();
    const b0 = beta.value.clone();
    const f = (xi: hb.Tensor, g: hb.Tensor, b: hb.Tensor): hb.Tensor => {
      gamma.assign(hb.clone(g));
      beta.assign(hb.clone(b));
      return bn.apply(xi, { training: true });
    };
    const result = hb.checkGrad(f, [x, g0, b0]);
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
  });

  it('its written-out backward pass equals autograd of the recorded formula, to first and second order', () => {
    // The reference: the same normalisation written with ops, differentiated by the tape.
    const reference = (xi: hb.Tensor, g: hb.Tensor, b: hb.Tensor, axes: number[]): hb.Tensor => {
      const mu = hb.mean(xi, axes, true);
      const variance = hb.mean(hb.square(hb.sub(xi, mu)), axes, true);
      return hb.add(hb.mul(hb.mul(hb.sub(xi, mu), hb.rsqrt(hb.add(variance, 1e-3))), g), b);
    };
    const x = hb.randomNormal([4, 3, 2, 5], { seed: 9, dtype: 'float64' });
    const w = hb.randomNormal([4, 3, 2, 5], { seed: 10, dtype: 'float64' });
    const bn = hb.layers.batchNormalization({ dtype: 'float64', gammaInitializer: hb.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 2 }), betaInitializer: hb.initializers.randomUniform({ seed: 3 }) });
    bn.apply(x);
    const [gamma, beta] = bn.trainableWeights.map((v) => v.value);
    const loss = (y: hb.Tensor) => hb.sum(hb.mul(hb.square(y), w));
    const ours = (xi: hb.Tensor, g: hb.Tensor, b: hb.Tensor) => {
      bn.trainableWeights[0].assign(hb.clone(g));
      bn.trainableWeights[1].assign(hb.clone(b));
      return loss(bn.apply(xi, { training: true }) as hb.Tensor);
    };
    const ref = (xi: hb.Tensor, g: hb.Tensor, b: hb.Tensor) => loss(reference(xi, hb.reshape(g, [1, 1, 1, 5]), hb.reshape(b, [1, 1, 1, 5]), [0, 1, 2]));
    const g0 = gamma.clone();
    const b0 = beta.clone();
    const a = hb.grad(ours, [0, 1, 2])(x, g0, b0);
    const r = hb.grad(ref, [0, 1, 2])(x, g0, b0);
    a.forEach((t, i) => expect(hb.max(hb.abs(hb.sub(t, r[i]))).item()).toBeLessThan(1e-10));
    // A gradient penalty: the gradient of Σ (∂loss/∂x)² needs the backward pass differentiated again.
    const penalty = (f: typeof ours) => (xi: hb.Tensor, g: hb.Tensor, b: hb.Tensor) => hb.sum(hb.square(hb.grad((u: hb.Tensor) => f(u, g, b))(xi)));
    const a2 = hb.grad(penalty(ours), [0, 1, 2])(x, g0, b0);
    const r2 = hb.grad(penalty(ref), [0, 1, 2])(x, g0, b0);
    a2.forEach((t, i) => {
      expect(hb.max(hb.abs(r2[i])).item()).toBeGreaterThan(1e-3);
      expect(hb.max(hb.abs(hb.sub(t, r2[i]))).item()).toBeLessThan(1e-9);
    });
  });

  it('holds flat memory over many training steps', () => {
    const bn = hb.layers.batchNormalization();
    const x = hb.randomNormal([16, 8], { seed: 1 });
    const step = () => hb.tidy(() => {
      const vars = bn.trainableWeights;
      const { grads } = hb.variableGrads(() => hb.mean(hb.square(bn.apply(x, { training: true }))), vars.map((v) => v.value));
      vars.forEach((v, i) => v.assign(hb.sub(v.value, hb.mul(grads[i], 0.1))));
    });
    step();
    const before = hb.memory().buffers;
    for (let i = 0; i < 30; i++) step();
    expect(hb.memory().buffers).toBe(before);
  });
});

describe('Dropout and noise', () => {
  it('drops about `rate` of the units in training, scales survivors by 1/(1 − rate), keeps the expected value', () => {
    const layer = hb.layers.dropout({ rate: 0.3, seed: 5 });
    const x = hb.ones([20000]);
    const y = flat(layer.apply(x, { training: true }));
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.015);
    y.filter((v) => v !== 0).forEach((v) => expect(v).toBeCloseTo(1 / 0.7, 5));
    expect(Math.abs(y.reduce((a, b) => a + b, 0) / y.length - 1)).toBeLessThan(0.03);
  });

  it('is the identity in inference', () => {
    const layer = hb.layers.dropout({ rate: 0.5 });
    const x = hb.randomNormal([4, 5], { seed: 2 });
    expect(flat(layer.apply(x))).toEqual(flat(x));
    expect(flat(layer.apply(x, { training: false }))).toEqual(flat(x));
  });

  it('a seed makes the mask sequence reproducible, and each call draws a new mask', () => {
    const x = hb.ones([200]);
    const a = hb.layers.dropout({ rate: 0.5, seed: 11 });
    const b = hb.layers.dropout({ rate: 0.5, seed: 11 });
    const a1 = flat(a.apply(x, { training: true }));
    expect(flat(b.apply(x, { training: true }))).toEqual(a1);
    expect(flat(a.apply(x, { training: true }))).not.toEqual(a1);
  });

  it('spatialDropout2d drops whole channels', () => {
    const layer = hb.layers.spatialDropout2d({ rate: 0.5, seed: 3 });
    const y = layer.apply(hb.ones([4, 3, 3, 8]), { training: true }).toArray() as number[][][][];
    for (const sample of y) {
      for (let c = 0; c < 8; c++) {
        const values = sample.flatMap((row) => row.map((px) => px[c]));
        expect(new Set(values).size).toBe(1);
      }
    }
  });

  it('gaussianNoise adds N(0, σ²) in training only', () => {
    const layer = hb.layers.gaussianNoise({ stddev: 0.5, seed: 1 });
    const x = hb.zeros([20000]);
    expect(flat(layer.apply(x))).toEqual(flat(x));
    const y = layer.apply(x, { training: true });
    expect(Math.abs(hb.mean(y).item())).toBeLessThan(0.02);
    expect(Math.abs(hb.std(y).item() - 0.5)).toBeLessThan(0.02);
  });
});

describe('trainable and frozen weights', () => {
  it('a frozen layer exposes its weights as non-trainable', () => {
    const d = hb.layers.dense({ units: 3 });
    d.apply(hb.ones([1, 2]));
    expect(d.trainableWeights.map((v) => v.name)).toEqual([`${d.name}/kernel`, `${d.name}/bias`]);
    d.trainable = false;
    expect(d.trainableWeights).toHaveLength(0);
    expect(d.nonTrainableWeights.map((v) => v.name)).toEqual([`${d.name}/kernel`, `${d.name}/bias`]);
    expect(d.countParams()).toBe(9);
    d.trainable = true;
    expect(d.trainableWeights).toHaveLength(2);
    const frozen = hb.layers.conv2d({ filters: 2, kernelSize: 1, trainable: false });
    frozen.apply(hb.ones([1, 2, 2, 3]));
    expect(frozen.trainableWeights).toHaveLength(0);
    expect(hb.deserializeLayer({ className: 'Conv2D', config: frozen.getConfig() }).trainable).toBe(false);
  });

  it('batch norm keeps Keras weight order: gamma, beta, moving_mean, moving_variance', () => {
    const bn = hb.layers.batchNormalization();
    bn.apply(hb.ones([2, 3]));
    expect(bn.weights.map((v) => v.name.split('/')[1])).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(bn.trainableWeights.map((v) => v.name.split('/')[1])).toEqual(['gamma', 'beta']);
  });
});

describe('regularisation penalties', () => {
  it('layer.losses holds the weight penalties (λΣw², λΣ|w|) and the activity penalty of the last call', () => {
    const d = hb.layers.dense({
      units: 2,
      kernelInitializer: hb.initializers.constant(0.5),
      biasInitializer: hb.initializers.constant(-1),
      kernelRegularizer: hb.regularizers.l2(0.1),
      biasRegularizer: hb.regularizers.l1(0.2),
      activityRegularizer: hb.regularizers.l1(0.01),
    });
    const y = d.apply(hb.tensor([[1, 2, 3]]));
    // kernel [3, 2] of 0.5: 0.1 · 6 · 0.25 = 0.15; bias [2] of −1: 0.2 · 2 = 0.4; y = [2, 2]: 0.01 · 4 = 0.04.
    expect(flat(y)).toEqual([2, 2]);
    const losses = d.losses.map((t) => t.item());
    close(losses, [0.15, 0.4, 0.04], 1e-6);
  });

  it('penalties are differentiable inside variableGrads', () => {
    const d = hb.layers.dense({ units: 1, kernelInitializer: hb.initializers.constant(3), useBias: false, kernelRegularizer: hb.regularizers.l2(0.5) });
    d.apply(hb.ones([1, 1]));
    const kernel = d.trainableWeights[0];
    const { grads } = hb.variableGrads(() => d.losses[0], [kernel.value]);
    expect(grads[0].item()).toBeCloseTo(2 * 0.5 * 3, 6); // d/dw λw² = 2λw
  });

  it('regularizers and constraints survive the config round trip', () => {
    const d = hb.layers.conv2d({ filters: 1, kernelSize: 1, kernelRegularizer: hb.regularizers.l1l2({ l1: 0.1, l2: 0.2 }), kernelConstraint: hb.constraints.maxNorm({ maxValue: 3, axis: [0, 1, 2] }), biasConstraint: 'nonNeg' });
    const copy = hb.deserializeLayer(JSON.parse(JSON.stringify({ className: 'Conv2D', config: d.getConfig() })));
    copy.apply(hb.ones([1, 1, 1, 2]));
    const [kernel, bias] = copy.weights;
    expect(kernel.regularizer?.getConfig()).toEqual({ l1: 0.1, l2: 0.2 });
    expect(kernel.constraint?.getConfig()).toEqual({ maxValue: 3, axis: [0, 1, 2] });
    expect(bias.constraint?.className).toBe('NonNeg');
  });
});

describe('outputs by hand', () => {
  it('thresholdedReLU keeps x where x > θ and zeroes the rest (θ itself included)', () => {
    // θ = 0.5: −1 → 0, 0.5 → 0 (not above θ), 0.75 → 0.75, 2 → 2; default θ = 1: 1 → 0, 1.5 → 1.5.
    expect(flat(hb.layers.thresholdedReLU({ theta: 0.5 }).apply(hb.tensor([[-1, 0.5, 0.75, 2]])))).toEqual([0, 0, 0.75, 2]);
    expect(flat(hb.layers.thresholdedReLU().apply(hb.tensor([[1, 1.5]])))).toEqual([0, 1.5]);
  });
  it('dense computes f(x·W + b)', () => {
    const d = hb.layers.dense({ units: 2, activation: 'relu' });
    d.apply(hb.zeros([1, 3]));
    d.setWeights([hb.tensor([[1, -1], [2, 0], [0, 1]]), hb.tensor([0.5, -4])]);
    // x·W = [1 + 4, −1 + 3] = [5, 2]; + b = [5.5, −2]; relu → [5.5, 0].
    expect(flat(d.apply(hb.tensor([[1, 2, 3]])))).toEqual([5.5, 0]);
  });

  it('conv1d with causal padding: output t sees inputs ≤ t only', () => {
    const conv = hb.layers.conv1d({ filters: 1, kernelSize: 3, padding: 'causal', useBias: false, kernelInitializer: 'ones' });
    // Running sums of the last three inputs.
    expect(flat(conv.apply(hb.tensor([[[1], [2], [3], [4], [5]]])))).toEqual([1, 3, 6, 9, 12]);
  });

  it('upSampling2d bilinear matches tf.image.resize (half-pixel centres)', () => {
    const up = hb.layers.upSampling2d({ interpolation: 'bilinear' });
    const y = up.apply(hb.tensor([[[[1], [2]], [[3], [4]]]]));
    close(flat(y), [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
  });

  it('upSampling2d nearest repeats rows and columns', () => {
    const y = hb.layers.upSampling2d({ size: [1, 2] }).apply(hb.tensor([[[[1], [2]], [[3], [4]]]]));
    expect(flat(y)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('embedding looks rows up and rejects ids outside the vocabulary', () => {
    const e = hb.layers.embedding({ inputDim: 3, outputDim: 2 });
    e.apply(hb.tensor([0], [1], 'int32'));
    e.setWeights([hb.tensor([[0, 1], [2, 3], [4, 5]])]);
    expect(e.apply(hb.tensor([[2, 0]], [1, 2], 'int32')).toArray()).toEqual([[[4, 5], [0, 1]]]);
    expect(e.apply(hb.tensor([[1]])).toArray()).toEqual([[[2, 3]]]);
    expect(() => e.apply(hb.tensor([3], [1], 'int32'))).toThrow(/Embedding 'embedding.*id 3 is outside the vocabulary \[0, 3\)/);
  });

  it('parameter counts follow f·f·C_in·C_out + C_out', () => {
    const conv = hb.layers.conv2d({ filters: 6, kernelSize: 5 });
    conv.apply(hb.zeros([1, 32, 32, 1]));
    expect(conv.countParams()).toBe(5 * 5 * 1 * 6 + 6);
  });

  it('activations accept snake_case names and store camelCase', () => {
    const a = hb.layers.activation({ activation: 'leaky_relu' as hb.ActivationName });
    expect(a.getConfig().activation).toBe('leakyRelu');
    expect(() => hb.layers.activation({ activation: 'nope' as hb.ActivationName })).toThrow(hb.ValueError);
  });

  it('the functional API: merge layers on symbolic inputs', () => {
    const a = new hb.SymbolicTensor([null, 4], 'float32', 'a');
    const b = new hb.SymbolicTensor([null, 4], 'float32', 'b');
    const sum = hb.layers.add().apply([a, b]) as hb.SymbolicTensor;
    expect(sum.shape).toEqual([null, 4]);
    const cat = hb.layers.concatenate().apply([sum, a]) as hb.SymbolicTensor;
    expect(cat.shape).toEqual([null, 8]);
    const d = hb.layers.dense({ units: 3 }).apply(cat);
    expect(d.shape).toEqual([null, 3]);
  });
});

describe('errors name the layer and the shapes', () => {
  it('wrong input feature size', () => {
    const d = hb.layers.dense({ units: 2, name: 'head' });
    d.apply(hb.zeros([1, 3]));
    expect(() => d.apply(hb.zeros([1, 4]))).toThrow(/Dense 'head': expected axis -1 of the input to be 3, got shape \[1,4\]/);
  });

  it('wrong rank', () => {
    const c = hb.layers.conv2d({ filters: 1, kernelSize: 1, name: 'c1' });
    expect(() => c.apply(hb.zeros([1, 4, 4]))).toThrow(hb.ShapeError);
    expect(() => c.apply(hb.zeros([1, 4, 4]))).toThrow(/Conv2D 'c1'.*rank 4.*\[1,4,4\]/);
  });

  it('bad arguments', () => {
    expect(() => hb.layers.dense({ units: 0 })).toThrow(/Dense: option 'units' must be a positive integer, got 0/);
    expect(() => hb.layers.dropout({ rate: 1 })).toThrow(hb.ValueError);
    expect(() => hb.layers.conv2d({ filters: 3, kernelSize: 2, groups: 2 })).toThrow(/divisible by groups/);
    expect(() => hb.layers.conv2d({ filters: 2, kernelSize: 2, padding: 'causal' })).toThrow(/padding must be one of 'valid', 'same'/);
    expect(() => hb.layers.reshape({ targetShape: [-1, -1] })).toThrow(hb.ValueError);
    expect(() => hb.layers.permute({ dims: [1, 3] })).toThrow(hb.ValueError);
    expect(() => hb.layers.dense({ units: 2, kernelInitializer: 'nope' })).toThrow(/Dense '.*' kernelInitializer: unknown initializer 'nope'/);
  });

  it('reshape to an incompatible size', () => {
    const r = hb.layers.reshape({ targetShape: [5] });
    expect(() => r.apply(hb.zeros([2, 3, 2]))).toThrow(/Reshape '.*': cannot reshape input \[2,3,2\]/);
  });

  it('merge layers need matching shapes and enough inputs', () => {
    expect(() => hb.layers.add().apply([hb.zeros([2, 3]), hb.zeros([2, 4])])).toThrow(hb.ShapeError);
    expect(() => hb.layers.subtract().apply([hb.zeros([2, 3]), hb.zeros([2, 3]), hb.zeros([2, 3])])).toThrow(/exactly 2 inputs/);
    expect(() => hb.layers.add().apply(hb.zeros([2, 3]))).toThrow(/list of input tensors/);
  });

  it('malformed configs are FormatErrors', () => {
    expect(() => hb.deserializeLayer({ className: 'Dense', config: { units: 'ten' } })).toThrow(hb.FormatError);
    expect(() => hb.deserializeLayer({ className: 'Dense', config: { units: 2, kernelInitializer: { className: 'Nope', config: {} } } })).toThrow(hb.FormatError);
    expect(() => hb.deserializeLayer({ className: 'Conv2D', config: { filters: 2 } })).toThrow(hb.FormatError);
  });
});
