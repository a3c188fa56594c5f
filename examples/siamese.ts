// Lecture (applications): face verification and one-shot learning with a Siamese network. One
// encoder embeds both images; a head compares them — the distance ‖f(xᵢ) − f(xⱼ)‖ trained with
// the contrastive loss (or the triplet loss, on the encoder alone), or a logistic unit on
// |f(xᵢ) − f(xⱼ)| trained with cross-entropy. Trained only on digits 0–4, it is tested on digits
// 5–9, which it never saw: verification (same digit or not? ROC-AUC over balanced pairs) and
// 5-way one-shot classification (one example of each of 5–9 given; the query goes to the
// nearest, or most probably-same, example). Rows: raw pixels (no training) as the reference;
// the contrastive distance head on a 32-d embedding, and on the L2-normalised 800 conv features
// (no dense bottleneck: a dense layer trained on five classes collapses what new classes need);
// the logistic head as the decks draw it (free weights, 32-d) and as hb.zoo.siamese builds it
// (w ≤ 0, on the normalised conv features);
// and the triplet loss with semi-hard negatives (hb.zoo.tripletSemiHardLoss) on the conv features.
//
//   npx tsx examples/siamese.ts            (full: ~4 min on 2 busy cores, backend native)
//   npx tsx examples/siamese.ts --quick
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';

const FULL = { train: 10000, test: 3000, pairs: 6000, epochs: 3, tripletEpochs: 2, testPairs: 2000, trials: 500, batchSize: 64 };
const QUICK = { train: 600, test: 400, pairs: 200, epochs: 1, tripletEpochs: 1, testPairs: 100, trials: 40, batchSize: 32 };

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

/** embedding 0: no dense layer, the embedding is the 800 flattened conv features. */
interface EncoderConfig { embedding: number; dropout: number }
const SMALL: EncoderConfig = { embedding: 32, dropout: 0 };
const CONV: EncoderConfig = { embedding: 0, dropout: 0 };

function encoder({ embedding, dropout }: EncoderConfig): hb.Model {
  return hb.sequential([
    hb.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    hb.layers.maxPooling2d({ poolSize: 2 }),
    hb.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    hb.layers.maxPooling2d({ poolSize: 2 }),
    hb.layers.flatten(),
    ...(dropout > 0 ? [hb.layers.dropout({ rate: dropout })] : []),
    ...(embedding > 0 ? [hb.layers.dense({ units: embedding, name: 'embedding' })] : []),
  ], { name: 'encoder' });
}

/** The decks' logistic head with free weights: σ(w·|f(xᵢ) − f(xⱼ)| + b), w of either sign. */
function freeLogistic(enc: hb.Model): hb.Model {
  const a = hb.input({ shape: [28, 28, 1] });
  const b = hb.input({ shape: [28, 28, 1] });
  const diff = new hb.zoo.PairDistance({ mode: 'absDiff' }).apply([enc.apply(a), enc.apply(b)] as hb.SymbolicTensor[]);
  const p = hb.layers.dense({ units: 1, activation: 'sigmoid' }).apply(diff) as hb.SymbolicTensor;
  return hb.model({ inputs: [a, b], outputs: p });
}

const take = (t: hb.Tensor, idx: number[]) => hb.gather(t, hb.tensor(idx, [idx.length], 'int32'));

type Method = 'pixels' | 'contrastive' | 'contrastive-l2' | 'logistic-free' | 'logistic-small' | 'logistic' | 'triplet';
const LABELS: Record<Method, string> = {
  pixels: 'raw pixels, ‖xᵢ − xⱼ‖ (no training)',
  contrastive: '‖f(xᵢ) − f(xⱼ)‖, contrastive loss (margin 1)',
  'contrastive-l2': '‖f(xᵢ) − f(xⱼ)‖, L2-normalised f = the 800 conv features (no dense layer), contrastive (margin 1)',
  'logistic-free': 'σ(w·\\|f(xᵢ) − f(xⱼ)\\| + b), free w (the decks\' head), cross-entropy',
  'logistic-small': 'σ(w·\\|f(xᵢ) − f(xⱼ)\\| + b), w ≤ 0 (zoo.siamese), the same 32-d f as the free head, cross-entropy',
  logistic: 'σ(w·\\|f(xᵢ) − f(xⱼ)\\| + b), w ≤ 0 (zoo.siamese), L2-normalised f = the 800 conv features, cross-entropy',
  triplet: '‖f(xᵢ) − f(xⱼ)‖, L2-normalised f = the 800 conv features (no dense layer), triplet loss with semi-hard negatives (margin 0.5)',
};

export const experiment: Experiment = {
  name: 'siamese',
  title: 'Siamese verification and 5-way one-shot on unseen digits',
  deck: 'a Siamese network with a distance or a logistic head on |f(xᵢ) − f(xⱼ)| verifies and recognises from one example classes it never trained on',
  async run({ quick, seed, log }) {
    const cfg = quick ? QUICK : FULL;
    hb.setSeed(seed);
    const data = await loadMnist(cfg.train, cfg.test);
    const random = rng(seed);
    const trainLabels = data.train.labels.dataSync();
    const trainGroups = byClass(trainLabels, [0, 1, 2, 3, 4]);
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
    const pairX = [take(xTrain, trainPairs.a), take(xTrain, trainPairs.b)];
    const pairY = hb.tensor(trainPairs.same, [cfg.pairs, 1]);
    // The triplet encoder trains on single labelled digits 0–4 (as many as the pairs hold).
    const digits0to4 = [...trainGroups.values()].flat().sort((p, q) => p - q);

    /** Train one method; returns a pair model and whether a higher output means "same". */
    const train = async (method: Method): Promise<{ m: hb.Model; higherSame: boolean }> => {
      hb.setSeed(seed);
      switch (method) {
        case 'pixels': {
          const inp = hb.input({ shape: [28, 28, 1] });
          const identity = hb.model({ inputs: inp, outputs: hb.layers.flatten().apply(inp) as hb.SymbolicTensor });
          return { m: hb.zoo.siamese({ encoder: identity }), higherSame: false };
        }
        case 'contrastive':
        case 'contrastive-l2': {
          const m = method === 'contrastive' ? hb.zoo.siamese({ encoder: encoder(SMALL) }) : hb.zoo.siamese({ encoder: encoder(CONV), normalize: true });
          m.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), loss: hb.losses.contrastive });
          await m.fit(pairX, pairY, { epochs: cfg.epochs, batchSize: cfg.batchSize, verbose: 0, seed });
          return { m, higherSame: false };
        }
        case 'logistic-free':
        case 'logistic-small':
        case 'logistic': {
          const m = method === 'logistic' ? hb.zoo.siamese({ encoder: encoder(CONV), head: 'logistic', normalize: true })
            : method === 'logistic-small' ? hb.zoo.siamese({ encoder: encoder(SMALL), head: 'logistic' })
              : freeLogistic(encoder(SMALL));
          m.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), loss: 'binaryCrossentropy' });
          await m.fit(pairX, pairY, { epochs: cfg.epochs, batchSize: cfg.batchSize, verbose: 0, seed });
          return { m, higherSame: true };
        }
        case 'triplet': {
          const embed = hb.sequential([encoder(CONV), new hb.zoo.L2Normalize()]);
          embed.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), loss: (y: hb.Tensor, e: hb.Tensor) => hb.zoo.tripletSemiHardLoss(y, e, { margin: 0.5 }) });
          await embed.fit(take(xTrain, digits0to4), take(data.train.labels, digits0to4), { epochs: cfg.tripletEpochs, batchSize: cfg.batchSize, verbose: 0, seed });
          return { m: hb.zoo.siamese({ encoder: embed }), higherSame: false };
        }
      }
    };

    const methods: Method[] = ['pixels', 'contrastive', 'contrastive-l2', 'logistic-free', 'logistic-small', 'logistic', 'triplet'];
    const results: { method: Method; auc: number; oneShot: number; seconds: number }[] = [];
    for (const method of methods) {
      const t = performance.now();
      const { m, higherSame } = await train(method);
      const seconds = (performance.now() - t) / 1000;
      // Higher score = more likely the same digit.
      const score = (a: number[], b: number[]): number[] => {
        const out = Array.from((m.predict([take(xTest, a), take(xTest, b)], { batchSize: 250 }) as hb.Tensor).dataSync());
        return higherSame ? out : out.map((d) => -d);
      };
      const auc = rocAuc(score(testPairs.a, testPairs.b), testPairs.same);
      const s = score(trials.flatMap((tr) => tr.supports.map(() => tr.query)), trials.flatMap((tr) => tr.supports));
      let correct = 0;
      trials.forEach((tr, i) => {
        const row = s.slice(5 * i, 5 * i + 5);
        if (row.indexOf(Math.max(...row)) === tr.answer) correct++;
      });
      const oneShot = correct / trials.length;
      log(`${method}: verification ROC-AUC ${fmt(auc, 3)}, 5-way one-shot accuracy ${fmt(oneShot, 3)} (${fmt(seconds, 0)} s training)`);
      results.push({ method, auc, oneShot, seconds });
    }
    const table = [
      '| trained on 0–4, tested on 5–9 | verification ROC-AUC | 5-way one-shot accuracy | training |',
      '|---|---|---|---|',
      ...results.map((r) => `| ${LABELS[r.method]} | ${fmt(r.auc, 3)} | ${fmt(r.oneShot, 3)} | ${fmt(r.seconds, 0)} s |`),
      '| chance | 0.5 | 0.2 | |',
    ].join('\n');
    log(`\n${table}\n`);
    const get = (m: Method) => results.find((r) => r.method === m)!;
    const trained = results.filter((r) => r.method !== 'pixels');
    const best = trained.reduce((p, q) => (q.auc > p.auc ? q : p));
    const bestOneShot = trained.reduce((p, q) => (q.oneShot > p.oneShot ? q : p));
    return {
      hebb: results.map((r) => `${r.method}: ROC-AUC ${fmt(r.auc, 3)}, one-shot ${fmt(r.oneShot, 3)}`).join('; '),
      setup: `Encoder conv16-pool-conv32-pool-dense32 (rows marked "800 conv features": no dense layer, the embedding is the 5×5×32 conv output) shared by both branches; ${cfg.pairs} balanced pairs of training digits 0–4 (from the first ${cfg.train}), ` +
        `Adam 1e-3, batch ${cfg.batchSize}, ${cfg.epochs} epochs; the triplet encoder: the ${digits0to4.length} single digits 0–4 of those, ${cfg.tripletEpochs} epochs, semi-hard negatives mined in each batch of ${cfg.batchSize}. ` +
        `Tests on digits 5–9 among the first ${cfg.test} test digits: ${cfg.testPairs} balanced pairs for ROC-AUC, ${cfg.trials} one-shot trials.\n\n${table}`,
      checks: [
        check(get('logistic-small').auc > get('logistic-free').auc + 0.05, `on the same encoder, the w ≤ 0 logistic head transfers better than the free one (ROC-AUC ${fmt(get('logistic-small').auc, 3)} vs ${fmt(get('logistic-free').auc, 3)})`),
        ...(['contrastive', 'contrastive-l2', 'logistic-small', 'logistic', 'triplet'] as const).map((m) =>
          check(get(m).auc > 0.65 && get(m).oneShot > 0.4, `${m}: transfers to unseen digits (ROC-AUC ${fmt(get(m).auc, 3)} > 0.65, one-shot ${fmt(get(m).oneShot, 3)} > 0.4 = 2× chance)`)),
        check(best.auc > get('pixels').auc + 0.1, `the best head beats raw pixels by > 0.1 ROC-AUC (${best.method}: ${fmt(best.auc, 3)} vs ${fmt(get('pixels').auc, 3)})`),
        check(best.auc > 0.8, `best ROC-AUC ${fmt(best.auc, 3)} (${best.method}) > 0.8 on unseen digits`),
        check(bestOneShot.oneShot > 0.5, `best 5-way one-shot accuracy ${fmt(bestOneShot.oneShot, 3)} (${bestOneShot.method}) > 0.5 (chance 0.2)`),
      ],
    };
  },
};

await main(experiment, import.meta.url);
