// Lecture (applications): face verification and one-shot learning with a Siamese network. One
// encoder embeds both images; a head compares them — the distance ‖f(xᵢ) − f(xⱼ)‖ trained with
// the contrastive loss, or a logistic unit on |f(xᵢ) − f(xⱼ)| trained with cross-entropy. Trained
// only on digits 0–4, it is tested on digits 5–9, which it never saw: verification (same digit
// or not? ROC-AUC over balanced pairs) and 5-way one-shot classification (one example of each
// of 5–9 given; the query goes to the nearest, or most probably-same, example).
//
//   npx tsx examples/siamese.ts            (full: ~15 min on 2 busy cores)
//   npx tsx examples/siamese.ts --quick
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';

const FULL = { train: 10000, test: 3000, pairs: 6000, epochs: 3, testPairs: 2000, trials: 500, batchSize: 64 };
const QUICK = { train: 600, test: 400, pairs: 200, epochs: 1, testPairs: 100, trials: 40, batchSize: 32 };

/** A seeded generator for the pair sampling (xorshift32). */
function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Indices of each class among `labels`, for the classes in `classes`. */
function byClass(labels: ArrayLike<number>, classes: number[]): Map<number, number[]> {
  const m = new Map<number, number[]>(classes.map((c) => [c, []]));
  for (let i = 0; i < labels.length; i++) m.get(labels[i])?.push(i);
  return m;
}

/** Balanced pairs: half the same class (target 1), half different classes (target 0). */
function makePairs(groups: Map<number, number[]>, count: number, random: () => number): { a: number[]; b: number[]; same: number[] } {
  const classes = [...groups.keys()];
  const pick = (c: number) => { const g = groups.get(c)!; return g[Math.floor(random() * g.length)]; };
  const a: number[] = [], b: number[] = [], same: number[] = [];
  for (let i = 0; i < count; i++) {
    const c = classes[Math.floor(random() * classes.length)];
    let d = c;
    if (i % 2 === 1) while (d === c) d = classes[Math.floor(random() * classes.length)];
    a.push(pick(c));
    b.push(pick(d));
    same.push(c === d ? 1 : 0);
  }
  return { a, b, same };
}

/** ROC-AUC: the probability that a random positive scores above a random negative (ties count ½). */
function rocAuc(scores: number[], positive: number[]): number {
  const idx = scores.map((s, i) => [s, positive[i]] as const).sort((x, y) => x[0] - y[0]);
  let rankSum = 0, nPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && idx[j][0] === idx[i][0]) j++;
    const avgRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (idx[k][1] === 1) { rankSum += avgRank; nPos++; }
    i = j;
  }
  const nNeg = idx.length - nPos;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

function encoder(): hb.Model {
  return hb.sequential([
    hb.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    hb.layers.maxPooling2d({ poolSize: 2 }),
    hb.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    hb.layers.maxPooling2d({ poolSize: 2 }),
    hb.layers.flatten(),
    hb.layers.dense({ units: 32, name: 'embedding' }),
  ], { name: 'encoder' });
}

const take = (t: hb.Tensor, idx: number[]) => hb.gather(t, hb.tensor(idx, [idx.length], 'int32'));

export const experiment: Experiment = {
  name: 'siamese',
  title: 'Siamese verification and 5-way one-shot on unseen digits',
  deck: 'a Siamese network with a distance or a logistic head on |f(xᵢ) − f(xⱼ)| verifies and recognises from one example classes it never trained on',
  async run({ quick, seed, log }) {
    const cfg = quick ? QUICK : FULL;
    hb.setSeed(seed);
    const data = await loadMnist(cfg.train, cfg.test);
    const random = rng(seed);
    const trainGroups = byClass(data.train.labels.dataSync(), [0, 1, 2, 3, 4]);
    const testGroups = byClass(data.test.labels.dataSync(), [5, 6, 7, 8, 9]);
    const trainPairs = makePairs(trainGroups, cfg.pairs, random);
    const testPairs = makePairs(testGroups, cfg.testPairs, random);
    // One-shot trials: a support image per class 5–9 and a query of one of them (not the support itself).
    const trials = Array.from({ length: cfg.trials }, () => {
      const supports = [5, 6, 7, 8, 9].map((c) => { const g = testGroups.get(c)!; return g[Math.floor(random() * g.length)]; });
      const k = Math.floor(random() * 5);
      const g = testGroups.get(5 + k)!;
      let q = supports[k];
      while (q === supports[k]) q = g[Math.floor(random() * g.length)];
      return { supports, query: q, answer: k };
    });
    const xTrain = data.train.images;
    const xTest = data.test.images;
    const results: { head: string; auc: number; oneShot: number; seconds: number }[] = [];
    for (const head of ['distance', 'logistic'] as const) {
      const m = hb.zoo.siamese({ encoder: encoder(), head });
      m.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), loss: head === 'distance' ? hb.losses.contrastive : 'binaryCrossentropy' });
      const t = performance.now();
      await m.fit([take(xTrain, trainPairs.a), take(xTrain, trainPairs.b)], hb.tensor(trainPairs.same, [cfg.pairs, 1]), { epochs: cfg.epochs, batchSize: cfg.batchSize, verbose: 0, seed });
      const seconds = (performance.now() - t) / 1000;
      // Higher score = more likely the same digit.
      const score = (a: number[], b: number[]): number[] => {
        const out = Array.from((m.predict([take(xTest, a), take(xTest, b)], { batchSize: 250 }) as hb.Tensor).dataSync());
        return head === 'distance' ? out.map((d) => -d) : out;
      };
      const auc = rocAuc(score(testPairs.a, testPairs.b), testPairs.same);
      const s = score(trials.flatMap((tr) => tr.supports.map(() => tr.query)), trials.flatMap((tr) => tr.supports));
      let correct = 0;
      trials.forEach((tr, i) => {
        const row = s.slice(5 * i, 5 * i + 5);
        if (row.indexOf(Math.max(...row)) === tr.answer) correct++;
      });
      const oneShot = correct / trials.length;
      log(`${head} head: verification ROC-AUC ${fmt(auc, 3)}, 5-way one-shot accuracy ${fmt(oneShot, 3)} (${fmt(seconds, 0)} s training)`);
      results.push({ head, auc, oneShot, seconds });
    }
    const table = [
      '| head (trained on 0–4, tested on 5–9) | verification ROC-AUC | 5-way one-shot accuracy | chance |',
      '|---|---|---|---|',
      ...results.map((r) => `| ${r.head === 'distance' ? '‖f(xᵢ) − f(xⱼ)‖, contrastive loss (margin 1)' : 'σ(w·|f(xᵢ) − f(xⱼ)| + b), cross-entropy'} | ${fmt(r.auc, 3)} | ${fmt(r.oneShot, 3)} | 0.5 / 0.2 |`),
    ].join('\n');
    log(`\n${table}\n`);
    return {
      hebb: results.map((r) => `${r.head}: ROC-AUC ${fmt(r.auc, 3)}, one-shot ${fmt(r.oneShot, 3)}`).join('; '),
      setup: `Encoder conv16-pool-conv32-pool-dense32 shared by both branches; ${cfg.pairs} balanced pairs of training digits 0–4 (from the first ${cfg.train}), ` +
        `Adam 1e-3, batch ${cfg.batchSize}, ${cfg.epochs} epochs. Tests on digits 5–9 among the first ${cfg.test} test digits: ${cfg.testPairs} balanced pairs for ROC-AUC, ${cfg.trials} one-shot trials.\n\n${table}`,
      checks: results.flatMap((r) => [
        check(r.auc > 0.8, `${r.head}: ROC-AUC ${fmt(r.auc, 3)} > 0.8 on unseen digits`),
        check(r.oneShot > 0.5, `${r.head}: 5-way one-shot accuracy ${fmt(r.oneShot, 3)} > 0.5 (chance 0.2)`),
      ]),
    };
  },
};

await main(experiment, import.meta.url);
