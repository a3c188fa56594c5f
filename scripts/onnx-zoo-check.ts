// Every zoo model exported to ONNX and run in onnxruntime-node, compared with hebb's own output.
// The unit suite (test/onnx/export.test.ts) covers the models that build in seconds; this runs all
// of them, including AlexNet, the VGGs and the deeper ResNets whose full-size weights (up to 140M
// parameters) take minutes to initialise and export on a shared machine.
//
//   npx tsx scripts/onnx-zoo-check.ts [name …]     exits 1 if any model differs by 1e-4 or more
import * as ort from 'onnxruntime-node';
import * as hb from '../src/index.js';

/** Small inputs each model accepts (its own minimum where it has one). */
const SIZES: Record<string, number[]> = {
  mlp: [28, 28, 1], lenet5: [28, 28, 1], alexnet: [67, 67, 3], nin: [32, 32, 3],
  vgg11: [32, 32, 3], vgg13: [32, 32, 3], vgg16: [32, 32, 3], vgg19: [32, 32, 3], googlenet: [32, 32, 3],
  resnet18: [32, 32, 3], resnet34: [32, 32, 3], resnet50: [32, 32, 3], resnet101: [32, 32, 3], resnet152: [32, 32, 3],
  densenet121: [32, 32, 3], mobilenetV1: [32, 32, 3], mobilenetV2: [32, 32, 3], shufflenetV2: [32, 32, 3], squeezenet: [35, 35, 3],
};

async function runOrt(bytes: Uint8Array, feeds: Record<string, hb.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const input: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) input[k] = new ort.Tensor('float32', Float32Array.from(t.dataSync() as Float32Array), t.shape);
  const out = await session.run(input);
  return out[session.outputNames[0]].data as Float32Array;
}

function diff(a: Float32Array, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - Number(b[i])));
  return m;
}

const only = process.argv.slice(2);
let worst = 0;
let failed = false;
for (const [name, shape] of Object.entries(SIZES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const t0 = performance.now();
  hb.setSeed(11);
  const make = (hb.zoo as unknown as Record<string, (o: object) => hb.Model>)[name];
  const m = make({ inputShape: shape, classes: 10 });
  const x = hb.randomUniform([2, ...shape]);
  const bytes = hb.io.exportOnnxBytes(m);
  const d = diff(await runOrt(bytes, { [m.inputNames[0]]: x }), (m.predict(x) as hb.Tensor).dataSync());
  worst = Math.max(worst, d);
  if (!(d < 1e-4)) failed = true;
  console.log(`${name.padEnd(13)} params ${String(m.countParams()).padStart(10)}  onnx ${(bytes.length / 1e6).toFixed(1).padStart(6)} MB  max |hebb − ort| ${d.toExponential(2)}  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
if (only.length === 0 || only.includes('gcn')) {
  hb.setSeed(11);
  const g = hb.zoo.gcn({ features: 6, classes: 3 });
  const xs = [hb.randomNormal([5, 6]), hb.randomUniform([5, 5])];
  const d = diff(await runOrt(hb.io.exportOnnxBytes(g), { [g.inputNames[0]]: xs[0], [g.inputNames[1]]: xs[1] }), (g.predict(xs) as hb.Tensor).dataSync());
  worst = Math.max(worst, d);
  if (!(d < 1e-4)) failed = true;
  console.log(`gcn           max |hebb − ort| ${d.toExponential(2)}`);
}
if (only.length === 0 || only.includes('capsnet')) {
  // CapsNet with its reconstruction decoder: inputs image [N, 28, 28, 1] and one-hot label [N, 10].
  hb.setSeed(11);
  const c = hb.zoo.capsnet({ decoder: true });
  const xs = [hb.randomUniform([2, 28, 28, 1]), hb.oneHot(hb.tensor([3, 7], [2], 'int32'), 10)];
  const d = diff(await runOrt(hb.io.exportOnnxBytes(c), { [c.inputNames[0]]: xs[0], [c.inputNames[1]]: xs[1] }), ((c.predict(xs) as hb.Tensor[])[0]).dataSync());
  worst = Math.max(worst, d);
  if (!(d < 1e-4)) failed = true;
  console.log(`capsnet       max |hebb − ort| ${d.toExponential(2)} (class lengths)`);
}
console.log(`largest difference: ${worst.toExponential(2)}`);
process.exit(failed ? 1 : 0);
