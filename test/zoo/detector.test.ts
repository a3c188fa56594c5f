// Detection pieces on hand-worked cases: IoU, non-maximum suppression, mAP@0.5, the YOLO
// targets and two-case loss, decoding in Detector.detect, the digit scenes' contract, and the
// convolutional sliding window (a convolutionalised classifier equals the classifier on crops).
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const { iou, nonMaxSuppression, meanAveragePrecision, yoloTargets, yoloLoss } = hb.zoo;

describe('IoU and non-maximum suppression', () => {
  it('IoU of hand cases', () => {
    expect(iou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 12); // overlap 1, union 4 + 4 − 1
    expect(iou([0, 0, 2, 2], [0, 0, 2, 2])).toBe(1);
    expect(iou([0, 0, 2, 2], [2, 0, 4, 2])).toBe(0); // touching edges
    expect(iou([0, 0, 4, 2], [1, 0, 2, 2])).toBeCloseTo(0.25, 12); // contained: 2 / 8
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });

  it('NMS keeps the best of each overlapping group, per label unless class-agnostic', () => {
    const d = (box: number[], score: number, label = 1) => ({ box: box as [number, number, number, number], score, label });
    const dets = [d([0, 0, 10, 10], 0.6), d([1, 1, 11, 11], 0.9), d([20, 20, 30, 30], 0.5), d([0, 0, 10, 10], 0.8, 2), d([3, 0, 13, 10], 0.7)];
    // [1,1,11,11] vs [0,0,10,10]: 81 / 119 = 0.68 > 0.5 → drops 0.6; vs [3,0,13,10]: 72 / 128 = 0.5625 > 0.5 → drops 0.7.
    const kept = nonMaxSuppression(dets, { iouThreshold: 0.5 });
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.8, 0.5]);
    expect(nonMaxSuppression(dets, { iouThreshold: 0.6 }).map((k) => k.score)).toEqual([0.9, 0.8, 0.7, 0.5]);
    expect(nonMaxSuppression(dets, { iouThreshold: 0.5, classAgnostic: true }).map((k) => k.score)).toEqual([0.9, 0.5]);
  });

  it('mAP@0.5: AP per class by the precision envelope', () => {
    const boxes: [number, number, number, number][][] = [[[0, 0, 10, 10], [20, 20, 30, 30]], [[0, 0, 10, 10]]];
    const labels = [[3, 3], [5]];
    const det = (box: number[], score: number, label: number) => ({ box: box as [number, number, number, number], score, label });
    // Class 3: scores 0.9 (hit), 0.8 (miss), 0.7 (hit) → precision 1, ½, ⅔ at recall ½, ½, 1
    // → envelope 1, ⅔, ⅔ → AP = ½·1 + ½·⅔ = 5/6. Class 5: one hit → AP 1. mAP = 11/12.
    const dets = [[det([0, 0, 10, 10], 0.9, 3), det([50, 50, 60, 60], 0.8, 3), det([21, 21, 31, 31], 0.7, 3)], [det([1, 0, 10, 10], 0.6, 5)]];
    const r = meanAveragePrecision(dets, boxes, labels);
    expect(r.perClass[3]).toBeCloseTo(5 / 6, 12);
    expect(r.perClass[5]).toBe(1);
    expect(r.map).toBeCloseTo(11 / 12, 12);
    // A duplicate detection of a matched box is a false positive.
    expect(meanAveragePrecision([[det([0, 0, 10, 10], 0.9, 5), det([0, 0, 10, 10], 0.8, 5)]], [[[0, 0, 10, 10]]], [[5]]).map).toBe(1);
    expect(meanAveragePrecision([[det([0, 0, 10, 10], 0.8, 5), det([30, 0, 40, 10], 0.9, 5)]], [[[0, 0, 10, 10]]], [[5]]).map).toBeCloseTo(0.5, 12);
  });
});

describe('YOLO targets, loss and decoding', () => {
  it('targets put the box in the cell of its centre', () => {
    // 96 px, grid 6 → 16-px cells. Box [20, 40, 44, 60]: centre (32, 50) → cell (gx 2, gy 3), offset (0, 0.125); size 24/96, 20/96.
    const t = yoloTargets([[[20, 40, 44, 60]]], [[7]], { imageSize: 96, grid: 6, classes: 10 });
    expect(t.shape).toEqual([1, 6, 6, 15]);
    const v = t.toArray() as number[][][][];
    const cell = v[0][3][2];
    expect(cell.slice(0, 5)).toEqual([1, 0, 0.125, 0.25, 20 / 96].map(Math.fround));
    expect(cell.slice(5).indexOf(1)).toBe(7);
    expect(hb.sum(t).item()).toBeCloseTo(1 + 0.125 + 0.25 + 20 / 96 + 1, 5);
  });

  it('the two-case squared loss on a hand case', () => {
    // Grid 1×1? No: 2×2 grid, K = 2, one object in cell (0, 0). Raw outputs 0 → sigmoid ½, softmax ½.
    const yTrue = hb.tensor([[[[1, 0.5, 0.25, 0.5, 1, 0, 1], [0, 0, 0, 0, 0, 0, 0]], [[0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]]]]);
    const yPred = hb.zeros([1, 2, 2, 7]);
    // Object cell: λ_coord·(0² + ¼² + 0² + ½²) + (½ − 1)² + ((½)² + (½)²) = 5·0.3125 + 0.25 + 0.5 = 2.3125.
    // Each of 3 empty cells: λ_noobj · (½)² = 0.125. Total 2.6875.
    expect(yoloLoss(yTrue, yPred).item()).toBeCloseTo(2.6875, 6);
    expect(yoloLoss(yTrue, yPred, { lambdaCoord: 1, lambdaNoObj: 1 }).item()).toBeCloseTo(0.3125 + 0.75 + 0.75, 6);
  });

  it('Detector decodes cells, thresholds scores and loads from a saved model', async () => {
    const m = hb.zoo.yoloDetector({ inputShape: [32, 32, 1], grid: 2, classes: 3, filters: [2, 2, 2, 2] });
    const out = m.getLayer('yolo_output');
    const [k, b] = out.getWeights();
    // Zero kernel: every cell outputs the bias. p_c = σ(3), offsets σ(0) = ½, sizes σ(−2), class 1 wins.
    out.setWeights([hb.zerosLike(k), hb.tensor([3, 0, 0, -2, -2, 0, 2, 0]).reshape(b.shape)]);
    const det = new hb.Detector(m);
    expect([det.grid, det.classes, det.imageSize]).toEqual([2, 3, 32]);
    const res = det.detect(hb.zeros([1, 32, 32, 1]), { scoreThreshold: 0.1 });
    const pc = 1 / (1 + Math.exp(-3));
    const cls = Math.exp(2) / (Math.exp(2) + 2);
    const w = 32 / (1 + Math.exp(2));
    expect(res[0]).toHaveLength(4);
    const first = res[0].find((d) => d.box[0] < 16 && d.box[1] < 16)!;
    expect(first.label).toBe(1);
    expect(first.score).toBeCloseTo(pc * cls, 5);
    [8 - w / 2, 8 - w / 2, 8 + w / 2, 8 + w / 2].forEach((v, i) => expect(first.box[i]).toBeCloseTo(v, 4));
    expect(det.detect(hb.zeros([1, 32, 32, 1]), { scoreThreshold: 0.9 })[0]).toHaveLength(0);
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = join(mkdtempSync(join(tmpdir(), 'hebb-det-')), 'd');
    // Saved as `hebb train digit-scenes` saves it: compiled with a custom loss function.
    m.compile({ optimizer: 'adam', loss: (y: hb.Tensor, p: hb.Tensor) => yoloLoss(y, p) });
    await m.save(dir);
    const loaded = await hb.loadDetector(dir);
    expect(loaded.detect(hb.zeros([1, 32, 32, 1]), { scoreThreshold: 0.1 })[0].map((d) => d.score)).toEqual(res[0].map((d) => d.score));
    expect(() => det.detect(hb.zeros([1, 32, 32, 1]), { threshold: 0.5 } as hb.DetectOptions)).toThrow(/unknown option 'threshold'/);
  });
});

describe('the convolutional sliding window', () => {
  it('a convolutionalised classifier gives the classifier’s output at every stride-2 window', () => {
    const clf = hb.sequential([
      hb.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
      hb.layers.maxPooling2d({ poolSize: 2 }),
      hb.layers.flatten(),
      hb.layers.dense({ units: 4, activation: 'relu' }),
      hb.layers.dropout({ rate: 0.5 }),
      hb.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    const fcn = hb.zoo.convolutionalize(clf);
    const big = hb.randomUniform([1, 12, 12, 1], { seed: 7 });
    const map = fcn.predict(big) as hb.Tensor;
    expect(map.shape).toEqual([1, 3, 3, 3]);
    const v = map.toArray() as number[][][][];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const crop = hb.slice(big, [0, 2 * i, 2 * j, 0], [1, 8, 8, 1]);
      const p = (clf.predict(crop) as hb.Tensor).dataSync();
      v[0][i][j].forEach((x, c) => expect(x).toBeCloseTo(p[c], 5));
    }
  });
});

describe('hb.datasets.digitScenes', () => {
  it('1–5 digits per scene, ink boxes inside the canvas, not overlapping, ink ≥ 0.2 only inside boxes', async () => {
    const s = await hb.datasets.digitScenes({ n: 12, split: 'test', seed: 3 });
    expect(s.images.shape).toEqual([12, 96, 96, 1]);
    const px = s.images.dataSync();
    s.boxes.forEach((bs, n) => {
      expect(bs.length).toBeGreaterThanOrEqual(1);
      expect(bs.length).toBeLessThanOrEqual(5);
      expect(s.labels[n]).toHaveLength(bs.length);
      for (const [x0, y0, x1, y1] of bs) {
        expect(x0).toBeGreaterThanOrEqual(0);
        expect(x1).toBeLessThanOrEqual(96);
        expect(Math.max(x1 - x0, y1 - y0)).toBeLessThanOrEqual(40);
        expect(Math.max(x1 - x0, y1 - y0)).toBeGreaterThanOrEqual(8);
      }
      for (let a = 0; a < bs.length; a++) for (let b = a + 1; b < bs.length; b++) expect(iou(bs[a], bs[b])).toBe(0);
      for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) {
        if (px[n * 9216 + y * 96 + x] >= 0.2) expect(bs.some(([x0, y0, x1, y1]) => x >= x0 && x < x1 && y >= y0 && y < y1)).toBe(true);
      }
      // Each box edge touches ink (it is the tight bounding box).
      for (const [x0, y0, x1, y1] of bs) {
        const ink = (x: number, y: number) => px[n * 9216 + y * 96 + x] >= 0.2;
        let top = false, left = false;
        for (let x = x0; x < x1; x++) top ||= ink(x, y0);
        for (let y = y0; y < y1; y++) left ||= ink(x0, y);
        expect(top && left).toBe(true);
      }
    });
    const again = await hb.datasets.digitScenes({ n: 12, split: 'test', seed: 3 });
    expect(again.boxes).toEqual(s.boxes);
    await expect(hb.datasets.digitScenes({ n: 2, minDigits: 3, maxDigits: 2 })).rejects.toThrow(/minDigits 3 > maxDigits 2/);
  });
});
