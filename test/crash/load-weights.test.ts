// loadWeights matches by structure when names differ (issue 9): rebuilding the same architecture
// in one process gives new auto-generated layer names, and Keras loads such a file by layer
// order; hebb does too, says so (a warning and the returned report), and still refuses a file
// whose structure differs, without touching any weight.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as hb from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hebb-loadweights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = (units = 4): hb.Sequential =>
  hb.sequential([hb.layers.dense({ units, inputShape: [3], activation: 'relu' }), hb.layers.dense({ units: 2 })]);
const flat = (m: hb.Model): number[] => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('loadWeights by structure', () => {
  it('the same architecture rebuilt (new auto names) loads by layer order and shape, with a warning', async () => {
    const a = build();
    const path = join(dir, 'a.safetensors');
    await a.saveWeights(path);
    const b = build(); // dense_3, dense_4 … where a had dense_1, dense_2
    expect(b.weights.map((w) => w.name)).not.toEqual(a.weights.map((w) => w.name));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const report = await b.loadWeights(path);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/weight names differ .* matched all 4 weights by layer order and shape/));
    warn.mockRestore();
    expect(report.matchedBy).toBe('structure');
    expect(report.renamed.length).toBe(4);
    expect(flat(b)).toEqual(flat(a));
  });

  it('same names: matched by name, no warning', async () => {
    const a = build();
    const path = join(dir, 'same.safetensors');
    await a.saveWeights(path);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect((await a.loadWeights(path)).matchedBy).toBe('name');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('a different structure is a FormatError and leaves every weight as it was', async () => {
    const a = build(4);
    const path = join(dir, 'four.safetensors');
    await a.saveWeights(path);
    const c = build(5);
    const before = flat(c);
    await expect(c.loadWeights(path)).rejects.toThrow(hb.FormatError);
    expect(flat(c)).toEqual(before);
  });
});

describe('a save torn between its renames', () => {
  it('loadModel falls back to the complete previous save kept in .prev, and says so', async () => {
    const { copyFileSync, linkSync, mkdirSync } = await import('node:fs');
    const a = build();
    a.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = hb.randomNormal([4, 3], { seed: 1 });
    const y = hb.randomNormal([4, 2], { seed: 2 });
    a.trainOnBatch(x, y);
    const torn = join(dir, 'torn');
    await a.save(torn);
    const saved = flat(a);
    a.trainOnBatch(x, y);
    const next = join(dir, 'next');
    await a.save(next);
    // The state a kill leaves after model.save linked the old files into .prev and renamed the
    // new weights into place, but before it renamed the rest (src/io/fs-node.ts).
    mkdirSync(join(torn, '.prev'));
    for (const f of ['model.json', 'weights.safetensors', 'optimizer.safetensors']) linkSync(join(torn, f), join(torn, '.prev', f));
    const fresh = join(torn, '.w.tmp');
    copyFileSync(join(next, 'weights.safetensors'), fresh);
    const { renameSync } = await import('node:fs');
    renameSync(fresh, join(torn, 'weights.safetensors'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const back = await hb.loadModel(torn);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/interrupted save .* loaded the previous complete save/));
    warn.mockRestore();
    expect(flat(back)).toEqual(saved);
    // The next save over the torn directory completes and removes .prev.
    await back.save(torn);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(torn, '.prev'))).toBe(false);
    expect(flat(await hb.loadModel(torn))).toEqual(saved);
  });
});
