// The report generator on synthetic data: a fake history, a small confusion matrix and random
// 28×28 images. The files must exist, the page must hold every section and make no request,
// and curves.png must decode at the promised size.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { curveRows, curvesSpec } from '../../cli/report/charts.js';
import { confusionTable, CURVES_PNG_WIDTH, escapeHtml, type ReportInput, reportHtml, writeReport } from '../../cli/report/index.js';
import { normalise, tilePng } from '../../cli/report/tiles.js';

let seed = 7;
const random = (): number => {
  // A tiny LCG: the test's images are the same on every run.
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const randomTile = (w: number, h: number, signed = false) => ({
  width: w, height: h, data: Float32Array.from({ length: w * h }, () => (signed ? random() * 2 - 1 : random())),
});

function syntheticInput(): ReportInput {
  return {
    title: 'LeNet-5 on MNIST <test>',
    subtitle: 'synthetic',
    metrics: [['test accuracy', '98.76 %'], ['wall time', '12.3 s']],
    config: { model: 'lenet5', epochs: 3, augment: false },
    history: {
      loss: [0.9, 0.4, 0.2], accuracy: [0.7, 0.88, 0.95],
      val_loss: [0.5, 0.3, 0.25], val_accuracy: [0.85, 0.91, 0.93],
    },
    confusion: [[50, 2, 0], [1, 45, 4], [0, 3, 47]],
    classNames: ['zero', 'one', 'two'],
    misclassified: Array.from({ length: 6 }, (_, i) => ({ image: randomTile(28, 28), predicted: i % 3, actual: (i + 1) % 3, confidence: 0.5 + i / 20, index: i * 17 })),
    misclassifiedTotal: 10,
    firstLayer: {
      name: 'conv2d', kind: 'conv',
      filters: Array.from({ length: 6 }, () => randomTile(5, 5, true)),
      featureMaps: { input: randomTile(28, 28), label: 'true 7', maps: Array.from({ length: 6 }, () => randomTile(28, 28)) },
    },
    summary: 'Layer (type)   Output shape   Param #\nconv2d (Conv2D)  [null,28,28,6]  156',
  };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('writeReport', () => {
  it('writes a self-contained report.html with every section and a curves.png of the right size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-report-'));
    dirs.push(dir);
    const files = await writeReport(join(dir, 'nested'), syntheticInput());
    expect(files.html).toBe(join(dir, 'nested', 'report.html'));
    const html = readFileSync(files.html, 'utf8');
    for (const id of ['curves', 'confusion', 'misclassified', 'filters', 'feature-maps', 'summary', 'config']) {
      expect(html, id).toContain(`<section id="${id}">`);
    }
    expect(html).toContain('<svg');
    expect(html).toContain('LeNet-5 on MNIST &lt;test&gt;');
    // 6 misclassified + 6 filters + 1 input + 6 maps, all inline PNGs.
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(19);
    expect(html).toContain('The first 6 of 10');
    // Self-contained: nothing is fetched (the SVG's xmlns is a name, not a request).
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<link|<script|@import|url\(http/);
    const png = PNG.sync.read(readFileSync(files.curves));
    expect(png.width).toBe(CURVES_PNG_WIDTH);
    expect(png.height).toBeGreaterThan(200);
    expect(png.height).toBeLessThan(png.width);
    // The curves are drawn: the PNG is not one flat colour.
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(3);
  });

  it('handles a one-epoch history without validation, no misclassified digits and no conv layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-report-'));
    dirs.push(dir);
    const input = { ...syntheticInput(), history: { loss: [0.3], accuracy: [0.9] }, misclassified: [], misclassifiedTotal: 0, firstLayer: undefined };
    const files = await writeReport(dir, input);
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('No test example was misclassified');
    expect(html).not.toContain('id="filters"');
    expect(PNG.sync.read(readFileSync(files.curves)).width).toBe(CURVES_PNG_WIDTH);
  });

  it('has a section per conv layer (maps and activation-maximised inputs) and a saliency section', () => {
    const tile = (w: number, h: number) => ({ width: w, height: h, data: Float32Array.from({ length: w * h }, (_, i) => i / (w * h)) });
    const input = {
      ...syntheticInput(),
      convLayers: [
        { name: 'c1', maps: [tile(28, 28), tile(28, 28)], excitations: [tile(28, 28), tile(28, 28)] },
        { name: 'c3', maps: [tile(10, 10)], excitations: [tile(28, 28)] },
      ],
      saliency: { input: tile(28, 28), map: tile(28, 28), label: 'true 7' },
    };
    const html = reportHtml(input, '<svg></svg>');
    expect(html).toContain('id="conv-0"');
    expect(html).toContain('id="conv-1"');
    expect(html).toContain('Inside c3');
    expect(html.match(/alt="c1 map \d"/g)).toHaveLength(2);
    expect(html.match(/alt="c3 filter \d maximised"/g)).toHaveLength(1);
    expect(html).toContain('id="saliency"');
  });
});

describe('report parts', () => {
  it('curve rows pair each metric with its validation series and drop non-finite values', () => {
    const rows = curveRows({ loss: [1, NaN], val_loss: [2], accuracy: [0.5] }, ['loss', 'accuracy']);
    expect(rows).toEqual([
      { epoch: 1, value: 1, metric: 'loss', split: 'training' },
      { epoch: 1, value: 2, metric: 'loss', split: 'validation' },
      { epoch: 1, value: 0.5, metric: 'accuracy', split: 'training' },
    ]);
    expect((curvesSpec({ loss: [1] }) as { hconcat: unknown[] }).hconcat).toHaveLength(1);
  });

  it('the confusion table shows counts, recall per row and precision per column', () => {
    const html = confusionTable([[8, 2], [1, 9]]);
    expect(html).toContain('data-classes="2"');
    expect(html).toContain('>8</td>');
    expect(html).toContain('80.0 %'); // recall of class 0
    expect(html).toContain('88.9 %'); // precision of class 0: 8 / 9
    expect(html).toContain('81.8 %'); // precision of class 1: 9 / 11
  });

  it('tiles encode at the enlarged size and normalise grey and signed values', () => {
    const png = PNG.sync.read(tilePng({ width: 5, height: 3, data: new Float32Array(15).fill(0.5) }, { scale: 4 }));
    expect([png.width, png.height]).toEqual([20, 12]);
    expect([...png.data.subarray(0, 4)]).toEqual([128, 128, 128, 255]);
    expect([...normalise({ width: 2, height: 1, data: [0, 2] }, 'grey')]).toEqual([0, 1]);
    expect([...normalise({ width: 2, height: 1, data: [-2, 1] }, 'diverging')]).toEqual([-1, 0.5]);
    expect([...normalise({ width: 2, height: 1, data: [3, 3] }, 'grey')]).toEqual([1, 1]);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
