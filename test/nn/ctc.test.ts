// hb.losses.ctc against a brute-force sum over every path of length T (C^T of them, collapsed
// by merging repeats and removing blanks) in plain JS, a float64 gradient check, and a tiny
// sequence-recognition task learnt with an LSTM; hb.losses.ctcGreedyDecode by hand.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { ctcRecorded } from '../../src/nn/losses.js';

/** Merge repeats, then drop blanks. */
function collapse(path: number[], blank: number): number[] {
  const out: number[] = [];
  path.forEach((c, t) => {
    if (c !== blank && (t === 0 || c !== path[t - 1])) out.push(c);
  });
  return out;
}

/** −log Σ_{paths π of length T, collapse(π) = label} Π_t softmax(logits_t)[π_t]. */
function bruteForce(logits: number[][], label: number[], blank = 0): number {
  const T = logits.length;
  const C = logits[0].length;
  const probs = logits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  });
  let total = 0;
  for (let code = 0; code < C ** T; code++) {
    const path: number[] = [];
    let k = code;
    for (let t = 0; t < T; t++) {
      path.push(k % C);
      k = Math.floor(k / C);
    }
    const c = collapse(path, blank);
    if (c.length === label.length && c.every((v, i) => v === label[i])) total += path.reduce((p, cl, t) => p * probs[t][cl], 1);
  }
  return -Math.log(total);
}

const randomLogits = (shape: number[], seed: number) => hb.randomNormal(shape, { seed, dtype: 'float64', std: 1.5 });

describe('hb.losses.ctc', () => {
  it('equals the brute-force sum over alignments (repeats, varied label and logit lengths)', () => {
    const logits = randomLogits([4, 5, 3], 1);
    // labels padded with −1; sample 1 repeats a label (needs a blank between), sample 3 is empty
    const labels = hb.tensor([[1, 2, -1], [2, 2, -1], [1, 2, 1], [-1, -1, -1]], [4, 3], 'int32');
    const labelLengths = [2, 2, 3, 0];
    const logitLengths = [5, 4, 5, 3];
    const perSample = hb.losses.ctc(labels, logits, { labelLengths, logitLengths, reduction: 'none' });
    expect(perSample.shape).toEqual([4]);
    const rows = logits.toArray() as number[][][];
    const labelRows = labels.toArray() as number[][];
    const expected = rows.map((r, i) => bruteForce(r.slice(0, logitLengths[i]), labelRows[i].slice(0, labelLengths[i])));
    const got = Array.from(perSample.dataSync());
    got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-10));
    // reductions
    const mean = expected.reduce((a, b) => a + b, 0) / 4;
    expect(hb.losses.ctc(labels, logits, { labelLengths, logitLengths }).item()).toBeCloseTo(mean, 10);
    expect(hb.losses.ctc(labels, logits, { labelLengths, logitLengths, reduction: 'sum' }).item()).toBeCloseTo(4 * mean, 10);
  });

  it('default label lengths stop at the first padding value (negative or blank); another blank index', () => {
    const logits = randomLogits([2, 4, 4], 2);
    const labels = hb.tensor([[3, 1, 0], [2, -1, -1]], [2, 3], 'int32');
    const rows = logits.toArray() as number[][][];
    const got = Array.from(hb.losses.ctc(labels, logits, { reduction: 'none' }).dataSync());
    expect(got[0]).toBeCloseTo(bruteForce(rows[0], [3, 1]), 10);
    expect(got[1]).toBeCloseTo(bruteForce(rows[1], [2]), 10);
    const withBlank3 = Array.from(hb.losses.ctc(hb.tensor([[1, 0, 2]], [1, 3], 'int32'), hb.slice(logits, [0, 0, 0], [1, 4, 4]), { blank: 3, reduction: 'none' }).dataSync());
    expect(withBlank3[0]).toBeCloseTo(bruteForce(rows[0], [1, 0, 2], 3), 10);
  });

  it('a label that cannot fit in T steps has (practically) zero probability', () => {
    // [1, 1] needs 3 steps (1, blank, 1); T = 2
    const loss = hb.losses.ctc(hb.tensor([[1, 1]], [1, 2], 'int32'), randomLogits([1, 2, 3], 3)).item();
    expect(loss).toBeGreaterThan(1e20);
  });

  it('passes a float64 gradient check w.r.t. the logits', () => {
    const labels = hb.tensor([[1, 2], [2, 2]], [2, 2], 'int32');
    const logits = randomLogits([2, 5, 3], 4);
    const f = (l: hb.Tensor) => hb.losses.ctc(labels, l, { logitLengths: [5, 4] });
    const result = hb.checkGrad(f, [logits], { tol: 1e-6 });
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
  });

  it('its closed-form gradient equals autograd of the recursion written with ops, to first and second order', () => {
    const labelRows = [[1, 2, 2, -1], [3, -1, -1, -1], [2, 1, 3, 1], [-1, -1, -1, -1]];
    const labels = hb.tensor(labelRows, [4, 4], 'int32');
    const labelLengths = [3, 1, 4, 0];
    const logitLengths = [9, 4, 9, 2];
    const logits = randomLogits([4, 9, 4], 6);
    const weights = hb.tensor([0.5, -1.25, 2, 0.75], [4], 'float64');
    const problem = { labels: labelRows, labelLengths, logitLengths, blank: 0, S: 4 };
    const ours = (l: hb.Tensor) => hb.sum(hb.mul(hb.losses.ctc(labels, l, { labelLengths, logitLengths, reduction: 'none' }), weights));
    const ref = (l: hb.Tensor) => hb.sum(hb.mul(ctcRecorded(l, problem), weights));
    expect(ours(logits).item()).toBeCloseTo(ref(logits).item(), 10);
    const a = hb.grad(ours)(logits);
    const r = hb.grad(ref)(logits);
    expect(hb.max(hb.abs(hb.sub(a, r))).item()).toBeLessThan(1e-10);
    // Steps past a sample's length get no gradient.
    expect(hb.max(hb.abs(hb.slice(a, [1, 4, 0], [1, 5, 4]))).item()).toBe(0);
    // Σ (∂loss/∂logits)², differentiated again.
    const penalty = (f: typeof ours) => (l: hb.Tensor) => hb.sum(hb.square(hb.grad(f)(l)));
    const a2 = hb.grad(penalty(ours))(logits);
    const r2 = hb.grad(penalty(ref))(logits);
    expect(hb.max(hb.abs(r2)).item()).toBeGreaterThan(1e-3);
    expect(hb.max(hb.abs(hb.sub(a2, r2))).item()).toBeLessThan(1e-10);
  });

  it('rejects bad shapes, labels and lengths', () => {
    const logits = randomLogits([1, 3, 3], 5);
    expect(() => hb.losses.ctc(hb.tensor([[1]], [1, 1], 'int32'), hb.zeros([1, 3]))).toThrow(/\[N, T, C\]/);
    expect(() => hb.losses.ctc(hb.tensor([[5]], [1, 1], 'int32'), logits)).toThrow(/labels must be classes/);
    expect(() => hb.losses.ctc(hb.tensor([[1]], [1, 1], 'int32'), logits, { logitLengths: [4] })).toThrow(/logitLengths/);
    expect(() => hb.losses.ctc(hb.tensor([[1]], [1, 1], 'int32'), logits, { blank: 3 })).toThrow(/blank/);
  });

  it('ctcGreedyDecode merges repeats and drops blanks', () => {
    const onehot = (ids: number[]) => ids.map((c) => [0, 1, 2].map((k) => (k === c ? 5 : 0)));
    const logits = hb.tensor([onehot([1, 1, 0, 1, 2, 2]), onehot([0, 2, 0, 0, 2, 1])]);
    expect(hb.losses.ctcGreedyDecode(logits)).toEqual([[1, 1, 2], [2, 2, 1]]);
    expect(hb.losses.ctcGreedyDecode(logits, { logitLengths: [3, 2] })).toEqual([[1], [2]]);
  });

  it('an LSTM learns to transcribe one-hot symbol runs (ctc in compile, greedy decoding)', async () => {
    // Inputs: T = 6 steps of one-hot symbols {silence 0, a 1, b 2}; target: the collapsed runs.
    const T = 6;
    const seqs: number[][] = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 48; i++) seqs.push(Array.from({ length: T }, () => Math.floor(rand() * 3)));
    const targets = seqs.map((s) => collapse(s, 0));
    const S = Math.max(...targets.map((t) => t.length));
    const x = hb.tensor(seqs.map((s) => s.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)))));
    const y = hb.tensor(targets.map((t) => [...t, ...new Array<number>(S - t.length).fill(0)]), [48, S], 'int32');
    const m = hb.sequential([
      hb.layers.lstm({ units: 12, returnSequences: true, inputShape: [T, 3] }),
      hb.layers.timeDistributed({ layer: hb.layers.dense({ units: 3 }) }),
    ]);
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.03 }), loss: hb.losses.ctc });
    const h = await m.fit(x, y, { epochs: 120, batchSize: 48, verbose: 0 });
    const loss = h.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(0.1 * loss[0]);
    const decoded = hb.losses.ctcGreedyDecode(m.predict(x) as hb.Tensor);
    const correct = decoded.filter((d, i) => JSON.stringify(d) === JSON.stringify(targets[i])).length;
    expect(correct).toBeGreaterThanOrEqual(44);
  });
});
