// Each optimizer's first three updates of w0 = [1, −2] (float64, so the comparison is tight)
// under the fixed gradient sequence g1 = [0.5, −1], g2 = [1.5, 0.25], g3 = [−0.5, 2], against
// numbers worked out by hand from the update formulas (written out above each case; the
// expected values are the formulas evaluated in plain float64 arithmetic, independently of hebb).
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { Variable } from '../../src/nn/index.js';
import * as optim from '../../src/optim/index.js';

const G = [[0.5, -1], [1.5, 0.25], [-0.5, 2]];

function threeSteps(opt: optim.Optimizer, w0 = [1, -2]): number[][] {
  const v = new Variable(hb.tensor(w0, [2], 'float64'), { name: 'w' });
  return G.map((g) => {
    opt.applyGradients([{ variable: v, grad: hb.tensor(g, [2], 'float64') }]);
    return Array.from(v.value.dataSync());
  });
}

function expectSteps(got: number[][], want: number[][], digits = 10): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, t) => row.forEach((x, i) => expect(x, `step ${t + 1}, element ${i}`).toBeCloseTo(want[t][i], digits)));
}

describe('optimizer updates (three steps, hand-computed)', () => {
  it('sgd: w ← w − lr·g (lr 0.1)', () => {
    // step 1: 1 − 0.1·0.5 = 0.95;      −2 − 0.1·(−1) = −1.9
    // step 2: 0.95 − 0.15 = 0.8;       −1.9 − 0.025 = −1.925
    // step 3: 0.8 + 0.05 = 0.85;       −1.925 − 0.2 = −2.125
    expectSteps(threeSteps(optim.sgd({ learningRate: 0.1 })), [[0.95, -1.9], [0.8, -1.925], [0.85, -2.125]]);
  });

  it('sgd with momentum: m ← 0.9m − 0.1g, w ← w + m', () => {
    // step 1: m = −0.05, 0.1            w = 0.95, −1.9
    // step 2: m = −0.045 − 0.15 = −0.195; 0.09 − 0.025 = 0.065     w = 0.755, −1.835
    // step 3: m = −0.1755 + 0.05 = −0.1255; 0.0585 − 0.2 = −0.1415  w = 0.6295, −1.9765
    const opt = optim.sgd({ learningRate: 0.1, momentum: 0.9 });
    expectSteps(threeSteps(opt), [[0.95, -1.9], [0.755, -1.835], [0.6295, -1.9765]]);
    expect(opt.iterations).toBe(3);
  });

  it('sgd with Nesterov momentum: m ← 0.9m − 0.1g, w ← w + 0.9m − 0.1g', () => {
    // step 1: m = −0.05, 0.1;   w = 1 − 0.045 − 0.05 = 0.905;     −2 + 0.09 + 0.1 = −1.81
    // step 2: m = −0.195, 0.065; w = 0.905 − 0.1755 − 0.15 = 0.5795;  −1.81 + 0.0585 − 0.025 = −1.7765
    // step 3: m = −0.1255, −0.1415; w = 0.5795 − 0.11295 + 0.05 = 0.51655;  −1.7765 − 0.12735 − 0.2 = −2.10385
    const opt = optim.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
    expectSteps(threeSteps(opt), [[0.905, -1.81], [0.5795, -1.7765], [0.51655, -2.10385]]);
  });

  it('adagrad (Keras 3 defaults: initialAccumulatorValue 0.1, epsilon 1e-7): a ← a + g², w ← w − lr·g/√(a + ε)', () => {
    // step 1: a = 0.1 + 0.25 = 0.35, 0.1 + 1 = 1.1
    //         w = 1 − 0.1·0.5/√0.35000001 = 0.915484586…;  −2 + 0.1/√1.1000001 = −1.904653745…
    // step 2: a = 0.35 + 2.25 = 2.6, 1.1 + 0.0625 = 1.1625
    // step 3: a = 2.85, 5.1625
    const opt = optim.adagrad({ learningRate: 0.1 });
    expect(opt.initialAccumulatorValue).toBe(0.1);
    const ref = [
      [1 - 0.05 / Math.sqrt(0.35 + 1e-7), -2 + 0.1 / Math.sqrt(1.1 + 1e-7)],
    ];
    ref.push([ref[0][0] - 0.15 / Math.sqrt(2.6 + 1e-7), ref[0][1] - 0.025 / Math.sqrt(1.1625 + 1e-7)]);
    ref.push([ref[1][0] + 0.05 / Math.sqrt(2.85 + 1e-7), ref[1][1] - 0.2 / Math.sqrt(5.1625 + 1e-7)]);
    expectSteps(threeSteps(opt), ref);
    expect(ref[0][0]).toBeCloseTo(0.9154845866, 9);
    expect(ref[2]).toEqual([expect.closeTo(0.8520759808, 9), expect.closeTo(-2.0158644580, 9)]);
  });

  it('rmsprop: v ← 0.9v + 0.1g², w ← w − lr·g/√(v + ε) (lr 0.01)', () => {
    // step 1: v = 0.025, 0.1;   w = 1 − 0.005/√0.0250001 = 0.96837728…;  −2 + 0.01/√0.1000001 = −1.96837723…
    // step 2: v = 0.0225 + 0.225 = 0.2475;  0.09 + 0.00625 = 0.09625
    // step 3: v = 0.22275 + 0.025 = 0.24775;  0.086625 + 0.4 = 0.486625
    const e = 1e-7;
    const w1 = [1 - 0.005 / Math.sqrt(0.025 + e), -2 + 0.01 / Math.sqrt(0.1 + e)];
    const w2 = [w1[0] - 0.015 / Math.sqrt(0.2475 + e), w1[1] - 0.0025 / Math.sqrt(0.09625 + e)];
    const w3 = [w2[0] + 0.005 / Math.sqrt(0.24775 + e), w2[1] - 0.02 / Math.sqrt(0.486625 + e)];
    expectSteps(threeSteps(optim.rmsprop({ learningRate: 0.01 })), [w1, w2, w3]);
    expect(w3[0]).toBeCloseTo(0.9482714623, 9);
  });

  it('rmsprop centered with momentum 0.5: d = v − ḡ² + ε, m ← 0.5m + lr·g/√d, w ← w − m', () => {
    // element 0, step 1: v = 0.025, ḡ = 0.05, d = 0.025 − 0.0025 + ε = 0.0225001,
    //   m = 0.01·0.5/√0.0225001 = 0.0333333…, w = 0.9666667…
    const opt = optim.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 });
    expectSteps(threeSteps(opt), [
      [0.9666667407404939, -1.9666666851851697],
      [0.9172264426663281, -1.958241159573999],
      [0.9028869819667893, -1.983307400977229],
    ]);
    expect(1 - 0.005 / Math.sqrt(0.0225 + 1e-7)).toBeCloseTo(0.9666667407404939, 12);
  });

  it('adadelta (rho 0.95, lr 1): Δ = −√(E[Δ²] + ε)/√(E[g²] + ε)·g, w ← w + lr·Δ', () => {
    // element 0, step 1: E[g²] = 0.05·0.25 = 0.0125; Δ = −√1e-7/√0.0125001·0.5 = −0.00141420…;
    //   w = 0.99858579…; E[Δ²] = 0.05·Δ²
    const e = 1e-7;
    const eg = 0.0125;
    const d = (-Math.sqrt(e) / Math.sqrt(eg + e)) * 0.5;
    expect(1 + d).toBeCloseTo(0.9985857920944472, 12);
    expectSteps(threeSteps(optim.adadelta({ learningRate: 1 })), [
      [0.9985857920944472, -1.9985857878518383],
      [0.9966836687885041, -1.9990826911076183],
      [0.9975317600295432, -2.000911082859768],
    ]);
  });

  it('adam: m, v moments, α = lr·√(1 − β2^t)/(1 − β1^t), w ← w − α·m/(√v + ε)', () => {
    // element 0, step 1: m = 0.05, v = 0.00025, α = 0.1·√0.001/0.1 = √0.001 = 0.0316227…
    //   w = 1 − 0.0316227·0.05/(0.0158113… + 1e-7) = 1 − 0.09999937 = 0.90000063
    const a1 = Math.sqrt(1 - 0.999);
    expect(1 - (a1 * 0.05) / (Math.sqrt(0.00025) + 1e-7)).toBeCloseTo(0.900000632451532, 12);
    const opt = optim.adam({ learningRate: 0.1 });
    expect([opt.beta1, opt.beta2, opt.epsilon]).toEqual([0.9, 0.999, 1e-7]);
    expectSteps(threeSteps(opt), [
      [0.900000632451532, -1.900000316226766],
      [0.8082227041185372, -1.8530536431996203],
      [0.7598536115894557, -1.8932360463670417],
    ]);
  });

  it('adamax: u ← max(β2·u, |g|), w ← w − lr·m/((1 − β1^t)(u + ε))', () => {
    // element 0, step 1: m = 0.05, u = 0.5, w = 1 − 0.1·0.05/(0.1·0.5000001) = 0.90000002
    // step 2: m = 0.045 + 0.15 = 0.195, u = max(0.4995, 1.5) = 1.5, w = 0.90000002 − 0.1·0.195/(0.19·1.5000001)
    const w1 = 1 - 0.005 / (0.1 * (0.5 + 1e-7));
    const w2 = w1 - 0.0195 / (0.19 * (1.5 + 1e-7));
    expectSteps(threeSteps(optim.adamax({ learningRate: 0.1 })).slice(0, 2).map((r) => [r[0]]), [[w1], [w2]]);
    expectSteps(threeSteps(optim.adamax({ learningRate: 0.1 })), [
      [0.9000000199999959, -1.900000009999999],
      [0.8315789719298201, -1.8657552423410273],
      [0.8006747610461298, -1.8918622521057875],
    ]);
  });

  it('adamw: decoupled decay w ← w − lr·λ·w, then the Adam step (lr 0.1, λ 0.1)', () => {
    // element 0, step 1: w = 1 − 0.1·0.1·1 = 0.99, then − 0.09999937 (as Adam) = 0.89000063
    const opt = optim.adamw({ learningRate: 0.1, weightDecay: 0.1 });
    expectSteps(threeSteps(opt), [
      [0.8900006324515319, -1.880000316226766],
      [0.7893226977940219, -1.8142536400373526],
      [0.7330603782870001, -1.8362935068044004],
    ]);
    expect(optim.adamw().weightDecay).toBe(0.004);
    expect(optim.adam().weightDecay).toBeNull();
  });

  it('weightDecay on sgd is decoupled: w ← w − lr·λ·w − lr·g', () => {
    // step 1: 1 − 0.1·0.5·1 − 0.05 = 0.9;  −2 + 0.1 + 0.1 = −1.8
    const got = threeSteps(optim.sgd({ learningRate: 0.1, weightDecay: 0.5 }));
    expect(got[0][0]).toBeCloseTo(0.9, 12);
    expect(got[0][1]).toBeCloseTo(-1.8, 12);
    // step 2: 0.9 − 0.045 − 0.15 = 0.705
    expect(got[1][0]).toBeCloseTo(0.705, 12);
  });

  it('excludeFromWeightDecay skips variables by name', () => {
    const opt = optim.sgd({ learningRate: 0.1, weightDecay: 0.5, excludeFromWeightDecay: ['bias'] });
    const k = new Variable(hb.tensor([1], [1], 'float64'), { name: 'd/kernel' });
    const b = new Variable(hb.tensor([1], [1], 'float64'), { name: 'd/bias' });
    opt.applyGradients([{ variable: k, grad: hb.tensor([0], [1], 'float64') }, { variable: b, grad: hb.tensor([0], [1], 'float64') }]);
    expect(k.value.dataSync()[0]).toBeCloseTo(0.95, 12); // 1 − 0.1·0.5·1
    expect(b.value.dataSync()[0]).toBe(1);
    expect(optim.get(JSON.parse(JSON.stringify(opt.serialize()))).getConfig()).toEqual(opt.getConfig());
  });

  it('float32 variables are updated in float32', () => {
    const v = new Variable(hb.tensor([1, -2]), { name: 'w32' });
    optim.adam({ learningRate: 0.1 }).applyGradients([{ variable: v, grad: hb.tensor([0.5, -1]) }]);
    expect(v.dtype).toBe('float32');
    expect(v.value.dataSync()[0]).toBeCloseTo(0.9000006, 6);
  });
});

describe('gradient clipping', () => {
  const step = (opt: optim.Optimizer, w: number[][], g: number[][]): number[][] => {
    const vs = w.map((x, i) => new Variable(hb.tensor(x, [x.length], 'float64'), { name: `v${i}` }));
    opt.applyGradients(vs.map((variable, i) => ({ variable, grad: hb.tensor(g[i], [g[i].length], 'float64') })));
    return vs.map((v) => Array.from(v.value.dataSync()));
  };

  it('clipNorm rescales each gradient to norm ≤ c separately', () => {
    // ‖[3, 4]‖ = 5 → [0.6, 0.8];  ‖[0.3, 0.4]‖ = 0.5 ≤ 1 → unchanged
    const [a, b] = step(optim.sgd({ learningRate: 1, clipNorm: 1 }), [[0, 0], [0, 0]], [[3, 4], [0.3, 0.4]]);
    expect(a[0]).toBeCloseTo(-0.6, 12);
    expect(a[1]).toBeCloseTo(-0.8, 12);
    expect(b[0]).toBeCloseTo(-0.3, 12);
    expect(b[1]).toBeCloseTo(-0.4, 12);
  });

  it('clipValue clips each element to [−c, c]', () => {
    const [a] = step(optim.sgd({ learningRate: 1, clipValue: 0.5 }), [[0, 0, 0]], [[3, -0.2, -7]]);
    expect(a).toEqual([-0.5, expect.closeTo(0.2, 12), 0.5]);
  });

  it('globalClipNorm scales all gradients by one factor c / max(‖all‖, c)', () => {
    // ‖([3, 4], [12, 0])‖ = √(9 + 16 + 144) = 13 → factor 5/13
    const [a, b] = step(optim.sgd({ learningRate: 1, globalClipNorm: 5 }), [[0, 0], [0, 0]], [[3, 4], [12, 0]]);
    expect(a[0]).toBeCloseTo(-15 / 13, 12);
    expect(a[1]).toBeCloseTo(-20 / 13, 12);
    expect(b[0]).toBeCloseTo(-60 / 13, 12);
    // below the threshold: unchanged
    const [c] = step(optim.sgd({ learningRate: 1, globalClipNorm: 100 }), [[0, 0]], [[3, 4]]);
    expect(c).toEqual([-3, -4]);
  });

  it('only one clipping option may be set', () => {
    expect(() => optim.sgd({ clipNorm: 1, clipValue: 1 })).toThrow(hb.ValueError);
    expect(() => optim.adam({ clipNorm: -1 })).toThrow(/clipNorm/);
  });
});

describe('optimizer mechanics', () => {
  it('applies the variable constraint after the update', () => {
    const constraint = { className: 'Clip', getConfig: () => ({}), apply: (w: hb.Tensor) => hb.clip(w, -1, 1) };
    const v = new Variable(hb.tensor([0.5, -0.5], [2], 'float64'), { name: 'c', constraint });
    optim.sgd({ learningRate: 1 }).applyGradients([{ variable: v, grad: hb.tensor([-2, 0.25], [2], 'float64') }]);
    // 0.5 + 2 = 2.5 → clipped to 1;  −0.5 − 0.25 = −0.75 stays
    expect(Array.from(v.value.dataSync())).toEqual([1, -0.75]);
  });

  it('skips null gradients and rejects mismatched shapes', () => {
    const v = new Variable(hb.tensor([1, 2]), { name: 'a' });
    const u = new Variable(hb.tensor([1, 2]), { name: 'b' });
    const opt = optim.sgd({ learningRate: 1 });
    opt.applyGradients([{ variable: v, grad: hb.tensor([1, 1]) }, { variable: u, grad: null }]);
    expect(Array.from(v.value.dataSync())).toEqual([0, 1]);
    expect(Array.from(u.value.dataSync())).toEqual([1, 2]);
    expect(() => opt.applyGradients([{ variable: v, grad: hb.tensor([1, 1, 1]) }])).toThrow(hb.ShapeError);
  });

  it('follows a schedule evaluated at iterations (0 for the first update)', () => {
    // piecewise: step ≤ 0 → 1, 0 < step ≤ 1 → 0.5, step > 1 → 0.25;  g = 1: w = 1 → 0 → −0.5 → −0.75
    const opt = optim.sgd({ learningRate: optim.schedules.piecewiseConstantDecay({ boundaries: [0, 1], values: [1, 0.5, 0.25] }) });
    const v = new Variable(hb.tensor([1], [1], 'float64'), { name: 's' });
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      opt.applyGradients([{ variable: v, grad: hb.tensor([1], [1], 'float64') }]);
      seen.push(v.value.dataSync()[0]);
    }
    expect(seen).toEqual([0, -0.5, -0.75]);
    expect(() => {
      opt.learningRate = 0.1;
    }).toThrow(hb.ValueError);
  });

  it('learningRate can be set when constant', () => {
    const opt = optim.sgd({ learningRate: 0.1 });
    opt.learningRate = 0.05;
    expect(opt.learningRate).toBe(0.05);
    expect(opt.getConfig().learningRate).toBe(0.05);
  });

  it('leaks no tensors across many updates', () => {
    const v = new Variable(hb.randomNormal([4, 3]), { name: 'leak' });
    const opt = optim.adam({ learningRate: 0.01, clipNorm: 1, weightDecay: 0.01 });
    const g = hb.ones([4, 3]);
    opt.applyGradients([{ variable: v, grad: g }]);
    const before = hb.memory().buffers;
    for (let i = 0; i < 200; i++) opt.applyGradients([{ variable: v, grad: g }]);
    expect(hb.memory().buffers).toBe(before);
  });

  it('runs under noGrad: an update made while gradients are recorded leaves no tape', () => {
    const v = new Variable(hb.tensor([1, 2]), { name: 'ng' });
    const opt = optim.sgd({ learningRate: 0.1 });
    const x = hb.tensor([3, 4]);
    hb.variableGrads(() => {
      // v's value is a differentiated leaf here; its update must not be recorded on the tape
      opt.applyGradients([{ variable: v, grad: hb.mul(x, 1) }]);
      expect(v.value.node).toBeNull();
      return hb.sum(hb.square(x));
    }, [x, v.value]);
    expect(Array.from(v.value.dataSync())).toEqual([expect.closeTo(0.7, 6), expect.closeTo(1.6, 6)]);
  });
});

describe('config and state', () => {
  it('getConfig / get(config) round trip for every optimizer, schedules included', () => {
    const schedule = optim.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1, warmupTarget: 0.5, warmupSteps: 10 });
    const made = [
      optim.sgd({ learningRate: 0.3, momentum: 0.8, nesterov: true, clipNorm: 2 }),
      optim.adagrad({ initialAccumulatorValue: 0.2 }),
      optim.rmsprop({ rho: 0.8, centered: true, momentum: 0.1 }),
      optim.adadelta({ rho: 0.9, globalClipNorm: 3 }),
      optim.adam({ learningRate: schedule, amsgrad: true, clipValue: 1 }),
      optim.adamax({ beta1: 0.8 }),
      optim.adamw({ weightDecay: 0.01 }),
    ];
    for (const o of made) {
      const json = JSON.parse(JSON.stringify(o.serialize()));
      const back = optim.get(json);
      expect(back.className).toBe(o.className);
      expect(back.getConfig()).toEqual(o.getConfig());
    }
  });

  it('get() accepts names (case-insensitive) and instances, and rejects unknown names', () => {
    expect(optim.get('adam')).toBeInstanceOf(optim.Adam);
    expect(optim.get('SGD')).toBeInstanceOf(optim.SGD);
    expect(optim.get('rmsprop').learningRate).toBe(0.001);
    expect(optim.get('sgd').learningRate).toBe(0.01);
    const o = optim.adamw();
    expect(optim.get(o)).toBe(o);
    expect(() => optim.get('adamz')).toThrow(/unknown optimizer 'adamz'/);
  });

  it('getState / setState round trip resumes exactly', () => {
    const mk = () => new Variable(hb.tensor([1, -2], [2], 'float64'), { name: 'w' });
    const straight = mk();
    const a = optim.adam({ learningRate: 0.1, amsgrad: true });
    for (const g of G) a.applyGradients([{ variable: straight, grad: hb.tensor(g, [2], 'float64') }]);

    const first = mk();
    const b = optim.adam({ learningRate: 0.1, amsgrad: true });
    for (const g of G.slice(0, 2)) b.applyGradients([{ variable: first, grad: hb.tensor(g, [2], 'float64') }]);
    const state = b.getState([first]);
    expect(Object.keys(state).sort()).toEqual(['iterations', 'w/m', 'w/v', 'w/vHat']);
    expect(state.iterations.item()).toBe(2);

    const resumed = new Variable(first.value.clone(), { name: 'w' });
    const c = optim.adam({ learningRate: 0.1, amsgrad: true });
    c.setState(state, [resumed]);
    expect(c.iterations).toBe(2);
    c.applyGradients([{ variable: resumed, grad: hb.tensor(G[2], [2], 'float64') }]);
    expect(Array.from(resumed.value.dataSync())).toEqual(Array.from(straight.value.dataSync()));
  });

  it('setState validates before changing anything', () => {
    const v = new Variable(hb.tensor([1, 2]), { name: 'p' });
    const opt = optim.adam();
    const good = opt.getState([v]);
    expect(() => opt.setState({ ...good, 'p/m': hb.zeros([3]) }, [v])).toThrow(hb.FormatError);
    expect(() => opt.setState({ ...good, 'q/m': hb.zeros([2]) }, [v])).toThrow(/unexpected entries 'q\/m'/);
    const { 'p/v': _, ...missing } = good;
    expect(() => opt.setState(missing, [v])).toThrow(/missing slot 'p\/v'/);
    expect(() => opt.setState({ ...good, iterations: hb.scalar(-1, 'int32') }, [v])).toThrow(/iterations/);
    expect(opt.iterations).toBe(0);
  });
});
