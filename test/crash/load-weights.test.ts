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
