// The playground (web/) and the browser bundle in a real Chromium, driven by playwright-core:
// a digit drawn with mouse strokes is classified by the shipped LeNet-5, training in a Web
// Worker raises the test accuracy, every lecture page renders without console errors, and under
// COOP/COEP headers the page is cross-origin isolated and the wasm backend runs several threads.
// The site and the bundle are built into a temporary folder first (vite, esbuild), and served by
// a static server on 127.0.0.1. Screenshots go to test-artifacts/ (and to docs/screenshots/
// with HEBB_UPDATE_SCREENSHOTS=1). Chromium: $CHROMIUM_PATH or /usr/bin/chromium; without it
// these tests are skipped with a message.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from './static-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = join(ROOT, 'test-artifacts');
const UPDATE_SCREENSHOTS = process.env.HEBB_UPDATE_SCREENSHOTS === '1';
// Chromium's WebGPU on its bundled SwiftShader Vulkan driver (no GPU needed).
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'];
const LECTURES = ['convolution', 'pooling', 'perceptron', 'mlp-xor', 'vanishing', 'optimizers'];

if (!HAVE_CHROMIUM) {
  console.warn(`test/browser/playground.test.ts: SKIPPED, no Chromium at ${CHROMIUM} (install it, e.g. apt-get install chromium, or set CHROMIUM_PATH)`);
}

let browser: Browser;
let site: string;
let plain: StaticServer;
let isolated: StaticServer;
/** Measured numbers, printed at the end (the closing note's training speeds come from here). */
const measured: Record<string, unknown> = {};

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

/** A page that records console errors and uncaught exceptions. */
async function open(server: StaticServer, path: string, on: Browser = browser): Promise<{ page: Page; errors: string[] }> {
  const page = await on.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  await page.goto(server.url + path);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return { page, errors };
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (UPDATE_SCREENSHOTS) {
    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(file, join(ROOT, 'docs', 'screenshots', `${name}.png`));
  }
}

/** Draw a polyline with the mouse on the drawing canvas; points in the canvas's 280×280 coordinates. */
async function stroke(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.getByTestId('draw').boundingBox())!;
  const at = ([x, y]: [number, number]): [number, number] => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

/** Draw 1, 0 and 7 on the Digits page with mouse strokes; each is classified right, with the feature maps shown. */
async function drawAndPredict(page: Page, shot: string): Promise<void> {
  await page.waitForSelector('#app[data-model-ready="true"]', { timeout: 60_000 });
  const digits: [string, [number, number][][]][] = [
    ['1', [[[140, 40], [138, 140], [136, 240]]]],
    ['0', [Array.from({ length: 25 }, (_, i): [number, number] => [140 + 65 * Math.sin((2 * Math.PI * i) / 24), 140 - 95 * Math.cos((2 * Math.PI * i) / 24)])]],
    ['7', [[[70, 50], [210, 50], [150, 150], [110, 245]]]],
  ];
  for (const [digit, strokes] of digits) {
    await page.getByTestId('clear').click();
    await expect.poll(() => page.getByTestId('prediction').textContent()).toBe('–');
    for (const s of strokes) await stroke(page, s);
    await page.getByTestId('predict').click();
    await expect.poll(() => page.getByTestId('prediction').textContent(), { timeout: 30_000 }).toBe(digit);
    if (digit === '7') await screenshot(page, shot);
  }
  expect(await page.locator('[data-testid="maps-c1"] canvas').count()).toBe(6);
  expect(await page.locator('[data-testid="maps-c3"] canvas').count()).toBe(16);
}

async function accuracy(page: Page): Promise<number> {
  return Number(await page.getByTestId('accuracy').textContent());
}

/** Train from the Train page with ?steps=N; returns the first and last test accuracy and the speed. */
async function trainOnPage(server: StaticServer, steps: number, name: string): Promise<{ first: number; last: number; samplesPerSecond: number; threads: string; worstDelay: number; errors: string[] }> {
  const { page, errors } = await open(server, `?steps=${steps}#/train`);
  await page.getByTestId('train').click();
  await page.waitForFunction(() => /^[01](\.\d+)?$/.test(document.querySelector('[data-testid="accuracy"]')?.textContent ?? ''), null, { timeout: 60_000 });
  const first = await accuracy(page);
  // The page stays responsive while the worker trains: 20 timers of 25 ms each fire without a long delay.
  const worstDelay = await page.evaluate(async () => {
    let worst = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 25));
      worst = Math.max(worst, performance.now() - t0 - 25);
    }
    return worst;
  });
  expect(worstDelay).toBeLessThan(1000);
  await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('[data-testid="train-state"]')?.textContent ?? ''), null, { timeout: 150_000, polling: 500 });
  expect(await page.getByTestId('train-state').textContent()).toBe('done');
  const last = await accuracy(page);
  const samplesPerSecond = Number((await page.getByTestId('speed').textContent())!.split(' ')[0]);
  const threads = (await page.getByTestId('train-threads').textContent())!;
  await screenshot(page, name);
  await page.close();
  return { first, last, samplesPerSecond, threads, worstDelay, errors };
}

describe.skipIf(!HAVE_CHROMIUM)('the playground and the bundle in Chromium', () => {
  beforeAll(async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'hebb-web-'));
    site = join(tmp, 'site');
    run('node', ['scripts/build-web-data.mjs']);
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: site, emptyOutDir: true } });
    // The ESM bundle and its worker script, with a page that uses them, under site/bundle/.
    run('node', ['scripts/build-browser.mjs', '--outdir', join(site, 'bundle')]);
    writeFileSync(join(site, 'bundle', 'index.html'), BUNDLE_PAGE);
    plain = await serveStatic(site, { isolated: false });
    isolated = await serveStatic(site, { isolated: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await plain?.close();
    await isolated?.close();
    if (site) rmSync(join(site, '..'), { recursive: true, force: true });
    if (Object.keys(measured).length > 0) console.log('browser measurements:', JSON.stringify(measured));
  });

  it('Digits: strokes drawn with the mouse are classified by the shipped LeNet-5, with feature maps', async () => {
    const { page, errors } = await open(plain, '#/digits');
    await drawAndPredict(page, 'digits');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('Digits on the WebGPU backend (?backend=webgpu; Chromium with --enable-unsafe-webgpu, SwiftShader Vulkan)', async (ctx) => {
    const gpuBrowser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', ...WEBGPU_FLAGS] });
    try {
      const { page, errors } = await open(plain, '?backend=webgpu#/digits', gpuBrowser);
      const adapter = await page.evaluate(async () => {
        const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        return gpu !== undefined && (await gpu.requestAdapter()) !== null;
      });
      if (!adapter) {
        console.warn('playground on WebGPU: SKIPPED, this Chromium offers no WebGPU adapter (needs a Vulkan driver, e.g. the SwiftShader one chromium ships)');
        ctx.skip();
      }
      expect(await page.getByTestId('status').getAttribute('data-backend')).toBe('webgpu');
      await drawAndPredict(page, 'digits-webgpu');
      // LeNet-5's convolutions, pools and dense layers ran as WGSL kernels on the adapter.
      const kernels = await page.evaluate(() => (globalThis as unknown as { hb: { backends(): { name: string; kernels?: Record<string, number> }[] } }).hb.backends().find((b) => b.name === 'webgpu')?.kernels);
      expect(kernels?.gpu).toBeGreaterThan(20);
      measured.webgpuDigits = kernels;
      expect(errors).toEqual([]);
    } finally {
      await gpuBrowser.close();
    }
  }, 180_000);

  it('Train: LeNet-5 in a Web Worker, one thread without COOP/COEP; the test accuracy rises', async () => {
    const r = await trainOnPage(plain, 300, 'train');
    measured.singleThread = { samplesPerSecond: r.samplesPerSecond, threads: r.threads, accuracy: [r.first, r.last], worstTimerDelayMs: Math.round(r.worstDelay) };
    expect(r.threads).toMatch(/^1 \(wasm/);
    expect(r.first).toBeLessThan(0.5); // an untrained network guesses (about 0.1)
    expect(r.last).toBeGreaterThan(0.85);
    expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(r.errors).toEqual([]);
  }, 200_000);

  it('under COOP/COEP the page is cross-origin isolated and LeNet-5 trains on several threads', async () => {
    const { page, errors } = await open(isolated, '#/digits');
    const env = await page.evaluate(() => ({ isolated: globalThis.crossOriginIsolated, cores: navigator.hardwareConcurrency }));
    const status = page.getByTestId('status');
    expect(env.isolated).toBe(true);
    expect(await status.getAttribute('data-isolated')).toBe('true');
    const threads = Number(await status.getAttribute('data-threads'));
    if (env.cores > 1) expect(threads).toBeGreaterThan(1);
    else console.warn('this machine reports 1 core: the thread count stays 1');
    expect(errors).toEqual([]);
    await page.close();
    const r = await trainOnPage(isolated, 300, 'train-threads');
    measured.threaded = { samplesPerSecond: r.samplesPerSecond, threads: r.threads, accuracy: [r.first, r.last], cores: env.cores, worstTimerDelayMs: Math.round(r.worstDelay) };
    if (env.cores > 1) expect(Number(r.threads.split(' ')[0])).toBeGreaterThan(1);
    expect(r.threads).toMatch(/cross-origin isolated/);
    expect(r.last).toBeGreaterThan(0.85);
    expect(r.errors).toEqual([]);
  }, 200_000);

  it('every lecture page renders and computes without console errors', async () => {
    const { page, errors } = await open(plain, '#/lectures');
    expect(await page.locator('a.tile').count()).toBe(LECTURES.length);
    await screenshot(page, 'lectures');
    for (const id of LECTURES) {
      await page.evaluate((h) => (location.hash = h), `#/lectures/${id}`);
      await page.waitForSelector('#app h1');
      if (id === 'convolution') {
        // 10×10 input, valid 3×3 convolution: an 8×8 output.
        expect(await page.locator('[data-testid="conv-output"] .grid div').count()).toBe(64);
        expect(await page.locator('[data-testid="edges"] canvas').count()).toBe(4);
      } else if (id === 'pooling') {
        // 8×8 input, 2×2 windows with stride 2: a 4×4 output each.
        expect(await page.locator('[data-testid="pool-max"] .grid div').count()).toBe(16);
        expect(await page.locator('[data-testid="pool-avg"] .grid div').count()).toBe(16);
      } else if (id === 'perceptron') {
        // AND is linearly separable: the perceptron rule converges.
        await expect.poll(() => page.getByTestId('perceptron-status').getAttribute('data-errors')).toBe('0');
      } else if (id === 'mlp-xor') {
        await page.waitForSelector('[data-testid="xor-status"][data-done="true"]', { timeout: 60_000 });
        expect(await page.getByTestId('xor-status').getAttribute('data-right')).toBe('4');
      } else if (id === 'vanishing') {
        const summary = page.getByTestId('vanishing-summary');
        await expect.poll(() => summary.getAttribute('data-sigmoid')).toBeTruthy();
        const sig = (await summary.getAttribute('data-sigmoid'))!.split(',').map(Number);
        // σ' ≤ 1/4: over ten layers the first layer's gradient is orders of magnitude below the last's.
        expect(sig[0] / sig[sig.length - 1]).toBeLessThan(0.01);
      } else {
        await page.waitForSelector('[data-testid="race-step"][data-step="150"]', { timeout: 60_000 });
        expect(await page.getByTestId('race-results').textContent()).toMatch(/Adam.*loss/);
      }
      await screenshot(page, `lecture-${id}`);
    }
    // XOR is not linearly separable: after its 30 epochs the perceptron still errs.
    await page.evaluate(() => (location.hash = '#/lectures/perceptron'));
    await page.getByTestId('gate').selectOption('XOR');
    await expect.poll(() => page.getByTestId('perceptron-status').getAttribute('data-epochs'), { timeout: 30_000 }).toBe('30');
    expect(Number(await page.getByTestId('perceptron-status').getAttribute('data-errors'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 200_000);

  it('the ESM bundle: threads when isolated, one thread otherwise, and trainInWorker with its worker script', async () => {
    for (const server of [isolated, plain]) {
      const { page, errors } = await openBundle(server);
      const r = await page.evaluate(() => (globalThis as unknown as { result: BundleResult }).result);
      expect(r.error).toBeUndefined();
      expect(r.product).toEqual([[19, 22], [43, 50]]);
      expect(r.env.backend).toBe('wasm');
      expect(r.env.crossOriginIsolated).toBe(server === isolated);
      if (server === plain) expect(r.env.threads).toBe(1);
      else if (r.env.cores > 1) expect(r.env.threads).toBe(r.env.cores);
      // XOR from four samples: the worker trained it and the page's model holds the weights.
      expect(r.predicted).toEqual([0, 1, 1, 0]);
      expect(r.kinds).toEqual(['start', 'evaluate', 'batch', 'epoch']);
      expect(r.workerIsolated).toBe(server === isolated);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 120_000);
});

interface BundleResult {
  error?: string;
  product: number[][];
  env: { backend: string; threads: number; cores: number; crossOriginIsolated: boolean };
  predicted: number[];
  kinds: string[];
  workerIsolated: boolean;
}

async function openBundle(server: StaticServer): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  await page.goto(`${server.url}bundle/index.html`);
  await page.waitForFunction(() => 'result' in globalThis, null, { timeout: 90_000 });
  return { page, errors };
}

const BUNDLE_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>hebb bundle</title></head><body>
<script type="module">
import * as hb from './hebb.js';
try {
  await hb.ready();
  const env = hb.browser.environment();
  const product = hb.matmul(hb.tensor([[1, 2], [3, 4]]), hb.tensor([[5, 6], [7, 8]])).toArray();
  hb.setSeed(3);
  const model = hb.sequential([
    hb.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
    hb.layers.dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = hb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = hb.tensor([0, 1, 1, 0], [4], 'int32');
  const kinds = [];
  let workerIsolated = null;
  await hb.browser.trainInWorker(new URL('./hebb-worker.js', import.meta.url), model, x, y, {
    epochs: 300, batchSize: 4, validationData: [x, y], evaluateEvery: 100,
    onProgress: (e) => { if (!kinds.includes(e.kind)) kinds.push(e.kind); workerIsolated = e.crossOriginIsolated; },
  }).done;
  const predicted = Array.from(hb.argmax(model.predict(x), -1).dataSync());
  globalThis.result = { env, product, predicted, kinds, workerIsolated };
} catch (e) {
  globalThis.result = { error: String(e && e.stack || e) };
}
</script></body></html>
`;
