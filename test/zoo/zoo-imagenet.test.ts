// The ImageNet-sized zoo: parameter counts at [224, 224, 3] and 1000 classes against the
// published ones (Keras applications, else torchvision), counted by a dry run over layer configs
// (building VGG16 would initialise 138 M weights); the dry run checked against real models at a
// small input; and each small model summarised, predicting distributions and taking a training step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { countZooParams, layerParams, symbolicGraph } from '../../src/zoo/graph.js';
import { shuffle, split } from '../../src/zoo/shufflenet.js';

type Maker = (o?: { inputShape?: number[]; classes?: number; includeTop?: boolean; alpha?: number }) => hb.Model;
const zoo = hb.zoo as unknown as Record<string, Maker>;

// [name, total, trainable]: Keras counts include BN's moving mean and variance; torchvision's
// (ResNet-18/34, GoogLeNet) do not, so there `trainable` is the published number.
const PUBLISHED: [string, number, number][] = [
  ['alexnet', 61_100_840, 61_100_840], // torchvision alexnet
  ['nin', 7_595_176, 7_595_176], // NIN-Imagenet Caffe prototxt, by hand in nin.ts
  ['vgg11', 132_863_336, 132_863_336], // torchvision vgg11
  ['vgg13', 133_047_848, 133_047_848], // torchvision vgg13
  ['vgg16', 138_357_544, 138_357_544], // Keras VGG16
  ['vgg19', 143_667_240, 143_667_240], // Keras VGG19
  ['resnet18', 11_699_112, 11_689_512], // torchvision resnet18 + 2·4,800 BN statistics
  ['resnet34', 21_814_696, 21_797_672], // torchvision resnet34 + 2·8,512
  ['resnet50', 25_636_712, 25_583_592], // Keras ResNet50
  ['resnet101', 44_707_176, 44_601_832], // Keras ResNet101
  ['resnet152', 60_419_944, 60_268_520], // Keras ResNet152
  ['googlenet', 6_639_464, 6_624_904], // torchvision googlenet (no aux) + 2·7,280
  ['squeezenet', 1_235_496, 1_235_496], // torchvision squeezenet1_1
  ['densenet121', 8_062_504, 7_978_856], // Keras DenseNet121
  ['mobilenetV1', 4_253_864, 4_231_976], // Keras MobileNet, alpha 1
  ['mobilenetV2', 3_538_984, 3_504_872], // Keras MobileNetV2, alpha 1
  ['shufflenetV2', 2_294_784, 2_278_604], // torchvision shufflenet_v2_x1_0 + 2·8,090
];

describe('zoo: published parameter counts at [224, 224, 3], 1000 classes (dry run)', () => {
  it.each(PUBLISHED)('%s has %i parameters (%i trainable)', (name, total, trainable) => {
    expect(countZooParams(zoo[name])).toEqual({ total, trainable, outputShape: [null, 1000] });
  });

  it('without the classifier: Keras\'s include_top=False counts and feature-map shapes', () => {
    const headless: [string, number, number[]][] = [
      ['vgg16', 14_714_688, [7, 7, 512]],
      ['resnet50', 23_587_712, [7, 7, 2048]],
      ['densenet121', 7_037_504, [7, 7, 1024]],
      ['mobilenetV1', 3_228_864, [7, 7, 1024]],
      ['mobilenetV2', 2_257_984, [7, 7, 1280]],
    ];
    for (const [name, total, shape] of headless) {
      const c = countZooParams(zoo[name], { includeTop: false });
      expect([name, c.total, c.outputShape]).toEqual([name, total, [null, ...shape]]);
    }
  });

  it('refuses layers it has no rule for, and options the model cannot take', () => {
    // LSTM declares its weights: 4 gates × (2 inputs + 4 recurrent + 1 bias) × 4 units.
    expect(layerParams(hb.layers.lstm({ units: 4 }), [[null, 3, 2]])).toEqual({ trainable: 4 * (2 + 4 + 1) * 4, frozen: 0 });
    class Opaque extends hb.Layer {
      static override readonly className = 'Opaque';
      call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor {
        return Array.isArray(inputs) ? inputs[0] : inputs;
      }
    }
    expect(() => layerParams(new Opaque({ name: 'opaque' }), [[null, 3]])).toThrow(/no parameter rule for Opaque 'opaque'/);
    expect(() => zoo.resnet50({ classes: 0 })).toThrow(/zoo\.resnet50: classes/);
    expect(() => zoo.vgg16({ inputShape: [224, 224] })).toThrow(/zoo\.vgg16: inputShape must have 3 axes/);
    expect(() => zoo.mobilenetV2({ alpha: -1 })).toThrow(/zoo\.mobilenetV2: alpha/);
    expect(() => countZooParams(zoo.mobilenetV1, { alpha: 0 })).toThrow(hb.ValueError);
  });
});

// [name, small input side]: the least a model's downsampling allows (AlexNet's valid pools need 63).
const SMALL: [string, number][] = [
  ['alexnet', 64], ['nin', 32], ['vgg11', 32], ['vgg13', 32], ['vgg16', 32], ['vgg19', 32],
  ['resnet18', 32], ['resnet34', 32], ['resnet50', 32], ['resnet101', 32], ['resnet152', 32],
  ['googlenet', 32], ['squeezenet', 32], ['densenet121', 32], ['mobilenetV1', 32], ['mobilenetV2', 32], ['shufflenetV2', 32],
];

describe('zoo: small ImageNet-style models build, summarise, predict and train', () => {
  it.each(SMALL)('%s at side %i, 3 classes', (name, side) => {
    const options = { inputShape: [side, side, 3], classes: 3 };
    const model = zoo[name](options);
    // The dry run agrees with the real model: total, trainable, output shape.
    const dry = countZooParams(zoo[name], options);
    expect(dry).toEqual({ total: model.countParams(), trainable: model.countParams({ trainableOnly: true }), outputShape: [null, 3] });
    expect(model.summary({ print: false })).toContain(model.countParams().toLocaleString('en-US'));

    const x = hb.randomUniform([2, side, side, 3], { seed: 7 });
    const p = model.predict(x) as hb.Tensor;
    expect(p.shape).toEqual([2, 3]);
    for (const row of p.toArray() as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    model.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    const { loss } = model.trainOnBatch(x, hb.oneHot(hb.tensor([0, 2], [2], 'int32'), 3));
    expect(Number.isFinite(loss)).toBe(true);
  });

  it('MobileNets take a width multiplier (dry run = real model at alpha 0.5)', () => {
    for (const name of ['mobilenetV1', 'mobilenetV2']) {
      const options = { inputShape: [32, 32, 3], classes: 4, alpha: 0.5 };
      const model = zoo[name](options);
      expect(countZooParams(zoo[name], options).total).toBe(model.countParams());
      expect(model.countParams()).toBeLessThan(countZooParams(zoo[name], { ...options, alpha: 1 }).total / 2);
    }
  });

  it('a functional zoo model saves and loads back to the same predictions (shufflenetV2: permute, crop, reshape)', async () => {
    const model = zoo.shufflenetV2({ inputShape: [32, 32, 3], classes: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'hebb-zoo-'));
    try {
      await model.save(join(dir, 'm'));
      const loaded = await hb.loadModel(join(dir, 'm'));
      const x = hb.randomUniform([1, 32, 32, 3], { seed: 5 });
      expect(loaded.countParams()).toBe(model.countParams());
      expect(Array.from((loaded.predict(x) as hb.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as hb.Tensor).dataSync()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('includeTop: false ends at the feature maps', () => {
    const model = zoo.resnet18({ inputShape: [32, 32, 3], includeTop: false });
    expect((model.predict(hb.zeros([1, 32, 32, 3])) as hb.Tensor).shape).toEqual([1, 1, 1, 512]);
  });
});

describe('zoo.shufflenetV2: channel split and shuffle from weightless layers', () => {
  it('splits [c0 … c7] into [c0 … c3] and [c4 … c7], and shuffles them to [c0, c4, c1, c5, …]', () => {
    const x = hb.input({ shape: [2, 3, 8] });
    const [a, b] = split(symbolicGraph, x, 't');
    const s = shuffle(symbolicGraph, x, 't');
    const m = hb.model({ inputs: x, outputs: [a, b, s] as hb.SymbolicTensor[] });
    // Every pixel holds its channel index plus 100 × its position, so mixing rows would show.
    const values = Array.from({ length: 2 * 3 * 8 }, (_, i) => (i % 8) + 100 * Math.floor(i / 8));
    const [pa, pb, ps] = m.predict(hb.tensor(values, [1, 2, 3, 8])) as hb.Tensor[];
    const pixel = (t: hb.Tensor, p: number) => Array.from(t.dataSync()).slice(p * t.shape[3], (p + 1) * t.shape[3]);
    for (let p = 0; p < 6; p++) {
      expect(pixel(pa, p)).toEqual([0, 1, 2, 3].map((c) => c + 100 * p));
      expect(pixel(pb, p)).toEqual([4, 5, 6, 7].map((c) => c + 100 * p));
      expect(pixel(ps, p)).toEqual([0, 4, 1, 5, 2, 6, 3, 7].map((c) => c + 100 * p));
    }
  });
});
