// LSTM and GRU against PyTorch golden values (test/nn/fixtures/rnn-torch.json, written by
// scripts/fixtures/rnn-torch.py in float64): outputs, final states, and the gradients of
// L = Σ y⊙cy + Σ h_n⊙ch (+ Σ c_n⊙cc) w.r.t. the input and every weight, one direction with
// initial states, bidirectional, stacked, and masked (PyTorch packed sequences). The script
// documents the weight layout conversion.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

type Nested = number | Nested[];
interface Case {
  name: string; kind: 'lstm' | 'gru'; units: number; bidirectional: boolean; layers: number; lengths: number[] | null;
  x: Nested; h0: Nested | null; c0: Nested | null; weights: Nested[]; y: Nested; hn: Nested; cn: Nested | null;
  cy: Nested; ch: Nested; cc: Nested | null; loss: number; dx: Nested; dweights: Nested[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/rnn-torch.json', import.meta.url), 'utf8')) as { cases: Case[] };
const T = (v: Nested) => hb.tensor(v as number[], undefined, 'float64');
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
let worstGrad = 0;

/** Run the hebb equivalent of the PyTorch module: y [N, T, dirs·u], h_n and c_n [layers·dirs, N, u]. */
function build(c: Case) {
  const L = hb.layers;
  const stack: hb.Layer[] = [];
  for (let l = 0; l < c.layers; l++) {
    const opts = { units: c.units, returnSequences: true, returnState: true, dtype: 'float64' as const };
    const rnn = c.kind === 'lstm' ? L.lstm(opts) : L.gru({ ...opts, resetAfter: true });
    stack.push(c.bidirectional ? L.bidirectional({ layer: rnn }) : rnn);
  }
  const x0 = T(c.x);
  const [n, t] = x0.shape;
  const mask = c.lengths ? hb.tensor(c.lengths.map((len) => Array.from({ length: t }, (_, k) => k < len)), [n, t], 'bool') : null;
  const forward = (x: hb.Tensor, h0: hb.Tensor | null, c0: hb.Tensor | null) => {
    let y = x;
    const hs: hb.Tensor[] = [];
    const cs: hb.Tensor[] = [];
    stack.forEach((layer, l) => {
      const init = h0 ? [hb.squeeze(hb.slice(h0, [l, 0, 0], [1, n, c.units]), 0), ...(c0 ? [hb.squeeze(hb.slice(c0, [l, 0, 0], [1, n, c.units]), 0)] : [])] : [];
      const outs = layer.call(init.length > 0 ? [y, ...init] : y, mask ? { mask } : {}) as hb.Tensor[];
      y = outs[0];
      const states = outs.slice(1);
      const per = c.kind === 'lstm' ? 2 : 1;
      for (let d = 0; d < states.length / per; d++) {
        hs.push(states[d * per]);
        if (c.kind === 'lstm') cs.push(states[d * per + 1]);
      }
    });
    return { y, hn: hb.stack(hs, 0), cn: cs.length > 0 ? hb.stack(cs, 0) : null };
  };
  // Build the layers on the first call, then set PyTorch's weights (Keras layout) in order.
  let shape: number[] = [n, t, x0.shape[2]];
  for (const layer of stack) {
    layer.build(c.h0 ? [shape, [n, c.units], ...(c.kind === 'lstm' ? [[n, c.units]] : [])] : shape);
    layer.built = true;
    shape = [n, t, c.units * (c.bidirectional ? 2 : 1)];
  }
  const vars = stack.flatMap((l) => l.weights);
  vars.forEach((v, i) => v.assign(T(c.weights[i])));
  return { forward, vars, x0 };
}

describe('LSTM and GRU agree with PyTorch (float64 fixtures)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { forward, vars, x0 } = build(c);
    const h0 = c.h0 ? T(c.h0) : null;
    const c0 = c.c0 ? T(c.c0) : null;
    const out = forward(x0, h0, c0);
    const close = (got: hb.Tensor, want: Nested, what: string, tol = 1e-5) => {
      const g = Array.from(got.dataSync(), Number);
      const w = flat(want);
      expect(g.length, what).toBe(w.length);
      const worst = Math.max(...g.map((v, i) => Math.abs(v - w[i])));
      expect(worst, `${what}: largest difference ${worst}`).toBeLessThan(tol);
      return worst;
    };
    close(out.y, c.y, 'outputs');
    close(out.hn, c.hn, 'h_n');
    if (c.cn) close(out.cn!, c.cn, 'c_n');
    const loss = (x: hb.Tensor) => {
      const o = forward(x, h0, c0);
      let l = hb.add(hb.sum(hb.mul(o.y, T(c.cy))), hb.sum(hb.mul(o.hn, T(c.ch))));
      if (o.cn && c.cc) l = hb.add(l, hb.sum(hb.mul(o.cn, T(c.cc))));
      return l;
    };
    const { value, grads } = hb.variableGrads(() => loss(x0), [x0, ...vars.map((v) => v.value)]);
    expect(Math.abs(value.item() - c.loss)).toBeLessThan(1e-8);
    worstGrad = Math.max(worstGrad, close(grads[0], c.dx, 'dL/dx'));
    grads.slice(1).forEach((g, i) => (worstGrad = Math.max(worstGrad, close(g, c.dweights[i], `dL/d${vars[i].name}`))));
  });

  it('reports the largest gradient difference', () => {
    // Printed for the record (issue 10 asks for it); the bound is asserted per case above.
    console.log(`largest gradient difference from PyTorch: ${worstGrad.toExponential(2)}`);
    expect(worstGrad).toBeLessThan(1e-5);
  });
});
