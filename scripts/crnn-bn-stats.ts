// Re-estimate a saved CRNN's batch-normalisation statistics over training strips and save it
// again (what `hebb train digit-strips` now does after every epoch; for runs made before that).
//   npx tsx scripts/crnn-bn-stats.ts IN_DIR OUT_DIR [strips=512]
import { estimateBatchNorm } from '../cli/commands/digit-strips.js';
import * as hb from '../src/index.js';

async function main(): Promise<void> {
  const [inDir, outDir, count = '512'] = process.argv.slice(2);
  if (!inDir || !outDir) throw new Error('usage: tsx scripts/crnn-bn-stats.ts IN_DIR OUT_DIR [strips]');
  await hb.ready();
  const model = await hb.loadModel(inDir);
  const { images, labels } = await hb.datasets.digitStrips({ n: Number(count), split: 'train', seed: 1 });
  estimateBatchNorm(model, { images: Float32Array.from(images.dataSync() as Float32Array), labels }, Number(count));
  await model.save(outDir);
  console.log(`saved ${outDir}`);
}
void main();
