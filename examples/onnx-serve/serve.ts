// Train in hebb, export to ONNX, serve with ONNX Runtime (docs/onnx.md walks through it).
//
//   npx tsx examples/onnx-serve/serve.ts [--out DIR] [--train N] [--epochs E]
//
// Trains LeNet-5 on N MNIST training digits, exports it with hb.io.exportOnnx, then classifies
// the 1,000 first test digits three ways — hebb, onnxruntime-node (native, as a server would)
// and onnxruntime-web (its WebAssembly build, the one a browser page loads) — and asserts that
// the three agree: the same predicted class for every digit and probabilities within 1e-4.
// It writes DIR/model.onnx and DIR/digits.json (16 test digits) for index.html beside this file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import * as hb from '../../src/index.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const out = arg('out', join('examples', 'onnx-serve'));
const nTrain = Number(arg('train', '6000'));
const epochs = Number(arg('epochs', '2'));

hb.setSeed(1);
const { train, test } = await hb.datasets.mnist();
const x = hb.slice(train.images, [0], [nTrain]);
const y = hb.oneHot(hb.slice(train.labels, [0], [nTrain]), 10);
const model = hb.zoo.lenet5();
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(x, y, { epochs, batchSize: 64, verbose: 0 });

// 1. Export: channels-last input [N, 28, 28, 1], softmax output [N, 10], any batch size.
mkdirSync(out, { recursive: true });
const file = join(out, 'model.onnx');
await hb.io.exportOnnx(model, file);

// 2. Classify 1,000 test digits with hebb and with both runtimes.
const xs = hb.slice(test.images, [0], [1000]);
const labels = Array.from(hb.slice(test.labels, [0], [1000]).dataSync());
const want = (model.predict(xs) as hb.Tensor).dataSync() as Float32Array;
const input = Float32Array.from(xs.dataSync() as Float32Array);

async function classify(ort: typeof ortNode | typeof ortWeb, name: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(file.startsWith('/') ? file : join(process.cwd(), file));
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1000, 28, 28, 1]) });
  const probs = result[session.outputNames[0]].data as Float32Array;
  console.log(`${name}: ran ${file}`);
  return probs;
}
ortWeb.env.wasm.numThreads = 1;
const fromNode = await classify(ortNode, 'onnxruntime-node');
const fromWeb = await classify(ortWeb, 'onnxruntime-web (wasm)');

const argmaxRows = (p: Float32Array): number[] => Array.from({ length: p.length / 10 }, (_, i) => {
  const row = p.subarray(10 * i, 10 * i + 10);
  return row.indexOf(Math.max(...row));
});
const accuracy = (pred: number[]): number => pred.filter((c, i) => c === labels[i]).length / labels.length;
const maxDiff = (p: Float32Array): number => p.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);
const [ph, pn, pw] = [want, fromNode, fromWeb].map(argmaxRows);
console.log(`test accuracy on 1000 digits: hebb ${accuracy(ph).toFixed(3)}, onnxruntime-node ${accuracy(pn).toFixed(3)}, onnxruntime-web ${accuracy(pw).toFixed(3)}`);
console.log(`largest probability difference from hebb: node ${maxDiff(fromNode).toExponential(2)}, web ${maxDiff(fromWeb).toExponential(2)}`);
if (pn.some((c, i) => c !== ph[i]) || pw.some((c, i) => c !== ph[i])) throw new Error('a runtime predicted a different class from hebb');
if (maxDiff(fromNode) > 1e-4 || maxDiff(fromWeb) > 1e-4) throw new Error('probabilities differ from hebb by more than 1e-4');
if (accuracy(ph) < 0.9) throw new Error(`LeNet-5 reached only ${accuracy(ph)} on the test digits`);

// 3. Sixteen digits for the page.
const sample = Array.from({ length: 16 }, (_, i) => ({ label: labels[i], pixels: Array.from(input.subarray(784 * i, 784 * (i + 1)), (v) => Math.round(v * 255)) }));
writeFileSync(join(out, 'digits.json'), JSON.stringify(sample));
console.log(`wrote ${file} and ${join(out, 'digits.json')}`);
