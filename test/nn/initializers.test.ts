// Initializers: statistics on large shapes against the formulas (Glorot: Var = 2/(fanIn + fanOut),
// He: 2/fanIn, LeCun: 1/fanIn; uniform bounds √(3·Var)), Keras's fan computation for conv
// kernels, orthogonality, identity, seeds and serialisation.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { computeFans } from '../../src/nn/initializers.js';

const I = hb.initializers;

function stats(t: hb.Tensor): { mean: number; variance: number; min: number; max: number } {
  const v = t.dataSync();
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let q = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    q += (x - mean) ** 2;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { mean, variance: q / v.length, min, max };
}

const within = (value: number, target: number, relTol: number): void => {
  expect(Math.abs(value - target) / target, `${value} vs ${target}`).toBeLessThan(relTol);
};

describe('fans', () => {
  it('dense [in, out] and conv [...k, in, out] kernels, as Keras', () => {
    expect(computeFans([784, 500])).toEqual([784, 500]);
    expect(computeFans([3, 3, 16, 32])).toEqual([3 * 3 * 16, 3 * 3 * 32]);
    expect(computeFans([5, 8, 4])).toEqual([40, 20]);
    expect(computeFans([7])).toEqual([7, 7]);
    expect(computeFans([])).toEqual([1, 1]);
  });
});

describe('variance scaling family', () => {
  const shape = [400, 300];
  const [fanIn, fanOut] = [400, 300];
  const rows: [string, hb.Initializer, number, 'uniform' | 'normal'][] = [
    ['glorotUniform', I.glorotUniform({ seed: 1 }), 2 / (fanIn + fanOut), 'uniform'],
    ['glorotNormal', I.glorotNormal({ seed: 2 }), 2 / (fanIn + fanOut), 'normal'],
    ['heUniform', I.heUniform({ seed: 3 }), 2 / fanIn, 'uniform'],
    ['heNormal', I.heNormal({ seed: 4 }), 2 / fanIn, 'normal'],
    ['lecunUniform', I.lecunUniform({ seed: 5 }), 1 / fanIn, 'uniform'],
    ['lecunNormal', I.lecunNormal({ seed: 6 }), 1 / fanIn, 'normal'],
    ['varianceScaling fanOut untruncated', I.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'untruncatedNormal', seed: 7 }), 3 / fanOut, 'normal'],
  ];
  it.each(rows)('%s has the variance of its formula (within 3%%)', (_, init, variance, kind) => {
    const s = stats(init.apply(shape, 'float32'));
    expect(Math.abs(s.mean)).toBeLessThan(0.05 * Math.sqrt(variance));
    within(s.variance, variance, 0.03);
    if (kind === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      expect(s.max).toBeLessThanOrEqual(limit);
      expect(s.min).toBeGreaterThanOrEqual(-limit);
      expect(s.max).toBeGreaterThan(0.99 * limit);
    }
  });

  it('truncated normals stay within two (pre-correction) standard deviations', () => {
    const s = stats(I.heNormal({ seed: 9 }).apply(shape, 'float64'));
    const bound = (2 * Math.sqrt(2 / fanIn)) / 0.87962566103423978;
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
  });

  it('a conv kernel uses receptive field × channels', () => {
    const s = stats(I.heNormal({ seed: 10 }).apply([3, 3, 64, 64], 'float32'));
    within(s.variance, 2 / (3 * 3 * 64), 0.03);
  });
});

describe('simple initializers', () => {
  it('zeros, ones, constant', () => {
    expect(I.zeros().apply([2, 2], 'float32').toArray()).toEqual([[0, 0], [0, 0]]);
    expect(I.ones().apply([3], 'int32').toArray()).toEqual([1, 1, 1]);
    expect(I.constant(2.5).apply([2], 'float64').toArray()).toEqual([2.5, 2.5]);
  });

  it('randomUniform, randomNormal, truncatedNormal', () => {
    const u = stats(I.randomUniform({ minval: 2, maxval: 4, seed: 1 }).apply([20000], 'float32'));
    expect(u.min).toBeGreaterThanOrEqual(2);
    expect(u.max).toBeLessThan(4);
    within(u.mean, 3, 0.01);
    const n = stats(I.randomNormal({ mean: 1, stddev: 0.5, seed: 2 }).apply([20000], 'float32'));
    within(n.mean, 1, 0.02);
    within(n.variance, 0.25, 0.03);
    const t = stats(I.truncatedNormal({ stddev: 0.5, seed: 3 }).apply([20000], 'float32'));
    expect(t.max).toBeLessThanOrEqual(1);
    expect(t.min).toBeGreaterThanOrEqual(-1);
  });

  it('random initializers refuse integer weights', () => {
    expect(() => I.glorotUniform().apply([2, 2], 'int32')).toThrow(hb.DTypeError);
  });
});

describe('orthogonal and identity', () => {
  const gram = (w: hb.Tensor, transposeFirst: boolean): number[][] =>
    (transposeFirst ? hb.matmul(w, w, true, false) : hb.matmul(w, w, false, true)).toArray() as number[][];
  const expectEye = (m: number[][], gain2 = 1): void => m.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? gain2 : 0, 10)));

  it('tall: WᵀW = I', () => expectEye(gram(I.orthogonal({ seed: 1 }).apply([50, 30], 'float64'), true)));
  it('wide: WWᵀ = I', () => expectEye(gram(I.orthogonal({ seed: 2 }).apply([30, 50], 'float64'), false)));
  it('square with gain 2: WᵀW = 4I', () => expectEye(gram(I.orthogonal({ gain: 2, seed: 3 }).apply([20, 20], 'float64'), true), 4));
  it('conv kernel: orthonormal columns of the [∏k·in, out] matrix', () => {
    const w = I.orthogonal({ seed: 4 }).apply([3, 3, 4, 8], 'float64');
    expectEye(gram(hb.reshape(w, [36, 8]), true));
  });

  it('identity', () => {
    expect(I.identity().apply([2, 3], 'float32').toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(I.identity({ gain: 3 }).apply([2, 2], 'float32').toArray()).toEqual([[3, 0], [0, 3]]);
    expect(() => I.identity().apply([2, 2, 2], 'float32')).toThrow(/Identity: needs a 2-D weight/);
  });
});

describe('seeds', () => {
  it('a seed gives the same values on every call; the global generator follows hb.setSeed', () => {
    const a = I.glorotUniform({ seed: 42 });
    expect(Array.from(a.apply([5, 5], 'float32').dataSync())).toEqual(Array.from(I.glorotUniform({ seed: 42 }).apply([5, 5], 'float32').dataSync()));
    expect(Array.from(a.apply([5, 5], 'float32').dataSync())).not.toEqual(Array.from(I.glorotUniform({ seed: 43 }).apply([5, 5], 'float32').dataSync()));
    hb.setSeed(7);
    const first = Array.from(I.heNormal().apply([10], 'float32').dataSync());
    const second = Array.from(I.heNormal().apply([10], 'float32').dataSync());
    expect(second).not.toEqual(first);
    hb.setSeed(7);
    expect(Array.from(I.heNormal().apply([10], 'float32').dataSync())).toEqual(first);
  });

  it('layers built after hb.setSeed get the same weights', () => {
    const build = (): number[] => {
      hb.setSeed(123);
      const d = hb.layers.dense({ units: 4 });
      d.apply(hb.zeros([1, 3]));
      return Array.from(d.getWeights()[0].dataSync());
    };
    expect(build()).toEqual(build());
  });
});

describe('serialisation and lookup', () => {
  const all: hb.Initializer[] = [
    I.zeros(), I.ones(), I.constant(3), I.randomNormal({ mean: 1, stddev: 2, seed: 3 }), I.randomUniform({ minval: -1, maxval: 2 }),
    I.truncatedNormal({ stddev: 0.1 }), I.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 1 }),
    I.glorotUniform({ seed: 5 }), I.glorotNormal(), I.heUniform(), I.heNormal(), I.lecunUniform(), I.lecunNormal(), I.orthogonal({ gain: 1.5 }), I.identity({ gain: 2 }),
  ];
  it.each(all.map((i) => [i.className, i] as const))('%s round-trips through { className, config }', (_, init) => {
    const saved = JSON.parse(JSON.stringify(hb.initializers.serializeInitializer(init))) as hb.Serialized;
    const copy = hb.getInitializer(saved);
    expect(copy.className).toBe(init.className);
    expect(copy.getConfig()).toEqual(init.getConfig());
  });

  it('names in camelCase, snake_case, PascalCase and Keras aliases', () => {
    expect(hb.getInitializer('glorotUniform').className).toBe('GlorotUniform');
    expect(hb.getInitializer('glorot_uniform').className).toBe('GlorotUniform');
    expect(hb.getInitializer('HeNormal').className).toBe('HeNormal');
    expect(hb.getInitializer('he_normal').className).toBe('HeNormal');
    expect(hb.getInitializer('uniform').className).toBe('RandomUniform');
    const inst = I.ones();
    expect(hb.getInitializer(inst)).toBe(inst);
  });

  it('unknown names are ValueErrors, malformed configs FormatErrors', () => {
    expect(() => hb.getInitializer('nope')).toThrow(hb.ValueError);
    expect(() => hb.getInitializer({ className: 'Nope', config: {} })).toThrow(hb.FormatError);
    expect(() => hb.getInitializer({ className: 'RandomNormal', config: { stddev: -1 } })).toThrow(hb.FormatError);
    expect(() => hb.getInitializer({ className: 'VarianceScaling', config: { mode: 'sideways' } })).toThrow(/mode must be/);
  });
});
