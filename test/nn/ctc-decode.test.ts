// hb.ctcDecode against brute force: on small cases every one of the C^T alignments is
// enumerated, collapsed (repeats merged, blanks removed) and its probability added to its
// labeling's, giving exact label posteriors. A beam wide enough never prunes, so prefix beam
// search must then return exactly the top labelings with exact log-probabilities; greedy must
// return the collapse of the single most probable path and that path's log-probability.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

/** Per-step log-softmax of one sample's logits [T][C], in float64 JS. */
function logSoftmaxRows(rows: number[][]): number[][] {
  return rows.map((r) => {
    const m = Math.max(...r);
    const z = Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
    return r.map((v) => v - z);
  });
}

function collapse(path: number[], blank: number): number[] {
  const out: number[] = [];
  path.forEach((c, t) => {
    if (c !== blank && (t === 0 || c !== path[t - 1])) out.push(c);
  });
  return out;
}

/** Every alignment: labeling → log p(labeling), and the best single path. */
function bruteForce(rows: number[][], blank: number) {
  const lp = logSoftmaxRows(rows);
  const T = rows.length;
  const C = rows[0]?.length ?? 0;
  const byLabel = new Map<string, { labels: number[]; p: number }>();
  let best = { path: [] as number[], logp: -Infinity };
  const path = new Array<number>(T).fill(0);
  const total = C ** T;
  for (let k = 0; k < total; k++) {
    let r = k;
    let logp = 0;
    for (let t = 0; t < T; t++) {
      path[t] = r % C;
      r = Math.floor(r / C);
      logp += lp[t][path[t]];
    }
    const labels = collapse(path, blank);
    const key = labels.join(',');
    const e = byLabel.get(key) ?? { labels, p: 0 };
    e.p += Math.exp(logp);
    byLabel.set(key, e);
    if (logp > best.logp) best = { path: [...path], logp };
  }
  const ranked = [...byLabel.values()].sort((a, b) => b.p - a.p);
  return { ranked, best };
}

const randomLogits = (n: number, T: number, C: number, seed: number) => hb.randomNormal([n, T, C], { seed, std: 2, dtype: 'float64' });

describe('ctcDecode', () => {
  it.each([
    [2, 4, 3, 0, 1],
    [3, 5, 3, 2, 2],
    [2, 6, 4, 1, 3],
    [2, 3, 2, 0, 4],
  ])('beam search with an unpruned beam is exact: n=%i T=%i C=%i blank=%i', (n, T, C, blank, seed) => {
    const logits = randomLogits(n, T, C, seed);
    const rows = logits.toArray() as number[][][];
    const topPaths = 3;
    const res = hb.ctcDecode(logits, { strategy: 'beamSearch', beamWidth: C ** T, topPaths, blank });
    expect(res.decoded.shape).toEqual([topPaths, n, T]);
    expect(res.logProbabilities.shape).toEqual([n, topPaths]);
    const lps = res.logProbabilities.toArray() as number[][];
    const dec = res.decoded.toArray() as number[][][];
    rows.forEach((r, i) => {
      const { ranked } = bruteForce(r, blank);
      for (let k = 0; k < topPaths; k++) {
        // Ties between labelings are vanishingly unlikely with random float64 logits.
        expect(res.sequences[i][k]).toEqual(ranked[k].labels);
        expect(lps[i][k]).toBeCloseTo(Math.log(ranked[k].p), 10);
        expect(dec[k][i].filter((v) => v >= 0)).toEqual(ranked[k].labels);
        expect(dec[k][i].slice(ranked[k].labels.length).every((v) => v === -1)).toBe(true);
      }
    });
  });

  it('a narrow beam still finds the best labeling on peaked outputs, and its score is a lower bound of the exact one', () => {
    const logits = hb.mul(randomLogits(3, 6, 4, 9), 3);
    const rows = logits.toArray() as number[][][];
    const res = hb.ctcDecode(logits, { strategy: 'beamSearch', beamWidth: 4, blank: 3 });
    const lps = res.logProbabilities.toArray() as number[][];
    rows.forEach((r, i) => {
      const { ranked } = bruteForce(r, 3);
      const exact = ranked.find((e) => e.labels.join(',') === res.sequences[i][0].join(','))!;
      expect(lps[i][0]).toBeLessThanOrEqual(Math.log(exact.p) + 1e-12);
    });
  });

  it('greedy returns the collapse of the best path and its log-probability; mergeRepeated false keeps repeats', () => {
    const logits = randomLogits(4, 5, 3, 5);
    const rows = logits.toArray() as number[][][];
    const res = hb.ctcDecode(logits, { blank: 0 });
    const lps = res.logProbabilities.toArray() as number[][];
    rows.forEach((r, i) => {
      const { best } = bruteForce(r, 0);
      expect(res.sequences[i][0]).toEqual(collapse(best.path, 0));
      expect(lps[i][0]).toBeCloseTo(best.logp, 10);
    });
    // Hand-made: path 1 1 0 1 2 2 → merged 1 1 2; unmerged 1 1 1 2 2.
    const path = [1, 1, 0, 1, 2, 2];
    const oneHot = hb.tensor([path.map((c) => [0, 1, 2].map((k) => (k === c ? 5 : 0)))]);
    expect(hb.ctcDecode(oneHot).sequences[0][0]).toEqual([1, 1, 2]);
    expect(hb.ctcDecode(oneHot, { mergeRepeated: false }).sequences[0][0]).toEqual([1, 1, 1, 2, 2]);
  });

  it('logitLengths cut each sample; a missing path scores −Infinity', () => {
    const logits = randomLogits(2, 5, 3, 12);
    const rows = logits.toArray() as number[][][];
    const res = hb.ctcDecode(logits, { strategy: 'beamSearch', beamWidth: 243, topPaths: 2, logitLengths: [3, 0] });
    const { ranked } = bruteForce(rows[0].slice(0, 3), 0);
    expect(res.sequences[0]).toEqual([ranked[0].labels, ranked[1].labels]);
    // An empty sequence has one labeling (the empty one) with probability 1.
    expect(res.sequences[1]).toEqual([[], []]);
    expect(res.logProbabilities.toArray()).toEqual([[expect.closeTo(Math.log(ranked[0].p), 10), expect.closeTo(Math.log(ranked[1].p), 10)], [0, -Infinity]]);
  });

  it('rejects bad options and shapes with clear errors', () => {
    const l = hb.zeros([1, 3, 4]);
    expect(() => hb.ctcDecode(hb.zeros([3, 4]))).toThrow(hb.ShapeError);
    expect(() => hb.ctcDecode(l, { blank: 4 })).toThrow(/blank/);
    expect(() => hb.ctcDecode(l, { topPaths: 2 })).toThrow(/topPaths/);
    expect(() => hb.ctcDecode(l, { strategy: 'beamSearch', beamWidth: 2, topPaths: 3 })).toThrow(/beamWidth/);
    expect(() => hb.ctcDecode(l, { strategy: 'beam' as never })).toThrow(/strategy/);
    expect(() => hb.ctcDecode(l, { beam_width: 3 } as never)).toThrow(/did you mean 'beamWidth'/);
    expect(() => hb.ctcDecode(l, { logitLengths: [4] })).toThrow(/logitLengths/);
    expect(() => hb.ctcDecode(hb.tensor([[[NaN, 0]]]))).toThrow(/NaN/);
  });
});
