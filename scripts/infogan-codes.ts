// Which digit each category of an InfoGAN code draws: `npx tsx scripts/infogan-codes.ts DIR [JUDGE]`
// samples 2,000 standard normal z from DIR/generator (a dcgan run of `hebb train gan`), groups them
// by the code read off z (hb.generative.latentCode), and has the judge LeNet-5 (default
// runs/judge-lenet5) name each sample's digit: per code, the share of its samples, the digit most
// often drawn and how often, and the mean top-class probability.
import { join } from 'node:path';
import * as hb from '../src/index.js';

const dir = process.argv[2];
const judgeDir = process.argv[3] ?? join('runs', 'judge-lenet5');
if (!dir) throw new Error('usage: npx tsx scripts/infogan-codes.ts DIR [JUDGE]');
await hb.ready();
const generator = await hb.loadModel(join(dir, 'generator'));
const judge = await hb.loadModel(judgeDir);
const code = generator.layers.find((l) => l instanceof hb.generative.LatentCode) as hb.generative.LatentCode | undefined;
if (!code) throw new Error(`${dir}/generator has no LatentCode layer`);
const k = code.classes;
const n = 2000;
const z = hb.randomNormal([n, generator.inputs[0].shape[1] ?? 100], { seed: 7 });
const codes = Array.from(hb.argmax(hb.generative.latentCode(z, k), 1).dataSync());
const images = generator.predict(z) as hb.Tensor;
const probs = (judge.predict(images) as hb.Tensor).dataSync(); // the LeNet ends in a softmax
const rows = Array.from({ length: k }, () => ({ count: 0, digits: new Array<number>(10).fill(0), top: 0 }));
for (let i = 0; i < n; i++) {
  const p = Array.from(probs.subarray(i * 10, i * 10 + 10));
  const best = p.indexOf(Math.max(...p));
  const r = rows[codes[i]];
  r.count++;
  r.digits[best]++;
  r.top += p[best];
}
console.log('code  share   digit (of its samples)  mean top prob.');
rows.forEach((r, c) => {
  const d = r.digits.indexOf(Math.max(...r.digits));
  console.log(`${String(c).padStart(4)}  ${((100 * r.count) / n).toFixed(1).padStart(5)} %  ${d} (${((100 * r.digits[d]) / Math.max(r.count, 1)).toFixed(1).padStart(5)} %)          ${(r.top / Math.max(r.count, 1)).toFixed(3)}`);
});
