// Continue training a detector saved by `hebb train digit-scenes --limit 5000 --out DIR` for 3
// more epochs at a lower learning rate (Adam 3e-4) on the same scenes, then score mAP@0.5 on the
// same 500 test scenes the CLI scores (seed 1001) and save the result. (Since 2026-12-04 the
// CLI's default recipe ends with 3 epochs at 0.3 × the learning rate itself; this script is
// the earlier second stage, after a run of the old recipe: 10 epochs at a constant 1e-3.)
//
//   npx tsx examples/detector-finetune.ts DIR OUT
import * as hb from '../src/index.js';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: npx tsx examples/detector-finetune.ts DIR OUT');
const t0 = performance.now();
const model = await hb.loadModel(dir, { compile: false });
const train = await hb.datasets.digitScenes({ n: 5000, split: 'train', seed: 1 });
const test = await hb.datasets.digitScenes({ n: 500, split: 'test', seed: 1001 });
const yoloLoss = (y: hb.Tensor, p: hb.Tensor): hb.Tensor => hb.zoo.yoloLoss(y, p);
model.compile({ optimizer: hb.optimizers.adam({ learningRate: 3e-4 }), loss: yoloLoss });
await model.fit(train.images, hb.zoo.yoloTargets(train.boxes, train.labels), { epochs: 3, batchSize: 32, seed: 2, verbose: 2 });
const det = new hb.Detector(model);
const r = hb.zoo.meanAveragePrecision(det.detect(test.images, { scoreThreshold: 0.05, iouThreshold: 0.5 }), test.boxes, test.labels);
console.log('mAP@0.5', r.map.toFixed(3), JSON.stringify(Object.fromEntries(Object.entries(r.perClass).map(([k, v]) => [k, +v.toFixed(2)]))), 'seconds', ((performance.now() - t0) / 1000).toFixed(0));
await model.save(out);
