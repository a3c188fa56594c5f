// Fuzzing loadModel: a saved model directory is damaged in 260 reproducible ways — flipped
// bits, truncations, header-length changes, appended bytes, and deliberate edits of safetensors
// headers and of model.json that are re-signed so they get past the checksums to the deeper
// checks — and every load must reject it with a FormatError: no other exception, no hang, no
// crash. Each case is described in its failure message so it can be replayed.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { joinSafetensors, readJson, resign, splitSafetensors, writeSigned } from '../model/saved-dir.js';
import { generator, type Rand } from '../util/seeded.js';

const FILES = ['model.json', 'weights.safetensors', 'optimizer.safetensors'] as const;
type FileName = (typeof FILES)[number];

type Mutation = (dir: string, r: Rand) => string;

const read = (dir: string, f: FileName): Uint8Array => new Uint8Array(readFileSync(join(dir, f)));
const write = (dir: string, f: FileName, b: Uint8Array | string): void => writeFileSync(join(dir, f), b);

const bitFlip = (f: FileName): Mutation => (dir, r) => {
  const b = read(dir, f);
  const pos = r.int(b.length);
  const bit = r.int(8);
  b[pos] ^= 1 << bit;
  write(dir, f, b);
  return `flip bit ${bit} of byte ${pos}/${b.length} in ${f}`;
};

const truncate = (f: FileName): Mutation => (dir, r) => {
  const b = read(dir, f);
  const len = r.int(b.length);
  write(dir, f, b.subarray(0, len));
  return `truncate ${f} to ${len} of ${b.length} bytes`;
};

const appendBytes = (f: FileName): Mutation => (dir, r) => {
  const b = read(dir, f);
  const extra = 1 + r.int(16);
  const out = new Uint8Array(b.length + extra).fill(0x20);
  out.set(b);
  write(dir, f, out);
  return `append ${extra} bytes to ${f}`;
};

const headerLength = (f: FileName): Mutation => (dir, r) => {
  const b = read(dir, f);
  const view = new DataView(b.buffer);
  const n = view.getUint32(0, true);
  const choices = [n + 1 + r.int(16), Math.max(0, n - 1 - r.int(16)), 0, b.length, b.length - 8, 0xffffffff, r.int(2 ** 32)];
  const v = r.pick(choices);
  view.setUint32(0, v >>> 0, true);
  const high = r.int(4) === 0 ? 1 + r.int(1000) : 0;
  view.setUint32(4, high, true);
  write(dir, f, b);
  return `set ${f} header length to ${high}·2^32 + ${v >>> 0} (was ${n})`;
};

/** Edit a safetensors header (and data), then re-sign the directory. */
const headerEdit = (f: 'weights.safetensors' | 'optimizer.safetensors'): Mutation => (dir, r) => {
  const { header, data } = splitSafetensors(read(dir, f));
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const name = r.pick(names);
  const entry = header[name];
  let newData = data;
  let what: string;
  switch (r.int(9)) {
    case 0:
      entry.dtype = r.pick(['F16', 'BF16', 'I64', 'U8', 'F64', 'BOOL', 'I32', 'f32', 'F32 ', 7, null]);
      what = `dtype of ${name} → ${JSON.stringify(entry.dtype)}`;
      // I32 data reinterprets F32 bytes exactly: size is right, so the dtype check must catch it
      break;
    case 1: {
      const shape = [...entry.shape];
      const k = r.int(shape.length + 1);
      const edits = [() => shape.push(1), () => shape.push(2), () => (shape[k] = (shape[k] ?? 0) + 1), () => (shape[k] = -1), () => (shape[k] = 1.5), () => shape.reverse().push(0), () => (shape[k] = '3')];
      r.pick(edits)();
      entry.shape = shape;
      what = `shape of ${name} → ${JSON.stringify(shape)}`;
      break;
    }
    case 2: {
      const [b, e] = entry.data_offsets;
      const offsets = r.pick([[b, e + 4], [b + 4, e], [b - 4, e - 4], [e, b], [b, e + data.length], [-1, e], [b, 2 ** 60], [b]]);
      entry.data_offsets = offsets;
      what = `data_offsets of ${name} → ${JSON.stringify(offsets)}`;
      break;
    }
    case 3:
      delete header[name];
      what = `delete ${name} from the header (its bytes stay)`;
      break;
    case 4: {
      const [b, e] = entry.data_offsets;
      delete header[name];
      for (const v of Object.values(header) as { data_offsets?: number[] }[]) if (v.data_offsets && v.data_offsets[0] >= e) v.data_offsets = v.data_offsets.map((o) => o - (e - b));
      newData = new Uint8Array([...data.subarray(0, b), ...data.subarray(e)]);
      what = `remove ${name} and its bytes`;
      break;
    }
    case 5:
      header[`${name}_extra`] = { dtype: 'F32', shape: [1], data_offsets: [data.length, data.length + 4] };
      newData = new Uint8Array([...data, 0, 0, 128, 63]);
      what = `add an extra tensor ${name}_extra`;
      break;
    case 6:
      header[`${name}x`] = entry;
      delete header[name];
      what = `rename ${name} → ${name}x`;
      break;
    case 7:
      header.__metadata__ = r.pick([{ a: 1 }, 'x', [1], { k: null }]);
      what = `__metadata__ → ${JSON.stringify(header.__metadata__)}`;
      break;
    default:
      entry.extra = true;
      what = `extra field in ${name}`;
  }
  write(dir, f, joinSafetensors(header, newData));
  resign(dir);
  return `${f}: ${what} (re-signed)`;
};

/** Edit model.json's content, then re-sign it. */
const jsonEdit: Mutation = (dir, r) => {
  const doc = readJson(dir);
  delete doc.checksum;
  const layers = doc.model.config.layers as { className: string; config: Record<string, unknown> }[];
  const edits: [string, () => void][] = [
    ['unknown layer class', () => (r.pick(layers).className = r.pick(['Densee', 'Layer', 'Model', '', 'constructor', '__proto__']))],
    ['formatVersion', () => (doc.formatVersion = r.pick([0, 2, '1', null, 1.5, -1]))],
    ['format', () => (doc.format = r.pick(['hebb', 'keras', null, 1]))],
    ['delete a top-level field', () => delete doc[r.pick(['format', 'formatVersion', 'model', 'weights', 'training'])]],
    ['units', () => (layers[r.pick([0, 2])].config.units = r.pick([7, 5, 0, -2, 2.5, '6', null, 1e9 + 7]))],
    ['weights file name', () => (doc.weights.file = r.pick(['nope.safetensors', '../weights.safetensors', 'optimizer.safetensors', '', 'model.json', 7]))],
    ['weights crc', () => (doc.weights.crc32 = r.pick(['00000000', 'xyz', 5, 'DEADBEEF']))],
    ['optimizer file', () => (doc.optimizer = r.pick([{ ...doc.optimizer, file: 'weights.safetensors' }, 'x', 5, { file: 'optimizer.safetensors' }]))],
    ['training', () => (doc.training = r.pick([null, { ...doc.training, epoch: -1 }, { ...doc.training, step: 'x' }, { ...doc.training, rngState: [0, 0, 0, 0, null] }, { ...doc.training, rngState: 'seed' }, []]))],
    ['compile optimizer', () => (doc.compile.optimizer = r.pick([{ className: 'Nadam', config: {} }, { className: 'Adam', config: { beta1: 2 } }, 'adam', null, { className: 'SGD', config: { momentum: 0.5 } }]))],
    // (An empty loss list is valid: a model compiled without a loss, for a custom trainStep.)
    ['compile loss', () => (doc.compile.loss = r.pick([['nope'], 'mse', [null], [5], ['mse', 'mse']]))],
    ['compile metrics', () => (doc.compile.metrics = r.pick([[['nope']], 'accuracy', [[5]], null]))],
    ['model spec', () => (doc.model = r.pick([null, [], { className: 'Sequential' }, { className: 'Sequential', config: { name: 5, layers: [] } }, { className: 'Dense', config: { units: 3 } }]))],
    ['layer list', () => (doc.model.config.layers = r.pick([null, {}, [1], [...layers, layers[0]]]))],
    ['unknown top-level field', () => (doc.extra = 1)],
    ['input shape', () => (doc.model.config.input.batchShape = r.pick([[null, 4], [null], [null, -3], 'x', [null, 3, 1]]))],
  ];
  const [what, edit] = r.pick(edits);
  edit();
  writeSigned(dir, doc, { refreshFiles: what !== 'weights crc' });
  return `model.json: ${what} (re-signed)`;
};

const removeFile: Mutation = (dir, r) => {
  const f = r.pick(FILES);
  unlinkSync(join(dir, f));
  return `delete ${f}`;
};

const emptyFile: Mutation = (dir, r) => {
  const f = r.pick(FILES);
  write(dir, f, new Uint8Array(0));
  return `empty ${f}`;
};

const swapFiles: Mutation = (dir) => {
  const w = read(dir, 'weights.safetensors');
  write(dir, 'weights.safetensors', read(dir, 'optimizer.safetensors'));
  write(dir, 'optimizer.safetensors', w);
  return 'swap weights.safetensors and optimizer.safetensors';
};

/** [mutation, how many cases]: 262 in all. */
const PLAN: [Mutation, number][] = [
  [bitFlip('model.json'), 50], [bitFlip('weights.safetensors'), 35], [bitFlip('optimizer.safetensors'), 25],
  [truncate('model.json'), 8], [truncate('weights.safetensors'), 10], [truncate('optimizer.safetensors'), 8],
  [headerLength('weights.safetensors'), 12], [headerLength('optimizer.safetensors'), 8],
  [appendBytes('weights.safetensors'), 4], [appendBytes('optimizer.safetensors'), 3], [appendBytes('model.json'), 3],
  [headerEdit('weights.safetensors'), 30], [headerEdit('optimizer.safetensors'), 15],
  [jsonEdit, 40], [removeFile, 4], [emptyFile, 4], [swapFiles, 1],
];

describe('loadModel fuzz', () => {
  let root = '';
  let base = '';
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'hebb-fuzz-'));
    base = join(root, 'base');
    hb.setSeed(17);
    const m = hb.sequential([
      hb.layers.dense({ units: 6, inputShape: [3], activation: 'relu', name: 'h' }),
      hb.layers.dropout({ rate: 0.2, name: 'drop' }),
      hb.layers.dense({ units: 2, activation: 'softmax', name: 'out' }),
    ], { name: 'fuzzed' });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await m.fit(hb.randomNormal([16, 3], { seed: 1 }), hb.tensor(Array.from({ length: 16 }, (_, i) => i % 2), [16], 'int32'), { epochs: 1, batchSize: 8 });
    await m.save(base);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the undamaged directory loads', async () => {
    await expect(hb.loadModel(base)).resolves.toBeInstanceOf(hb.Model);
  });

  it(`every damaged directory (${PLAN.reduce((n, [, k]) => n + k, 0)} cases) is rejected with a FormatError, within a time limit`, async () => {
    const failures: string[] = [];
    let index = 0;
    for (const [mutate, count] of PLAN) {
      for (let k = 0; k < count; k++, index++) {
        const dir = join(root, `case-${index}`);
        cpSync(base, dir, { recursive: true });
        const what = mutate(dir, generator(1000 + index));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 5000)));
        const outcome = await Promise.race([hb.loadModel(dir).then(() => 'loaded', (e: unknown) => e), timeout]);
        clearTimeout(timer);
        if (!(outcome instanceof hb.FormatError)) {
          const got = outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : String(outcome);
          failures.push(`case ${index}: ${what} → ${got}`);
        }
        rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(failures).toEqual([]);
    expect(index).toBeGreaterThanOrEqual(200);
  }, 60_000);
});
