// Second-order gradients. Two kinds of evidence:
//  1. checkGrad of x ↦ Σᵢ ⟨∇ᵢf(x), rᵢ⟩: the gradient of the gradient against central
//     differences of the first gradient, for elementwise ops, activations, matmul, convolutions
//     and pooling (the op-spec lines, wrapped as f = ⟨c, sin(op(x))⟩ so both op'' and op'² count);
//  2. closed forms: d²/dx² x³ = 6x, sin'' = −sin, σ'' = σ(1−σ)(1−2σ), the Hessian of
//     Σ(Ax)² = 2AᵀA, of logSumExp = diag(p) − ppᵀ, of ½⟨c, L(x)²⟩ = Lᵀ diag(c) L for the linear
//     maps L = conv, transposed conv, depthwise conv and pooling built from test/util/reference.ts.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { availableBackends, withBackend } from '../util/backends.js';
import { type Arr, arr, convRef, convTransposeRef, maxRelDiff, poolRef, Prng, samePads } from '../util/reference.js';
import { makeInputs, OP_SPECS, type OpSpec } from './op-spec.js';

type Tensor = hb.Tensor;

const backends = availableBackends();

function randomTensor(shape: readonly number[], seed: number, lo = -1, hi = 1): Tensor {
  const rng = new Prng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  return hb.tensor(Float64Array.from({ length: n }, () => rng.range(lo, hi)), shape, 'float64');
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** checkGrad of xs ↦ Σᵢ ⟨∂f/∂xᵢ, rᵢ⟩ (all mixed second derivatives, against finite differences of the gradient). */
function checkSecondOrder(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): hb.CheckGradResult {
  const rs = inputs.map((x, i) => randomTensor(x.shape, 1000 + i));
  const directional = (...xs: Tensor[]): Tensor => {
    const gs = hb.grad(f, range(xs.length))(...xs);
    return gs.map((g, i) => hb.sum(hb.mul(g, rs[i]))).reduce((a, b) => hb.add(a, b));
  };
  return hb.checkGrad(directional, inputs);
}

/** f = ⟨c, sin(op(x))⟩ for a table line: a scalar whose Hessian involves op'' and op'². */
function wrapped(spec: OpSpec, inputs: Tensor[]): (...xs: Tensor[]) => Tensor {
  const y = spec.fn(...inputs);
  const c = randomTensor(y.shape, 77, 0.5, 1.5);
  return (...xs) => hb.sum(hb.mul(hb.sin(hb.cast(spec.fn(...xs), 'float64')), c));
}

/** The Hessian of scalar f at x (n × n, row-major), one grad-of-grad per row. */
function hessian(f: (x: Tensor) => Tensor, x: Tensor): number[][] {
  return range(x.size).map((i) => {
    const e = hb.tensor(Float64Array.from({ length: x.size }, (_, k) => (k === i ? 1 : 0)), x.shape, 'float64');
    return Array.from(hb.grad((t: Tensor) => hb.sum(hb.mul(hb.grad(f)(t), e)))(x).dataSync());
  });
}

/** Elementwise second derivative of an elementwise op: ∂/∂x Σ ∂/∂x Σ op(x). */
function secondDerivative(op: (x: Tensor) => Tensor, x: Tensor): number[] {
  const first = (t: Tensor): Tensor => hb.grad((u: Tensor) => hb.sum(op(u)))(t);
  return Array.from(hb.grad((t: Tensor) => hb.sum(first(t)))(x).dataSync());
}

/** The matrix of a linear map on arrays of `inShape` (columns = images of basis vectors), as rows over outputs. */
function linearMatrix(inShape: number[], apply: (x: Arr) => Arr): number[][] {
  const n = inShape.reduce((p, d) => p * d, 1);
  const columns = range(n).map((j) => apply(arr(inShape, Array.from({ length: n }, (_, k) => (k === j ? 1 : 0)))).data);
  return range(columns[0].length).map((o) => columns.map((col) => col[o]));
}

/** Lᵀ diag(c) L. */
function gaussNewton(L: number[][], c: ArrayLike<number>): number[][] {
  const n = L[0].length;
  return range(n).map((i) => range(n).map((k) => L.reduce((acc, row, o) => acc + row[i] * c[o] * row[k], 0)));
}

const flat = (m: number[][]): number[] => m.flat();

/** Second-order checkGrad runs on these ops' op-spec lines. */
const SECOND_ORDER_OPS = new Set([
  'add', 'sub', 'mul', 'div', 'pow', 'mod', 'maximum', 'minimum', 'neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'square',
  'reciprocal', 'log1p', 'expm1', 'erf', 'sin', 'cos', 'sigmoid', 'tanh', 'clip', 'where',
  'relu', 'relu6', 'softmax', 'logSoftmax', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus', 'swish', 'softsign', 'hardSigmoid',
  'logSumExp', 'variance', 'std',
  'matmul', 'dot', 'outer',
  'conv1d', 'conv2d', 'conv3d', 'depthwiseConv2d', 'separableConv2d', 'conv1dTranspose', 'conv2dTranspose', 'conv3dTranspose',
  'maxPool1d', 'maxPool2d', 'maxPool3d', 'avgPool1d', 'avgPool2d', 'avgPool3d', 'l2Pool1d', 'l2Pool2d', 'l2Pool3d',
]);
const SECOND_ORDER_SPECS = OP_SPECS.filter((s) => SECOND_ORDER_OPS.has(s.op));

for (const backend of backends) {
  describe(`second order on ${backend}: grad of grad against finite differences`, () => {
    it.each(SECOND_ORDER_SPECS.map((s) => [s.name, s] as const))('%s', (name, spec) => {
      const result = withBackend(backend, () =>
        hb.tidy(() => {
          const inputs = makeInputs(spec);
          return checkSecondOrder(wrapped(spec, inputs), inputs);
        }),
      );
      expect(result.maxRelError, `${name}: worst ${JSON.stringify(result.worst)}`).toBeLessThanOrEqual(1e-6);
    });
  });

  it(`second order on ${backend}: the check is not vacuous (a rule right only to first order fails)`, () => {
    // x² whose gradient rule 2x·dy treats x as a constant: first order right, second order 0 instead of 2.
    const square = hb.customGrad((x) => ({ value: hb.square(x), gradFunc: (dy) => hb.mul(dy, hb.mul(hb.stopGradient(x), 2)) }));
    const [first, second] = withBackend(backend, () => {
      const x = hb.tensor([0.5, -1.5, 2], [3], 'float64');
      return [hb.checkGrad(square, [x]), checkSecondOrder((t) => hb.sum(square(t)), [x])];
    });
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    expect(second.maxRelError).toBeGreaterThan(0.1);
  });

  describe(`second order on ${backend}: closed forms`, () => {
    const run = <T>(fn: () => T): T => withBackend(backend, () => hb.tidy(fn));
    const xs = [-2.3, -1.1, -0.4, 0.3, 0.9, 1.7, 2.6];
    const x = (): Tensor => hb.tensor(xs, [xs.length], 'float64');
    const pos = [0.3, 0.8, 1.5, 2.9];
    const xp = (): Tensor => hb.tensor(pos, [pos.length], 'float64');
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    const phi = (v: number): number => Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);

    const cases: [string, (t: Tensor) => Tensor, (v: number) => number, 'all' | 'positive'][] = [
      ['x³ → 6x (pow)', (t) => hb.pow(t, 3), (v) => 6 * v, 'all'],
      ['x³ → 6x (mul)', (t) => hb.mul(hb.mul(t, t), t), (v) => 6 * v, 'all'],
      ['x² → 2 (square)', hb.square, () => 2, 'all'],
      ['sin → −sin', hb.sin, (v) => -Math.sin(v), 'all'],
      ['cos → −cos', hb.cos, (v) => -Math.cos(v), 'all'],
      ['exp → exp', hb.exp, Math.exp, 'all'],
      ['expm1 → exp', hb.expm1, Math.exp, 'all'],
      ['log → −1/x²', hb.log, (v) => -1 / (v * v), 'positive'],
      ['log1p → −1/(1+x)²', hb.log1p, (v) => -1 / ((1 + v) * (1 + v)), 'positive'],
      ['sqrt → −¼x^(−3/2)', hb.sqrt, (v) => -0.25 * v ** -1.5, 'positive'],
      ['rsqrt → ¾x^(−5/2)', hb.rsqrt, (v) => 0.75 * v ** -2.5, 'positive'],
      ['reciprocal → 2/x³', hb.reciprocal, (v) => 2 / v ** 3, 'all'],
      ['sigmoid → σ(1−σ)(1−2σ)', hb.sigmoid, (v) => sig(v) * (1 - sig(v)) * (1 - 2 * sig(v)), 'all'],
      ['tanh → −2t(1−t²)', hb.tanh, (v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2), 'all'],
      ['softplus → σ(1−σ)', hb.softplus, (v) => sig(v) * (1 - sig(v)), 'all'],
      ['erf → −(4x/√π)e^(−x²)', hb.erf, (v) => (-4 * v / Math.sqrt(Math.PI)) * Math.exp(-v * v), 'all'],
      ['gelu → φ(x)(2 − x²)', (t) => hb.gelu(t), (v) => phi(v) * (2 - v * v), 'all'],
      ['swish → 2σ(1−σ) + xσ(1−σ)(1−2σ)', hb.swish, (v) => 2 * sig(v) * (1 - sig(v)) + v * sig(v) * (1 - sig(v)) * (1 - 2 * sig(v)), 'all'],
      ['elu → αeˣ for x < 0, 0 above', (t) => hb.elu(t, 0.7), (v) => (v < 0 ? 0.7 * Math.exp(v) : 0), 'all'],
      ['softsign → −2 sign(x)/(1+|x|)³', hb.softsign, (v) => (-2 * Math.sign(v)) / (1 + Math.abs(v)) ** 3, 'all'],
      ['relu → 0', hb.relu, () => 0, 'all'],
      ['abs → 0', hb.abs, () => 0, 'all'],
    ];
    it.each(cases)('%s', (_, op, expected, domain) => {
      const values = domain === 'positive' ? pos : xs;
      const got = run(() => secondDerivative(op, domain === 'positive' ? xp() : x()));
      expect(maxRelDiff(got, values.map(expected))).toBeLessThan(1e-10);
    });

    it('d³/dx³ x⁴ = 24x (grad of grad of grad)', () => {
      const got = run(() => {
        const d1 = (t: Tensor): Tensor => hb.grad((u: Tensor) => hb.sum(hb.pow(u, 4)))(t);
        const d2 = (t: Tensor): Tensor => hb.grad((u: Tensor) => hb.sum(d1(u)))(t);
        return Array.from(hb.grad((u: Tensor) => hb.sum(d2(u)))(x()).dataSync());
      });
      expect(maxRelDiff(got, xs.map((v) => 24 * v))).toBeLessThan(1e-10);
    });

    it('pow: all second partials of x^y', () => {
      const [a, b] = [[0.7, 1.3, 2.2], [-1.4, 0.6, 2.5]];
      const got = run(() => {
        const f = (u: Tensor, v: Tensor): Tensor => hb.sum(hb.pow(u, v));
        const gx = (u: Tensor, v: Tensor): Tensor => hb.grad(f, 0)(u, v);
        const gy = (u: Tensor, v: Tensor): Tensor => hb.grad(f, 1)(u, v);
        const A = hb.tensor(a, [3], 'float64');
        const B = hb.tensor(b, [3], 'float64');
        const [dxx, dxy] = hb.grad((u: Tensor, v: Tensor) => hb.sum(gx(u, v)), [0, 1])(A, B);
        const [, dyy] = hb.grad((u: Tensor, v: Tensor) => hb.sum(gy(u, v)), [0, 1])(A, B);
        return [dxx, dxy, dyy].map((t) => Array.from(t.dataSync()));
      });
      expect(maxRelDiff(got[0], a.map((x, i) => b[i] * (b[i] - 1) * x ** (b[i] - 2)))).toBeLessThan(1e-10);
      expect(maxRelDiff(got[1], a.map((x, i) => x ** (b[i] - 1) * (1 + b[i] * Math.log(x))))).toBeLessThan(1e-10);
      expect(maxRelDiff(got[2], a.map((x, i) => x ** b[i] * Math.log(x) ** 2))).toBeLessThan(1e-10);
    });

    it('div: ∂²(a/b)/∂b² = 2a/b³ and ∂²/∂a∂b = −1/b²', () => {
      const [a, b] = [[0.7, -1.3, 2.2], [-1.4, 0.6, 2.5]];
      const got = run(() => {
        const gb = (u: Tensor, v: Tensor): Tensor => hb.grad((p: Tensor, q: Tensor) => hb.sum(hb.div(p, q)), 1)(u, v);
        const [dab, dbb] = hb.grad((u: Tensor, v: Tensor) => hb.sum(gb(u, v)), [0, 1])(hb.tensor(a, [3], 'float64'), hb.tensor(b, [3], 'float64'));
        return [dab, dbb].map((t) => Array.from(t.dataSync()));
      });
      expect(maxRelDiff(got[0], b.map((v) => -1 / v ** 2))).toBeLessThan(1e-10);
      expect(maxRelDiff(got[1], a.map((u, i) => (2 * u) / b[i] ** 3))).toBeLessThan(1e-10);
    });

    it('Hessian of Σ(Ax)² is 2AᵀA', () => {
      const rng = new Prng(5);
      const [m, n] = [4, 3];
      const A = range(m).map(() => range(n).map(() => rng.range(-1, 1)));
      const H = run(() => {
        const At = hb.tensor(A, [m, n], 'float64');
        return hessian((x) => hb.sum(hb.square(hb.matmul(At, x))), hb.tensor([0.3, -0.7, 1.1], [n], 'float64'));
      });
      const expected = range(n).map((i) => range(n).map((k) => 2 * A.reduce((acc, row) => acc + row[i] * row[k], 0)));
      expect(maxRelDiff(flat(H), flat(expected))).toBeLessThan(1e-12);
    });

    it('matmul mixed partial: ∂/∂B ⟨R, ∂⟨C, AB⟩/∂A⟩ = RᵀC', () => {
      const [M, K, N] = [3, 4, 2];
      const R = randomTensor([M, K], 11);
      const C = randomTensor([M, N], 12);
      const got = run(() => {
        const gA = (a: Tensor, b: Tensor): Tensor => hb.grad((p: Tensor, q: Tensor) => hb.sum(hb.mul(hb.matmul(p, q), C)), 0)(a, b);
        return hb.grad((a: Tensor, b: Tensor) => hb.sum(hb.mul(gA(a, b), R)), 1)(randomTensor([M, K], 13), randomTensor([K, N], 14)).dataSync();
      });
      const r = R.dataSync();
      const c = C.dataSync();
      const expected = range(K * N).map((kj) => {
        const [k, j] = [Math.floor(kj / N), kj % N];
        return range(M).reduce((acc, i) => acc + r[i * K + k] * c[i * N + j], 0);
      });
      expect(maxRelDiff(got, expected)).toBeLessThan(1e-12);
    });

    it('Hessian of logSumExp is diag(p) − ppᵀ', () => {
      const v = [0.2, -1.3, 0.9, 2.1];
      const H = run(() => hessian((t) => hb.logSumExp(t), hb.tensor(v, [4], 'float64')));
      const z = v.reduce((acc, u) => acc + Math.exp(u), 0);
      const p = v.map((u) => Math.exp(u) / z);
      const expected = range(4).map((i) => range(4).map((k) => (i === k ? p[i] : 0) - p[i] * p[k]));
      expect(maxRelDiff(flat(H), flat(expected))).toBeLessThan(1e-12);
    });

    // Convolutions: f(x) = ½⟨c, L(x)²⟩ has Hessian Lᵀ diag(c) L, L from the reference.
    const convCases: [string, number[], number[], { strides: number; padding: hb.Padding }][] = [
      ['conv2d strides 1 valid', [1, 4, 3, 2], [2, 2, 2, 2], { strides: 1, padding: 'valid' }],
      ['conv2d strides 2 same (asymmetric padding)', [1, 4, 5, 1], [3, 2, 1, 2], { strides: 2, padding: 'same' }],
      ['conv2d strides 1 explicit padding', [1, 3, 3, 2], [2, 3, 2, 1], { strides: 1, padding: [[1, 0], [0, 2]] }],
    ];
    it.each(convCases)('Hessian in x of ½⟨c, conv(x, w)²⟩ = Lᵀ diag(c) L: %s', (_, xShape, wShape, opts) => {
      const w = randomTensor(wShape, 21);
      const wArr = arr(wShape, w.dataSync());
      const spatial = xShape.slice(1, 3);
      const effective = wShape.slice(0, 2);
      const pads: [number, number][] = opts.padding === 'same' ? spatial.map((n, i) => samePads(n, effective[i], opts.strides))
        : opts.padding === 'valid' ? [[0, 0], [0, 0]] : (opts.padding as [number, number][]);
      const L = linearMatrix(xShape, (x) => convRef(x, wArr, { strides: [opts.strides, opts.strides], pads, dilation: [1, 1], groups: 1 }));
      const c = randomTensor([L.length], 22, 0.5, 1.5);
      const H = run(() => {
        const x = randomTensor(xShape, 23);
        return hessian((t) => hb.mul(hb.sum(hb.mul(hb.square(hb.reshape(hb.conv2d(t, w, opts), [-1])), c)), 0.5), x);
      });
      expect(maxRelDiff(flat(H), flat(gaussNewton(L, c.dataSync())))).toBeLessThan(1e-12);
    });

    it('conv2d mixed partial: ∂/∂w ⟨s, ∇ₓ⟨r, conv(x, w)⟩⟩ = ∂/∂w ⟨r, conv(s, w)⟩ (from the reference)', () => {
      const [xShape, wShape] = [[1, 5, 4, 2], [3, 2, 2, 3]];
      const opts = { strides: 2, padding: 'same' as const };
      const pads = [samePads(5, 3, 2), samePads(4, 2, 2)];
      const s = randomTensor(xShape, 31);
      const sArr = arr(xShape, s.dataSync());
      const outShape = [1, 3, 2, 3];
      const r = randomTensor(outShape, 32);
      const got = run(() => {
        const gx = (x: Tensor, w: Tensor): Tensor => hb.grad((p: Tensor, q: Tensor) => hb.sum(hb.mul(hb.conv2d(p, q, opts), r)), 0)(x, w);
        return hb.grad((x: Tensor, w: Tensor) => hb.sum(hb.mul(gx(x, w), s)), 1)(randomTensor(xShape, 33), randomTensor(wShape, 34)).dataSync();
      });
      // ⟨r, conv(s, w)⟩ is linear in w: its gradient's j-th entry is ⟨r, conv(s, e_j)⟩.
      const rv = r.dataSync();
      const L = linearMatrix(wShape, (w) => convRef(sArr, w, { strides: [2, 2], pads, dilation: [1, 1], groups: 1 }));
      const expected = range(L[0].length).map((j) => L.reduce((acc, row, o) => acc + row[j] * rv[o], 0));
      expect(maxRelDiff(got, expected)).toBeLessThan(1e-12);
    });

    it('Hessian in x of ½⟨c, conv2dTranspose(x, w)²⟩ (strides 2, valid) = Lᵀ diag(c) L', () => {
      const [xShape, wShape] = [[1, 2, 3, 2], [3, 2, 2, 2]];
      const w = randomTensor(wShape, 41);
      const wArr = arr(wShape, w.dataSync());
      const outSpatial = [(2 - 1) * 2 + 3, (3 - 1) * 2 + 2];
      const L = linearMatrix(xShape, (x) => convTransposeRef(x, wArr, { strides: [2, 2], pads: [[0, 0], [0, 0]], dilation: [1, 1] }, outSpatial));
      const c = randomTensor([L.length], 42, 0.5, 1.5);
      const H = run(() => hessian((t) => hb.mul(hb.sum(hb.mul(hb.square(hb.reshape(hb.conv2dTranspose(t, w, { strides: 2 }), [-1])), c)), 0.5), randomTensor(xShape, 43)));
      expect(maxRelDiff(flat(H), flat(gaussNewton(L, c.dataSync())))).toBeLessThan(1e-12);
    });

    it('Hessian in x of ½⟨c, depthwiseConv2d(x, w)²⟩ (multiplier 2, same) = Lᵀ diag(c) L', () => {
      const [xShape, wShape] = [[1, 3, 3, 2], [2, 2, 2, 2]];
      const w = randomTensor(wShape, 51);
      // Depthwise [kh, kw, C, m] is the grouped filter [kh, kw, 1, C·m] (output channel c·m + j) with C groups.
      const wArr = arr([2, 2, 1, 4], w.dataSync());
      const pads = [samePads(3, 2, 1), samePads(3, 2, 1)];
      const L = linearMatrix(xShape, (x) => convRef(x, wArr, { strides: [1, 1], pads, dilation: [1, 1], groups: 2 }));
      const c = randomTensor([L.length], 52, 0.5, 1.5);
      const H = run(() => hessian((t) => hb.mul(hb.sum(hb.mul(hb.square(hb.reshape(hb.depthwiseConv2d(t, w, { padding: 'same' }), [-1])), c)), 0.5), randomTensor(xShape, 53)));
      expect(maxRelDiff(flat(H), flat(gaussNewton(L, c.dataSync())))).toBeLessThan(1e-12);
    });

    it('Hessian of ½⟨c, avgPool2d(x)²⟩ (overlapping windows, same padding) = Pᵀ diag(c) P', () => {
      const xShape = [1, 4, 3, 1];
      const geometry = { window: [2, 2], strides: [1, 2], pads: [samePads(4, 2, 1), samePads(3, 2, 2)] };
      const P = linearMatrix(xShape, (x) => poolRef(x, 'avg', geometry).y);
      const c = randomTensor([P.length], 61, 0.5, 1.5);
      const H = run(() => hessian((t) => hb.mul(hb.sum(hb.mul(hb.square(hb.reshape(hb.avgPool2d(t, { poolSize: 2, strides: [1, 2], padding: 'same' }), [-1])), c)), 0.5), randomTensor(xShape, 62)));
      expect(maxRelDiff(flat(H), flat(gaussNewton(P, c.dataSync())))).toBeLessThan(1e-12);
    });

    it('Hessian of ½⟨c, maxPool2d(x)²⟩ (overlapping windows) = Sᵀ diag(c) S, S selecting each window\'s maximum', () => {
      const xShape = [1, 4, 4, 1];
      const xv = new Prng(71).shuffle(range(16).map((k) => (k - 7.5) / 4));
      const geometry = { window: [3, 3], strides: [1, 1], pads: [[0, 0], [0, 0]] as [number, number][] };
      const { argmax } = poolRef(arr(xShape, xv), 'max', geometry);
      const S = argmax.map((at) => range(16).map((k) => (k === at ? 1 : 0)));
      const c = randomTensor([S.length], 72, 0.5, 1.5);
      const H = run(() => hessian((t) => hb.mul(hb.sum(hb.mul(hb.square(hb.reshape(hb.maxPool2d(t, { poolSize: 3, strides: 1 }), [-1])), c)), 0.5), hb.tensor(xv, xShape, 'float64')));
      expect(maxRelDiff(flat(H), flat(gaussNewton(S, c.dataSync())))).toBeLessThan(1e-12);
    });

    it('stopGradient: d/dx (stopGradient(x)·x) = x, and its second derivative is 0', () => {
      const [g, h] = run(() => {
        const f = (t: Tensor): Tensor => hb.sum(hb.mul(hb.stopGradient(t), t));
        return [hb.grad(f)(x()).dataSync(), secondDerivative((t) => hb.mul(hb.stopGradient(t), t), x())];
      });
      expect(Array.from(g)).toEqual(xs);
      expect(h).toEqual(xs.map(() => 0));
    });

    it('grad inside noGrad still differentiates (what checkGrad of a gradient relies on)', () => {
      const [inside, outside] = run(() => {
        const f = (t: Tensor): Tensor => hb.sum(hb.pow(t, 3));
        return [hb.noGrad(() => hb.grad(f)(x())).dataSync(), hb.grad(f)(x()).dataSync()];
      });
      expect(Array.from(inside)).toEqual(Array.from(outside));
      expect(maxRelDiff(inside, xs.map((v) => 3 * v * v))).toBeLessThan(1e-14);
    });
  });
}
