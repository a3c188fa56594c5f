// The fused LSTM and GRU recurrences (src/ops/recurrent.ts) against their specification, the
// unrolled composition of small ops with the cells' formulas: values, and gradients both by
// central finite differences in float64 (checkGrad) and against the composition's gradients;
// with and without masks, at odd sizes. The layers' behaviour with the fused path is covered by
// the unchanged recurrent tests (test/nn/recurrent.test.ts, sequences.test.ts, rnn-torch.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { gruSequence, lstmSequence } from '../../src/ops/index.js';

let previous = '';
beforeAll(() => {
  previous = hb.getBackend();
  hb.setBackend('cpu');
});
afterAll(() => hb.setBackend(previous));

const rand = (shape: number[], seed: number, scale = 1): hb.Tensor => hb.mul(hb.randomNormal(shape, { seed, dtype: 'float64' }), scale);

/** A 0/1 mask [n, t] with holes (row 0 starts masked, the last row ends masked, some rows all kept). */
function maskOf(n: number, t: number): hb.Tensor {
  const v = Array.from({ length: n * t }, (_, i) => ((i * 7 + 3) % 5 === 0 ? 0 : 1));
  if (t > 1) v[0] = 0;
  if (n > 1) v[n * t - 1] = 0;
  return hb.tensor(Float64Array.from(v), [n, t]);
}

/** The unrolled LSTM with the same outputs as lstmSequence: [N, T, 2u] states h then c. */
function lstmUnrolled(xk: hb.Tensor, h0: hb.Tensor, c0: hb.Tensor, r: hb.Tensor, mask: hb.Tensor | null): hb.Tensor {
  let h = h0;
  let c = c0;
  const outs: hb.Tensor[] = [];
  hb.unstack(xk, 1).forEach((x, t) => {
    const [zi, zf, zc, zo] = hb.split(hb.add(x, hb.matmul(h, r)), 4, 1);
    let cn = hb.add(hb.mul(hb.sigmoid(zf), c), hb.mul(hb.sigmoid(zi), hb.tanh(zc)));
    let hn = hb.mul(hb.sigmoid(zo), hb.tanh(cn));
    if (mask) {
      const m = hb.slice(mask, [0, t], [-1, 1]);
      cn = hb.add(hb.mul(cn, m), hb.mul(c, hb.sub(1, m)));
      hn = hb.add(hb.mul(hn, m), hb.mul(h, hb.sub(1, m)));
    }
    h = hn;
    c = cn;
    outs.push(hb.concat([h, c], 1));
  });
  return hb.stack(outs, 1);
}

/** The unrolled GRU (reset after the matmul) with the same output as gruSequence: [N, T, u]. */
function gruUnrolled(xk: hb.Tensor, h0: hb.Tensor, r: hb.Tensor, rb: hb.Tensor, mask: hb.Tensor | null): hb.Tensor {
  let h = h0;
  const outs: hb.Tensor[] = [];
  hb.unstack(xk, 1).forEach((x, t) => {
    const [xz, xr, xh] = hb.split(x, 3, 1);
    const [az, ar, ah] = hb.split(hb.add(hb.matmul(h, r), rb), 3, 1);
    const z = hb.sigmoid(hb.add(xz, az));
    const rr = hb.sigmoid(hb.add(xr, ar));
    const hh = hb.tanh(hb.add(xh, hb.mul(rr, ah)));
    let hn = hb.add(hb.mul(z, h), hb.mul(hb.sub(1, z), hh));
    if (mask) {
      const m = hb.slice(mask, [0, t], [-1, 1]);
      hn = hb.add(hb.mul(hn, m), hb.mul(h, hb.sub(1, m)));
    }
    h = hn;
    outs.push(h);
  });
  return hb.stack(outs, 1);
}

function maxAbsDiff(a: hb.Tensor, b: hb.Tensor): number {
  return hb.max(hb.abs(hb.sub(a, b))).item();
}

const SIZES: [number, number, number][] = [[1, 1, 1], [5, 9, 7], [2, 3, 33], [5, 1, 7]];

describe('lstmSequence', () => {
  for (const [n, t, u] of SIZES) {
    for (const masked of [false, true]) {
      it(`equals the unrolled LSTM, values and gradients (N ${n}, T ${t}, u ${u}${masked ? ', masked' : ''})`, () => {
        const xk = rand([n, t, 4 * u], 1);
        const h0 = rand([n, u], 2, 0.5);
        const c0 = rand([n, u], 3, 0.5);
        const r = rand([u, 4 * u], 4, 0.4);
        const mask = masked ? maskOf(n, t) : null;
        expect(maxAbsDiff(lstmSequence(xk, h0, c0, r, mask), lstmUnrolled(xk, h0, c0, r, mask))).toBeLessThan(1e-12);
        // A weighting of every output element, so every step's h and c gradient is exercised.
        const w = rand([n, t, 2 * u], 5);
        const loss = (f: typeof lstmUnrolled) => (a: hb.Tensor, b: hb.Tensor, c: hb.Tensor, d: hb.Tensor) => hb.sum(hb.mul(f(a, b, c, d, mask), w));
        const fused = hb.grad(loss(lstmSequence as typeof lstmUnrolled), [0, 1, 2, 3])(xk, h0, c0, r);
        const unrolled = hb.grad(loss(lstmUnrolled), [0, 1, 2, 3])(xk, h0, c0, r);
        fused.forEach((g, i) => expect(maxAbsDiff(g, unrolled[i]), `gradient ${i}`).toBeLessThan(1e-12));
        if (n * t * u <= 70) {
          const check = hb.checkGrad((a, b, c, d) => lstmSequence(a, b, c, d, mask), [xk, h0, c0, r], { tol: 1e-6 });
          expect(check.maxRelError).toBeLessThan(1e-6);
        }
      });
    }
  }

  it('checks its arguments', () => {
    const z = (s: number[]) => hb.zeros(s);
    expect(() => lstmSequence(z([2, 3, 8]), z([2, 2]), z([2, 2]), z([2, 6]))).toThrow(/lstmSequence: recurrent kernel must be \[u, 4u\], got \[2,6\]/);
    expect(() => lstmSequence(z([2, 3, 7]), z([2, 2]), z([2, 2]), z([2, 8]))).toThrow(/lstmSequence: xk must be \[N, T, 8\], got \[2,3,7\]/);
    expect(() => lstmSequence(z([2, 3, 8]), z([3, 2]), z([2, 2]), z([2, 8]))).toThrow(/states must be \[2, 2\], got \[3,2\]/);
    expect(() => lstmSequence(z([2, 3, 8]), z([2, 2]), z([2, 2]), z([2, 8]), z([2, 4]))).toThrow(/mask must be \[2, 3\], got \[2,4\]/);
    expect(() => lstmSequence(hb.zeros([2, 3, 8], 'int32'), z([2, 2]), z([2, 2]), z([2, 8]))).toThrow(hb.DTypeError);
  });

  it('refuses a second-order gradient instead of returning a wrong one', () => {
    const r = rand([2, 8], 6, 0.3);
    const xk = rand([1, 3, 8], 7);
    const h0 = hb.zeros([1, 2], 'float64');
    const inner = (rr: hb.Tensor) => hb.sum(hb.grad((q: hb.Tensor) => hb.sum(hb.square(lstmSequence(xk, h0, h0, q))))(rr));
    expect(() => hb.grad(inner)(r)).toThrow(/no second-order gradient/);
  });
});

describe('gruSequence', () => {
  for (const [n, t, u] of SIZES) {
    for (const masked of [false, true]) {
      it(`equals the unrolled GRU, values and gradients (N ${n}, T ${t}, u ${u}${masked ? ', masked' : ''})`, () => {
        const xk = rand([n, t, 3 * u], 11);
        const h0 = rand([n, u], 12, 0.5);
        const r = rand([u, 3 * u], 13, 0.4);
        const rb = rand([3 * u], 14, 0.3);
        const mask = masked ? maskOf(n, t) : null;
        expect(maxAbsDiff(gruSequence(xk, h0, r, rb, mask), gruUnrolled(xk, h0, r, rb, mask))).toBeLessThan(1e-12);
        const w = rand([n, t, u], 15);
        const loss = (f: typeof gruUnrolled) => (a: hb.Tensor, b: hb.Tensor, c: hb.Tensor, d: hb.Tensor) => hb.sum(hb.mul(f(a, b, c, d, mask), w));
        const fused = hb.grad(loss(gruSequence as typeof gruUnrolled), [0, 1, 2, 3])(xk, h0, r, rb);
        const unrolled = hb.grad(loss(gruUnrolled), [0, 1, 2, 3])(xk, h0, r, rb);
        fused.forEach((g, i) => expect(maxAbsDiff(g, unrolled[i]), `gradient ${i}`).toBeLessThan(1e-12));
        if (n * t * u <= 70) {
          const check = hb.checkGrad((a, b, c, d) => gruSequence(a, b, c, d, mask), [xk, h0, r, rb], { tol: 1e-6 });
          expect(check.maxRelError).toBeLessThan(1e-6);
        }
      });
    }
  }

  it('checks its arguments', () => {
    const z = (s: number[]) => hb.zeros(s);
    expect(() => gruSequence(z([2, 3, 6]), z([2, 2]), z([2, 6]), z([5]))).toThrow(/gruSequence: recurrent bias must be \[6\], got \[5\]/);
    expect(() => gruSequence(z([2, 3, 6]), z([2, 3]), z([2, 6]), z([6]))).toThrow(/gruSequence: h0 must be \[2, 2\], got \[2,3\]/);
  });
});

describe('the layers use the fused kernels', () => {
  for (const kind of ['lstm', 'gru'] as const) {
    it(`${kind}: the fused layer (float64, cpu) equals its unrolled form inside a nested gradient, masked and goBackwards`, () => {
      // Inside a nested gradient the layer unrolls; its first-order gradient must equal the fused one.
      const make = () => (kind === 'lstm' ? hb.layers.lstm({ units: 5, returnSequences: true, goBackwards: true, dtype: 'float64' }) : hb.layers.gru({ units: 5, returnSequences: true, goBackwards: true, dtype: 'float64' }));
      const layer = make();
      const x = rand([3, 6, 4], 21);
      const mask = hb.tensor([1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0].map(Boolean), [3, 6], 'bool');
      layer.apply(x);
      const f = (xx: hb.Tensor) => hb.sum(hb.square(layer.call(xx, { mask }) as hb.Tensor));
      const [value, grad] = hb.valueAndGrad(f)(x);
      // The same computation one level down: inside an outer grad the layer unrolls.
      let unrolled: [hb.Tensor, hb.Tensor] | null = null;
      hb.grad((s: hb.Tensor) => {
        unrolled = hb.valueAndGrad(f)(x);
        return hb.mul(s, 1);
      })(hb.scalar(1, 'float64'));
      const [value2, grad2] = unrolled as unknown as [hb.Tensor, hb.Tensor];
      expect(Math.abs(value.item() - value2.item())).toBeLessThan(1e-12);
      expect(maxAbsDiff(grad, grad2)).toBeLessThan(1e-12);
    });
  }
});
