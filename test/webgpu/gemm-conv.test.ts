// The WebGPU GEMM, convolution and pooling kernels (src/backend/webgpu/kernels/) against the cpu
// reference kernels, on random data at odd sizes: every transpose case and batch broadcast of
// matmul, every tile path (vec4 and bounds-checked), conv with strides, dilations, padding,
// groups, 1-D and 3-D, both conv gradients, max/avg pooling with padding and argmax indices.
// Runs on whatever adapter Dawn finds: Chromium's SwiftShader here and in CI. Skips without one.
/// <reference types="@webgpu/types" />
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Buf } from '../../src/backend/cpu/buffer.js';
import { conv, convBackpropFilter, convBackpropInput } from '../../src/backend/cpu/conv.js';
import { matmul } from '../../src/backend/cpu/matmul.js';
import { avgPoolBackprop, pool } from '../../src/backend/cpu/pool.js';
import type { ConvAttrs, PoolAttrs } from '../../src/backend/index.js';
import { encodeConv, encodeConvBackpropFilter, encodeConvBackpropInput, type ConvDims } from '../../src/backend/webgpu/kernels/conv.js';
import type { GemmTile } from '../../src/backend/webgpu/kernels/gemm-tiled.js';
import { encodeMatmul } from '../../src/backend/webgpu/kernels/matmul.js';
import { encodeAvgPoolBackprop, encodePool, type PoolDims } from '../../src/backend/webgpu/kernels/pool.js';
import { generator } from '../util/seeded.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES ??= SWIFTSHADER;

/** Dawn's instance and adapter: module-level so that they outlive the device (else Dawn crashes). */
let gpu: GPU | null = null;
let adapter: GPUAdapter | null = null;
let device: GPUDevice | null = null;
let why = '';
try {
  const name = 'webgpu';
  const mod = (await import(name)) as { create(o: string[]): GPU; globals: object };
  for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  gpu = mod.create([]);
  // vitest runs this module as a function, whose locals can be collected once it returns.
  (globalThis as Record<symbol, unknown>)[Symbol.for('hebb.test.dawn')] = gpu;
  adapter = await gpu.requestAdapter();
  (globalThis as Record<symbol, unknown>)[Symbol.for('hebb.test.dawn.adapter')] = adapter;
  if (adapter) device = await adapter.requestDevice();
  else why = 'Dawn found no adapter (no Vulkan driver: install chromium for SwiftShader)';
} catch (e) {
  why = `the webgpu package does not load: ${e instanceof Error ? e.message : String(e)}`;
}
const skipNote = device ? '' : ` (SKIPPED: ${why})`;
const cache = new Map<string, GPUComputePipeline>();
const rand = generator(20261204);
const none: [number, number] = [0, 0];

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand.next() * 2 - 1;
  return a;
}

/** A storage buffer holding `data`, its size rounded up to 16 bytes as the backend does. */
function upload(data: Float32Array | Int32Array): GPUBuffer {
  const buf = device!.createBuffer({ size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device!.queue.writeBuffer(buf, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  return buf;
}

/** An output buffer filled with NaN, so that an element the kernel skips shows. */
function output(n: number): GPUBuffer {
  return upload(new Float32Array(n).fill(NaN));
}

async function download(buf: GPUBuffer, n: number): Promise<Float32Array> {
  const read = device!.createBuffer({ size: buf.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device!.createCommandEncoder();
  enc.copyBufferToBuffer(buf, 0, read, 0, buf.size);
  device!.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(read.getMappedRange().slice(0, n * 4));
  read.destroy();
  return out;
}

/** Run `record` in one command buffer, checking for validation errors. */
async function run(record: (enc: GPUCommandEncoder) => void): Promise<void> {
  device!.pushErrorScope('validation');
  const enc = device!.createCommandEncoder();
  record(enc);
  device!.queue.submit([enc.finish()]);
  const err = await device!.popErrorScope();
  if (err) throw new Error(`WebGPU validation: ${err.message}`);
}

/** |got − want| ≤ 1e-4 · (1 + max|want|) everywhere, NaN where want is NaN. */
function expectClose(got: Float32Array, want: ArrayLike<number>, what: string): void {
  expect(got.length).toBe(want.length);
  let scale = 1;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i])) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) {
      if (!Number.isNaN(got[i])) throw new Error(`${what}: element ${i} is ${got[i]}, want NaN`);
    } else if (!(Math.abs(got[i] - want[i]) <= 1e-4 * scale)) throw new Error(`${what}: element ${i} is ${got[i]}, want ${want[i]}`);
  }
}

const buf = (data: Float32Array | Int32Array, shape: number[]): Buf => ({ data, shape, dtype: data instanceof Int32Array ? 'int32' : 'float32' });

describe.skipIf(!device)(`webgpu matmul = cpu${skipNote}`, () => {
  async function check(batch: number, batchA: number, batchB: number, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, tile?: GemmTile): Promise<void> {
    const aShape = [batchA, transposeA ? k : m, transposeA ? m : k];
    const bShape = [batchB, transposeB ? n : k, transposeB ? k : n];
    const a = random(batchA * m * k);
    const b = random(batchB * k * n);
    const want = new Float32Array(batch * m * n);
    matmul([buf(a, aShape), buf(b, bShape)], [buf(want, [batch, m, n])], { transposeA, transposeB });
    const [ga, gb, gy] = [upload(a), upload(b), output(batch * m * n)];
    await run((enc) => encodeMatmul(device!, enc, cache, ga, gb, gy, { batch, batchA, batchB, m, n, k, transposeA, transposeB }, tile));
    expectClose(await download(gy, batch * m * n), want, `matmul ${batch}/${batchA}/${batchB} ${m}x${k}x${n} ${+transposeA}${+transposeB}`);
    for (const g of [ga, gb, gy]) g.destroy();
  }

  it('odd sizes, every transpose case (bounds-checked scalar paths)', async () => {
    for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [17, 13, 9], [33, 1, 65], [1, 31, 130]])
      for (const ta of [false, true]) for (const tb of [false, true]) await check(1, 1, 1, m, n, k, ta, tb);
  });

  it('multiples of 4 with ragged tiles (vec4 paths with clamped rows and guarded k)', async () => {
    for (const [m, n, k] of [[4, 4, 4], [36, 68, 20], [68, 36, 132], [12, 100, 8]])
      for (const ta of [false, true]) for (const tb of [false, true]) await check(1, 1, 1, m, n, k, ta, tb);
  });

  it('every tile configuration on exact and ragged shapes', async () => {
    const tiles: GemmTile[] = [
      { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 },
      { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
    ];
    for (const tile of tiles) {
      await check(1, 1, 1, 128, 128, 32, false, false, tile);
      await check(1, 1, 1, 130, 132, 20, true, true, tile);
    }
  }, 180_000);

  it('batches, with a or b broadcast', async () => {
    for (const [ba, bb] of [[3, 3], [1, 3], [3, 1]])
      for (const ta of [false, true]) for (const tb of [false, true]) await check(3, ba, bb, 17, 9, 13, ta, tb);
  }, 180_000);

  it('k = 0 writes zeros', async () => {
    await check(2, 2, 2, 3, 4, 0, false, false);
  });
});

/** x [N,D,H,W,C], kernel [KD,KH,KW], filters, attributes. */
type ConvCase = [string, [number, number, number, number, number], [number, number, number], number, ConvAttrs];
const conv2d = (s: number, d: number, pads: [[number, number], [number, number]], groups = 1): ConvAttrs => ({ strides: [1, s, s], dilations: [1, d, d], pads: [none, ...pads], groups });
const CONV_CASES: ConvCase[] = [
  ['LeNet C1: 1 channel, 5x5', [2, 1, 12, 12, 1], [1, 5, 5], 6, conv2d(1, 1, [none, none])],
  ['3x3 same, 16 → 16', [1, 1, 9, 9, 16], [1, 3, 3], 16, conv2d(1, 1, [[1, 1], [1, 1]])],
  ['stride 2, asymmetric pad, odd sizes', [2, 1, 9, 7, 5], [1, 3, 2], 7, { strides: [1, 2, 2], dilations: [1, 1, 1], pads: [none, [0, 1], [1, 0]], groups: 1 }],
  ['dilation 2, strides 3 and 2', [2, 1, 13, 12, 3], [1, 3, 3], 4, { strides: [1, 3, 2], dilations: [1, 2, 2], pads: [none, [2, 2], [2, 1]], groups: 1 }],
  ['groups 3', [1, 1, 9, 9, 9], [1, 3, 3], 6, conv2d(2, 1, [[1, 1], [1, 1]], 3)],
  ['depthwise multiplier 2', [2, 1, 6, 6, 3], [1, 3, 3], 6, conv2d(1, 1, [[1, 1], [1, 1]], 3)],
  ['1x1 pointwise', [2, 1, 5, 7, 33], [1, 1, 1], 17, conv2d(1, 1, [none, none])],
  ['1-D k5 stride 2', [3, 1, 1, 33, 4], [1, 1, 5], 6, { strides: [1, 1, 2], dilations: [1, 1, 1], pads: [none, none, [2, 2]], groups: 1 }],
  ['3-D 2x3x3 with depth padding and dilation', [2, 5, 6, 7, 3], [2, 3, 3], 4, { strides: [1, 2, 1], dilations: [2, 1, 1], pads: [[1, 0], [1, 1], [0, 2]], groups: 1 }],
  ['padding wider than the kernel', [1, 1, 4, 5, 2], [1, 2, 2], 3, conv2d(1, 1, [[3, 2], [2, 3]])],
];

const outSize = (n: number, k: number, s: number, d: number, p: [number, number]): number => Math.floor((n + p[0] + p[1] - ((k - 1) * d + 1)) / s) + 1;

describe.skipIf(!device)(`webgpu conv and its gradients = cpu${skipNote}`, () => {
  for (const [name, [n, d, h, w, c], [kd, kh, kw], f, attrs] of CONV_CASES) {
    it(name, async () => {
      const [od, oh, ow] = [0, 1, 2].map((i) => outSize([d, h, w][i], [kd, kh, kw][i], attrs.strides[i], attrs.dilations[i], attrs.pads[i]));
      const dims: ConvDims = { n, d, h, w, c, od, oh, ow, f, kd, kh, kw };
      const xShape = [n, d, h, w, c];
      const wShape = [kd, kh, kw, c / attrs.groups, f];
      const yShape = [n, od, oh, ow, f];
      const size = (s: number[]): number => s.reduce((p, q) => p * q, 1);
      const [x, wt, dy] = [random(size(xShape)), random(size(wShape)), random(size(yShape))];
      const [y, dx, dw] = [new Float32Array(size(yShape)), new Float32Array(size(xShape)), new Float32Array(size(wShape))];
      conv([buf(x, xShape), buf(wt, wShape)], [buf(y, yShape)], attrs);
      convBackpropInput([buf(dy, yShape), buf(wt, wShape)], [buf(dx, xShape)], attrs);
      convBackpropFilter([buf(x, xShape), buf(dy, yShape)], [buf(dw, wShape)], attrs);
      const [gx, gw, gdy] = [upload(x), upload(wt), upload(dy)];
      const [gy, gdx, gdw] = [output(y.length), output(dx.length), output(dw.length)];
      await run((enc) => {
        encodeConv(device!, enc, cache, gx, gw, gy, dims, attrs);
        encodeConvBackpropInput(device!, enc, cache, gdy, gw, gdx, dims, attrs);
        encodeConvBackpropFilter(device!, enc, cache, gx, gdy, gdw, dims, attrs);
      });
      expectClose(await download(gy, y.length), y, `${name}: conv`);
      expectClose(await download(gdx, dx.length), dx, `${name}: convBackpropInput`);
      expectClose(await download(gdw, dw.length), dw, `${name}: convBackpropFilter`);
      for (const g of [gx, gw, gdy, gy, gdx, gdw]) g.destroy();
    });
  }
});

/** x [N,D,H,W,C], window, strides, pads. */
type PoolCase = [string, [number, number, number, number, number], Omit<PoolAttrs, 'op'>];
const POOL_CASES: PoolCase[] = [
  ['2x2 stride 2 (LeNet)', [2, 1, 12, 12, 6], { window: [1, 2, 2], strides: [1, 2, 2], pads: [none, none, none] }],
  ['3x3 stride 2 same pad', [1, 1, 7, 9, 5], { window: [1, 3, 3], strides: [1, 2, 2], pads: [none, [1, 1], [1, 1]] }],
  ['3x3 stride 1 asymmetric pad', [2, 1, 5, 6, 8], { window: [1, 3, 3], strides: [1, 1, 1], pads: [none, [0, 2], [1, 1]] }],
  ['1-D window 3', [3, 1, 1, 33, 1], { window: [1, 1, 3], strides: [1, 1, 3], pads: [none, none, none] }],
  ['3-D 2x2x2', [2, 4, 5, 6, 4], { window: [2, 2, 2], strides: [2, 2, 2], pads: [none, [0, 1], none] }],
  ['overlapping 3x2 windows, stride 1x2', [1, 1, 6, 7, 3], { window: [1, 3, 2], strides: [1, 1, 2], pads: [none, [1, 0], [0, 1]] }],
];

describe.skipIf(!device)(`webgpu pooling = cpu${skipNote}`, () => {
  for (const [name, [n, d, h, w, c], geo] of POOL_CASES) {
    it(name, async () => {
      const [od, oh, ow] = [0, 1, 2].map((i) => outSize([d, h, w][i], geo.window[i], geo.strides[i], 1, geo.pads[i]));
      const dims: PoolDims = { n, d, h, w, c, od, oh, ow };
      const xShape = [n, d, h, w, c];
      const yShape = [n, od, oh, ow, c];
      const x = random(n * d * h * w * c);
      // Ties and a NaN: the first maximum wins, a NaN wins over everything.
      for (let i = 0; i + 1 < x.length; i += 7) x[i + 1] = x[i];
      x[5] = NaN;
      const dy = random(n * od * oh * ow * c);
      const ny = dy.length;
      const [maxY, maxI, avgY, dx] = [new Float32Array(ny), new Int32Array(ny), new Float32Array(ny), new Float32Array(x.length)];
      pool([buf(x, xShape)], [buf(maxY, yShape), buf(maxI, yShape)], { op: 'max', ...geo });
      pool([buf(x, xShape)], [buf(avgY, yShape)], { op: 'avg', ...geo });
      avgPoolBackprop([buf(dy, yShape)], [buf(dx, xShape)], { op: 'avg', ...geo });
      const [gx, gdy] = [upload(x), upload(dy)];
      const [gMax, gIdx, gMaxOnly, gAvg, gdx] = [output(ny), upload(new Int32Array(ny).fill(-1)), output(ny), output(ny), output(x.length)];
      await run((enc) => {
        encodePool(device!, enc, cache, gx, gMax, gIdx, dims, { op: 'max', ...geo });
        encodePool(device!, enc, cache, gx, gMaxOnly, null, dims, { op: 'max', ...geo });
        encodePool(device!, enc, cache, gx, gAvg, null, dims, { op: 'avg', ...geo });
        encodeAvgPoolBackprop(device!, enc, cache, gdy, gdx, dims, { op: 'avg', ...geo });
      });
      expectClose(await download(gMax, ny), maxY, `${name}: max`);
      expectClose(await download(gMaxOnly, ny), maxY, `${name}: max without indices`);
      expect(new Int32Array((await download(gIdx, ny)).buffer)).toEqual(maxI);
      expectClose(await download(gAvg, ny), avgY, `${name}: avg`);
      expectClose(await download(gdx, x.length), dx, `${name}: avgPoolBackprop`);
      for (const g of [gx, gdy, gMax, gIdx, gMaxOnly, gAvg, gdx]) g.destroy();
    });
  }
});
