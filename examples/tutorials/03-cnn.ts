// Generated from docs/tutorials/03-cnn.md by `npx tsx scripts/tutorials.ts --write`: edit the tutorial, not this file.
// Run: npx tsx examples/tutorials/03-cnn.ts
import * as hb from '../../src/index.js';

const image = hb.tensor([
  [0, 0, 0, 0, 0, 0],
  [0, 1, 1, 1, 1, 0],
  [0, 1, 1, 1, 1, 0],
  [0, 1, 1, 1, 1, 0],
  [0, 1, 1, 1, 1, 0],
  [0, 0, 0, 0, 0, 0],
]).reshape([1, 6, 6, 1]);                                    // [N, H, W, C]

const verticalEdge = hb.tensor([
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
]).reshape([3, 3, 1, 1]);                                    // [kh, kw, in, out]

const edges = hb.conv2d(image, verticalEdge, { padding: 'valid' });   // [1, 4, 4, 1]
console.log('vertical edges:\n', edges.reshape([4, 4]).toArray());

const grid = hb.tensor([
  [1, 3, 2, 1],
  [4, 6, 5, 0],
  [7, 2, 9, 8],
  [1, 0, 3, 4],
]).reshape([1, 4, 4, 1]);
console.log('max pool:', hb.maxPool2d(grid, { poolSize: 2 }).reshape([2, 2]).toArray());   // [[6, 5], [7, 9]]
console.log('avg pool:', hb.avgPool2d(grid, { poolSize: 2 }).reshape([2, 2]).toArray());   // [[3.5, 2], [2.5, 6]]

const { train, test } = await hb.datasets.mnist({ trainLimit: 2000, testLimit: 500 });
console.log('train images', train.images.shape, 'labels', train.labels.shape);   // [2000, 28, 28, 1] [2000]

hb.setSeed(1);
const cnn = hb.sequential([
  hb.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),   // → 24×24×8
  hb.layers.maxPooling2d({ poolSize: 2 }),                                                        // → 12×12×8
  hb.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),                           // → 8×8×16
  hb.layers.maxPooling2d({ poolSize: 2 }),                                                        // → 4×4×16
  hb.layers.flatten(),
  hb.layers.dense({ units: 10, activation: 'softmax' }),
]);
cnn.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
cnn.summary();
await cnn.fit(train.images, train.labels, { epochs: 3, batchSize: 32, verbose: 0 });
const { loss: testLoss, accuracy: testAccuracy } = await cnn.evaluate(test.images, test.labels);   // Logs by name
console.log(`test loss ${testLoss.toFixed(3)}, accuracy ${(100 * testAccuracy).toFixed(1)} %`);

const firstConv = cnn.layers[0].name;
const [maps] = hb.explain.featureMaps(cnn, test.images.slice([0], [1]), [firstConv]);
console.log(`feature maps of ${firstConv}:`, maps.shape);                                  // [1, 24, 24, 8]
const tiled = hb.explain.tileImages(hb.transpose(maps, [3, 1, 2, 0]), { columns: 4 });    // 8 maps in a 2×4 grid
console.log('tiled:', tiled.shape);
