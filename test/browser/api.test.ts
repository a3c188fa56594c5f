// hb.browser's parts that run in Node: loading a saved model over HTTP with the fetch file
// system, and the checks trainInWorker and serveWorker make before any worker is involved.
// (Training in a real worker is tested in Chromium: playground.test.ts.)
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { serveStatic, type StaticServer } from './static-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
let server: StaticServer;

beforeAll(async () => {
  server = await serveStatic(join(ROOT, 'web', 'public'), { isolated: false });
});
afterAll(async () => {
  await server.close();
});

describe('hb.browser', () => {
  it('loadModelFromUrl loads the shipped LeNet-5 over HTTP; it predicts exactly as the same folder loaded from disk', async () => {
    const overHttp = await hb.browser.loadModelFromUrl(`${server.url}models/lenet5`, { compile: false });
    const fromDisk = await hb.loadModel(join(ROOT, 'web', 'public', 'models', 'lenet5'), { compile: false });
    expect(overHttp.countParams()).toBe(61_706); // LeNet-5's parameter count (src/zoo/lenet5.ts)
    hb.setSeed(5);
    const x = hb.randomUniform([3, 28, 28, 1]);
    expect((overHttp.predict(x) as hb.Tensor).toArray()).toEqual((fromDisk.predict(x) as hb.Tensor).toArray());
    // The previous file system (Node's) is back: loading from disk still works afterwards.
    expect(hb.io.hasFileSystem()).toBe(true);
  });

  it('a missing model is a FormatError naming the file, and the fetch file system is read-only', async () => {
    await expect(hb.browser.loadModelFromUrl(`${server.url}models/none`)).rejects.toThrow(/missing file .*models\/none\/model\.json/);
    const fs = hb.browser.fetchFileSystem(server.url);
    expect(new TextDecoder().decode(await fs.readFile('models/lenet5/model.json'))).toMatch(/"format": "hebb-model"/);
    expect(await fs.exists('models/lenet5/weights.safetensors')).toBe(true);
    expect(await fs.exists('models/lenet5/nothing')).toBe(false);
    await expect(fs.writeFileAtomic('x', new Uint8Array(1))).rejects.toThrow(/read-only/);
  });

  it('trainInWorker checks its arguments before starting a worker', () => {
    const model = hb.zoo.mlp({ inputShape: [4], hidden: [3], classes: 2 });
    const x = hb.zeros([2, 4]);
    const y = hb.tensor([0, 1], [2], 'int32');
    const fake = { postMessage: () => {}, addEventListener: () => {}, removeEventListener: () => {} } as unknown as Worker;
    expect(() => hb.browser.trainInWorker(fake, model, x, y)).toThrow(/compile model 'mlp' first/);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    expect(() => hb.browser.trainInWorker(fake, model, x, y, { epoch: 2 } as never)).toThrow(/epoch.*epochs/);
    expect(() => hb.browser.trainInWorker(fake, model, x, hb.tensor([0], [1], 'int32'))).toThrow(/x has 2 samples but y has 1/);
    expect(() => hb.browser.trainInWorker(fake, model, x, y, { batchSize: 0 })).toThrow(/batchSize/);
  });

  it('serveWorker refuses to run outside a Web Worker', () => {
    expect(() => hb.browser.serveWorker()).toThrow(/call it in a Web Worker/);
  });

  it('environment() reports the backend and threads in use', () => {
    const env = hb.browser.environment();
    expect(env.backend).toBe(hb.getBackend());
    expect(env.threads).toBe(hb.getThreads());
    expect(env.inWorker).toBe(false);
  });
});
