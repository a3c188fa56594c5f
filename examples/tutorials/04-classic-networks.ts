// Generated from docs/tutorials/04-classic-networks.md by `npx tsx scripts/tutorials.ts --write`: edit the tutorial, not this file.
// Run: npx tsx examples/tutorials/04-classic-networks.ts
import * as hb from '../../src/index.js';

const lenet = hb.zoo.lenet5();            // inputShape [28, 28, 1], 10 classes
lenet.summary();
const probabilities = lenet.predict(hb.randomUniform([2, 28, 28, 1], { seed: 1 })) as hb.Tensor;
console.log('untrained LeNet-5 on two random images:', probabilities.shape);   // [2, 10], rows sum to 1

const builders = {
  resnet18: () => hb.zoo.resnet18({ inputShape: [32, 32, 3], classes: 10 }),
  googlenet: () => hb.zoo.googlenet({ inputShape: [64, 64, 3], classes: 10 }),
  mobilenetV2: () => hb.zoo.mobilenetV2({ inputShape: [32, 32, 3], classes: 10 }),
  squeezenet: () => hb.zoo.squeezenet({ inputShape: [64, 64, 3], classes: 10 }),
};
for (const [name, build] of Object.entries(builders)) {
  const m = build();
  console.log(`${name.padEnd(12)} ${String(m.layers.length).padStart(4)} layers ${m.countParams().toLocaleString('en').padStart(12)} parameters`);
}

function residualBlock(x: hb.SymbolicTensor, filters: number): hb.SymbolicTensor {
  let y = hb.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as hb.SymbolicTensor;
  y = hb.layers.batchNormalization().apply(y) as hb.SymbolicTensor;
  y = hb.layers.activation({ activation: 'relu' }).apply(y) as hb.SymbolicTensor;
  y = hb.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as hb.SymbolicTensor;
  y = hb.layers.batchNormalization().apply(y) as hb.SymbolicTensor;
  const sum = hb.layers.add().apply([x, y]) as hb.SymbolicTensor;            // the skip connection
  return hb.layers.activation({ activation: 'relu' }).apply(sum) as hb.SymbolicTensor;
}

function inceptionModule(x: hb.SymbolicTensor): hb.SymbolicTensor {
  const conv = (input: hb.SymbolicTensor, filters: number, kernelSize: number) =>
    hb.layers.conv2d({ filters, kernelSize, padding: 'same', activation: 'relu' }).apply(input) as hb.SymbolicTensor;
  const branch1 = conv(x, 16, 1);
  const branch3 = conv(conv(x, 8, 1), 16, 3);
  const branch5 = conv(conv(x, 4, 1), 8, 5);
  const pooled = conv(hb.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x) as hb.SymbolicTensor, 8, 1);
  return hb.layers.concatenate().apply([branch1, branch3, branch5, pooled]) as hb.SymbolicTensor;   // 16 + 16 + 8 + 8 channels
}

const input = hb.input({ shape: [32, 32, 3] });
let h = hb.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as hb.SymbolicTensor;
h = residualBlock(h, 16);
h = inceptionModule(h);
h = hb.layers.globalAveragePooling2d().apply(h) as hb.SymbolicTensor;   // NIN's global average pooling
const output = hb.layers.dense({ units: 10, activation: 'softmax' }).apply(h) as hb.SymbolicTensor;
const net = hb.model({ inputs: input, outputs: output, name: 'tiny_resnet_inception' });
console.log(net.name, 'has', net.countParams(), 'parameters; output', (net.predict(hb.randomUniform([4, 32, 32, 3])) as hb.Tensor).shape);

const base = hb.zoo.mobilenetV2({ inputShape: [32, 32, 3], includeTop: false });
base.trainable = false;
const features = base.apply(hb.input({ shape: [32, 32, 3] })) as hb.SymbolicTensor;
console.log('MobileNetV2 features for 32×32 images:', features.shape);
