// Tests that corrupt saved files edit arbitrary parsed JSON on purpose.
/* eslint-disable @typescript-eslint/no-explicit-any */
// Saving and loading: what is written, exact round trips, exact resumption of training, and a
// FormatError that names the problem for every kind of malformed directory.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { globalRng } from '../../src/base/index.js';
import * as hb from '../../src/index.js';
import { joinSafetensors, readJson, resign, splitSafetensors, writeSigned } from './saved-dir.js';

const dense = hb.layers.dense;
const root = mkdtempSync(join(tmpdir(), 'hebb-save-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(root, `m${counter++}`);

const x = hb.randomNormal([30, 3], { seed: 51 });
const labels = hb.tensor(Array.from({ length: 30 }, (_, i) => (i * 7) % 3), [30], 'int32');

function classifier(seed = 123): hb.Sequential {
  hb.setSeed(seed);
  const m = hb.sequential([
    dense({ units: 6, inputShape: [3], activation: 'relu', name: 'h' }),
    hb.layers.dropout({ rate: 0.25, name: 'drop' }),
    dense({ units: 3, activation: 'softmax', name: 'out' }),
  ], { name: 'clf' });
  m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const flat = (m: hb.Model): number[][] => m.getWeights().map((t) => Array.from(t.dataSync()));

function maxDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((w, i) => w.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i][j])))));
  return d;
}

describe('save', () => {
  it('writes model.json, weights.safetensors and optimizer.safetensors, and no temp files', async () => {
    const m = classifier();
    await m.fit(x, labels, { epochs: 1, batchSize: 10 });
    const dir = fresh();
    await m.save(dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'optimizer.safetensors', 'weights.safetensors']);
    const doc = readJson(dir);
    expect(doc.format).toBe('hebb-model');
    expect(doc.formatVersion).toBe(1);
    expect(doc.hebbVersion).toBe(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version);
    expect(doc.model.className).toBe('Sequential');
    expect(doc.compile.optimizer.className).toBe('Adam');
    expect(doc.compile.loss).toEqual(['sparseCategoricalCrossentropy']);
    expect(doc.compile.metrics).toEqual([['accuracy']]);
    expect(doc.training.epoch).toBe(1);
    expect(doc.training.step).toBe(3);
    const { header } = splitSafetensors(readFileSync(join(dir, 'weights.safetensors')));
    expect(Object.keys(header).filter((k) => k !== '__metadata__')).toEqual(['h/kernel', 'h/bias', 'out/kernel', 'out/bias']);
    expect(header['h/kernel']).toMatchObject({ dtype: 'F32', shape: [3, 6] });
    const opt = splitSafetensors(readFileSync(join(dir, 'optimizer.safetensors'))).header;
    expect(Object.keys(opt)).toContain('h/kernel/m');
    expect(opt.iterations).toMatchObject({ dtype: 'I32', shape: [] });
  });

  it('saving again over a directory replaces it; includeOptimizer: false leaves the optimizer out', async () => {
    const m = classifier();
    const dir = fresh();
    await m.save(dir);
    await m.save(dir, { includeOptimizer: false });
    expect(readJson(dir).optimizer).toBeNull();
    const back = await hb.loadModel(dir); // the stale optimizer.safetensors is not referenced
    expect(back.optimizer?.iterations).toBe(0);
  });
});

describe('load', () => {
  it('a functional model with a shared layer, a nested model and two outputs predicts identically', async () => {
    hb.setSeed(9);
    const ix = hb.input({ shape: [2] });
    const block = hb.model({ inputs: ix, outputs: dense({ units: 3, activation: 'tanh', name: 'blk' }).apply(ix), name: 'block' });
    const l = hb.input({ shape: [2], name: 'l' });
    const r = hb.input({ shape: [2], name: 'r' });
    const shared = dense({ units: 2, name: 'shared' });
    const sl = shared.apply(l);
    const sr = shared.apply(r);
    const merged = hb.layers.concatenate({ name: 'merged' }).apply([block.apply(sl) as hb.SymbolicTensor, sr]) as hb.SymbolicTensor;
    const m = hb.model({ inputs: [l, r], outputs: [dense({ units: 1, name: 'o1' }).apply(merged), dense({ units: 2, activation: 'softmax', name: 'o2' }).apply(merged)], name: 'multi' });
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: ['mse', 'categoricalCrossentropy'], lossWeights: [1, 0.3], metrics: [[], ['accuracy']] });
    const dir = fresh();
    await m.save(dir);
    const back = await hb.loadModel(dir);
    expect(back.name).toBe('multi');
    expect(back.summary({ print: false })).toBe(m.summary({ print: false }));
    const xs = [hb.randomNormal([4, 2], { seed: 1 }), hb.randomNormal([4, 2], { seed: 2 })];
    const want = m.predict(xs) as hb.Tensor[];
    const got = back.predict(xs) as hb.Tensor[];
    want.forEach((w, i) => expect(got[i].toArray()).toEqual(w.toArray()));
    expect(back.optimizer?.getConfig()).toEqual(m.optimizer?.getConfig());
    expect(back.compiled?.targets.map((t) => t.weight)).toEqual([1, 0.3]);
  });

  it('compile: false loads the architecture and weights only', async () => {
    const dir = fresh();
    await classifier().save(dir);
    const back = await hb.loadModel(dir, { compile: false });
    expect(back.compiled).toBeNull();
  });

  it('resumes exactly: N epochs, save, load, M more = N + M epochs straight (global RNG shuffling and dropout)', async () => {
    const straight = classifier();
    await straight.fit(x, labels, { epochs: 5, batchSize: 8 });
    const first = classifier();
    await first.fit(x, labels, { epochs: 2, batchSize: 8 });
    const dir = fresh();
    await first.save(dir);
    hb.setSeed(999); // whatever happens in between must not matter
    hb.randomNormal([10]);
    const resumed = await hb.loadModel(dir);
    expect(resumed.epochsTrained).toBe(2);
    const h = await resumed.fit(x, labels, { epochs: 5, batchSize: 8, initialEpoch: resumed.epochsTrained });
    expect(h.epoch).toEqual([2, 3, 4]);
    expect(maxDiff(flat(resumed), flat(straight))).toBeLessThanOrEqual(1e-6);
    expect(resumed.optimizer?.iterations).toBe(straight.optimizer?.iterations);
  });

  it('resumes exactly with fit({ seed }) shuffling and a learning-rate schedule', async () => {
    const make = (): hb.Sequential => {
      const m = classifier(77);
      m.compile({ optimizer: hb.optimizers.rmsprop({ learningRate: hb.schedules.exponentialDecay({ initialLearningRate: 0.02, decaySteps: 4, decayRate: 0.5 }), momentum: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    const straight = make();
    await straight.fit(x, labels, { epochs: 4, batchSize: 7, seed: 5 });
    const first = make();
    await first.fit(x, labels, { epochs: 1, batchSize: 7, seed: 5 });
    const dir = fresh();
    await first.save(dir);
    const resumed = await hb.loadModel(dir);
    await resumed.fit(x, labels, { epochs: 4, batchSize: 7, seed: 5, initialEpoch: resumed.epochsTrained });
    expect(maxDiff(flat(resumed), flat(straight))).toBeLessThanOrEqual(1e-6);
  });

  it('custom loss functions need customObjects', async () => {
    const m = hb.sequential([dense({ units: 1, inputShape: [1] })]);
    const myLoss = (t: hb.Tensor, p: hb.Tensor): hb.Tensor => hb.mean(hb.abs(hb.sub(t, p)), 1);
    m.compile({ optimizer: 'sgd', loss: myLoss });
    const dir = fresh();
    await m.save(dir);
    await expect(hb.loadModel(dir)).rejects.toThrow(/customObjects: \{ myLoss \}/);
    const back = await hb.loadModel(dir, { customObjects: { myLoss } });
    expect(back.compiled?.targets[0].loss).toBe(myLoss);
  });

  it('saveWeights / loadWeights', async () => {
    const a = classifier(1);
    const b = classifier(2);
    const path = join(root, 'w.safetensors');
    await a.saveWeights(path);
    await b.loadWeights(path);
    expect(flat(b)).toEqual(flat(a));
    const other = hb.sequential([dense({ units: 5, inputShape: [3], name: 'h' })]);
    await expect(other.loadWeights(path)).rejects.toThrow(hb.FormatError);
  });
});

describe('file-system adapter', () => {
  it('save and load go through an installed adapter (e.g. browser storage)', async () => {
    const files = new Map<string, Uint8Array>();
    const memory: hb.io.FileSystem = {
      readFile: async (p) => {
        const b = files.get(p);
        if (!b) throw Object.assign(new Error(`no ${p}`), { code: 'ENOENT' });
        return b;
      },
      writeFileAtomic: async (p, b) => void files.set(p, b),
      writeFilesAtomic: async (d, fs) => void fs.forEach((f) => files.set(`${d}/${f.name}`, f.bytes)),
      appendFile: async (p, t) => void files.set(p, new Uint8Array([...(files.get(p) ?? []), ...new TextEncoder().encode(t)])),
      exists: async (p) => files.has(p),
      mkdir: async () => undefined,
      join: (...parts) => parts.join('/'),
      dirname: (p) => p.split('/').slice(0, -1).join('/'),
    };
    hb.io.setFileSystem(memory);
    try {
      const m = classifier();
      await m.save('mem/model');
      expect([...files.keys()].sort()).toEqual(['mem/model/model.json', 'mem/model/optimizer.safetensors', 'mem/model/weights.safetensors']);
      const back = await hb.loadModel('mem/model');
      expect(flat(back)).toEqual(flat(m));
      await expect(hb.loadModel('mem/none')).rejects.toThrow(/missing file mem\/none\/model\.json/);
    } finally {
      hb.io.setFileSystem(null);
    }
  });
});

describe('malformed directories throw FormatError and leave nothing changed', () => {
  let base = '';
  const copy = async (): Promise<string> => {
    if (!base) {
      base = fresh();
      const m = classifier();
      await m.fit(x, labels, { epochs: 1, batchSize: 10 });
      await m.save(base);
    }
    const dir = fresh();
    cpSync(base, dir, { recursive: true });
    return dir;
  };
  const editWeights = (dir: string, edit: (h: Record<string, any>, data: Uint8Array) => Uint8Array | void, file = 'weights.safetensors'): void => {
    const { header, data } = splitSafetensors(readFileSync(join(dir, file)));
    const newData = edit(header, data) ?? data;
    writeFileSync(join(dir, file), joinSafetensors(header, newData));
    resign(dir);
  };
  const editJson = (dir: string, edit: (doc: Record<string, any>) => void): void => {
    const doc = readJson(dir);
    delete doc.checksum;
    edit(doc);
    writeSigned(dir, doc);
  };

  const cases: [string, (dir: string) => void | Promise<void>, RegExp][] = [
    ['a missing directory', (dir) => rmSync(dir, { recursive: true }), /missing file .*model\.json/],
    ['a missing weights file', (dir) => unlinkSync(join(dir, 'weights.safetensors')), /missing file .*weights\.safetensors/],
    ['a missing optimizer file', (dir) => unlinkSync(join(dir, 'optimizer.safetensors')), /missing file .*optimizer\.safetensors/],
    ['a truncated weights file', (dir) => writeFileSync(join(dir, 'weights.safetensors'), readFileSync(join(dir, 'weights.safetensors')).subarray(0, 100)), /has 100 bytes but model\.json records/],
    ['a truncated model.json', (dir) => writeFileSync(join(dir, 'model.json'), readFileSync(join(dir, 'model.json')).subarray(0, 200)), /not valid UTF-8 JSON/],
    ['bad JSON', (dir) => writeFileSync(join(dir, 'model.json'), '{"format": "hebb-model",'), /not valid UTF-8 JSON/],
    ['model.json edited by hand', (dir) => writeFileSync(join(dir, 'model.json'), readFileSync(join(dir, 'model.json'), 'utf8').replace('"units": 6', '"units": 7')), /does not match its checksum/],
    ['a flipped bit in the weights data', (dir) => {
      const b = readFileSync(join(dir, 'weights.safetensors'));
      b[b.length - 3] ^= 0x10;
      writeFileSync(join(dir, 'weights.safetensors'), b);
    }, /weights\.safetensors does not match its checksum/],
    ['an unknown formatVersion', (dir) => editJson(dir, (d) => (d.formatVersion = 2)), /unknown formatVersion 2/],
    ['another format', (dir) => editJson(dir, (d) => (d.format = 'keras')), /format must be 'hebb-model'/],
    ['header offsets out of range', (dir) => editWeights(dir, (h) => void (h['out/bias'].data_offsets[1] += 4)), /run past the data section/],
    ['a wrong dtype (F64 data for an F32 weight)', (dir) => editWeights(dir, (h, data) => {
      // rewrite 'out/bias' (the last entry) as float64 with the same values
      const [b0, b1] = h['out/bias'].data_offsets;
      const vals = new Float64Array(new Float32Array(data.slice(b0, b1).buffer));
      h['out/bias'] = { dtype: 'F64', shape: [3], data_offsets: [b0, b0 + 24] };
      const out = new Uint8Array(b0 + 24);
      out.set(data.subarray(0, b0));
      out.set(new Uint8Array(vals.buffer), b0);
      return out;
    }), /weight 'out\/bias' has dtype float64 but the architecture needs float32/],
    ['an unsupported dtype', (dir) => editWeights(dir, (h) => void (h['h/bias'].dtype = 'F16')), /unsupported dtype "F16"/],
    ['a weight shape that disagrees with the architecture', (dir) => editJson(dir, (d) => (d.model.config.layers[0].config.units = 7)), /weight 'h\/kernel' has shape \[3,6\] but the architecture needs \[3,7\]/],
    ['a missing weight', (dir) => editWeights(dir, (h, data) => {
      const [b0] = h['out/bias'].data_offsets;
      delete h['out/bias'];
      return data.slice(0, b0);
    }), /lacks weight\(s\) 'out\/bias'/],
    ['an extra weight', (dir) => editWeights(dir, (h, data) => {
      h['ghost/kernel'] = { dtype: 'F32', shape: [1], data_offsets: [data.length, data.length + 4] };
      const out = new Uint8Array(data.length + 4);
      out.set(data);
      return out;
    }), /has weight\(s\) 'ghost\/kernel' that the architecture does not/],
    ['an unknown layer class', (dir) => editJson(dir, (d) => (d.model.config.layers[1].className = 'Dropoutt')), /unknown layer class 'Dropoutt'/],
    ['an invalid layer config', (dir) => editJson(dir, (d) => (d.model.config.layers[0].config.units = -3)), /units/],
    ['a model that is not a model', (dir) => editJson(dir, (d) => (d.model = d.model.config.layers[0])), /not a model/],
    ['an optimizer slot of the wrong shape', (dir) => editWeights(dir, (h, data) => {
      const [b0, b1] = h['out/bias/m'].data_offsets;
      h['out/bias/m'].shape = [1];
      h['out/bias/m'].data_offsets = [b0, b0 + 4];
      const out = new Uint8Array(data.length - (b1 - b0 - 4));
      out.set(data.subarray(0, b0 + 4));
      out.set(data.subarray(b1), b0 + 4);
      for (const v of Object.values(h) as { data_offsets?: number[] }[]) if (v.data_offsets && v.data_offsets[0] >= b1) v.data_offsets = v.data_offsets.map((o: number) => o - (b1 - b0 - 4));
      return out;
    }, 'optimizer.safetensors'), /slot 'out\/bias\/m' has shape \[1\]/],
    ['an unknown optimizer', (dir) => editJson(dir, (d) => (d.compile.optimizer.className = 'Adamz')), /bad compile config: .*unknown optimizer class 'Adamz'/],
    ['a bad training state', (dir) => editJson(dir, (d) => (d.training.rngState = [1, 2])), /rngState/],
    ['a weights file outside the directory', (dir) => editJson(dir, (d) => (d.weights.file = '../weights.safetensors')), /must be a plain file name/],
  ];

  for (const [what, corrupt, message] of cases) {
    it(what, async () => {
      const dir = await copy();
      await corrupt(dir);
      const state = (): number[] => globalRng.getState().map((v, i) => (i < 4 ? v >>> 0 : v));
      const rng = state();
      const err = await hb.loadModel(dir).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(hb.FormatError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toContain(dir);
      expect(state()).toEqual(rng);
    });
  }

  it('the untouched copy loads (the cases above fail for their own reason)', async () => {
    const dir = await copy();
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    await expect(hb.loadModel(dir)).resolves.toBeInstanceOf(hb.Model);
  });
});
