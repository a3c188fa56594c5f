// `hebb export DIR --onnx FILE [--opset N]` and `hebb import FILE --out DIR`, run in a child
// process as users run them: a saved model goes to ONNX (checked in onnxruntime-node), and a
// PyTorch ONNX file becomes a hebb model folder that hb.loadModel reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { decodeModel } from '../../src/io/onnx/index.js';
import { maxAbsDiff, runOrt } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'cli/hebb.js');
const tmp = mkdtempSync(join(tmpdir(), 'hebb-onnx-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function hebb(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hebb export / import', () => {
  it('exports a saved model to ONNX at a chosen opset, and onnxruntime runs it', async () => {
    hb.setSeed(3);
    const m = hb.sequential([hb.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [8, 8, 1], activation: 'relu' }), hb.layers.flatten(), hb.layers.dense({ units: 4, activation: 'softmax' })]);
    await m.save(join(tmp, 'saved'));
    const file = join(tmp, 'm.onnx');
    const r = hebb('export', join(tmp, 'saved'), '--onnx', file, '--opset', '17');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/opset 17/);
    const bytes = new Uint8Array(readFileSync(file));
    expect(Number(decodeModel(bytes).opsetImport![0].version)).toBe(17);
    const x = hb.randomUniform([2, 8, 8, 1]);
    const [y] = await runOrt(bytes, { [m.inputNames[0]]: x });
    expect(maxAbsDiff(y, m.predict(x))).toBeLessThan(1e-4);
  });

  it('imports a PyTorch ONNX file into a model folder that hb.loadModel reads', async () => {
    const out = join(tmp, 'imported');
    const r = hebb('import', join(root, 'test/fixtures/onnx/gru.onnx'), '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/saved .*parameters/);
    const m = await hb.loadModel(out);
    const ref = JSON.parse(readFileSync(join(root, 'test/fixtures/onnx/gru.json'), 'utf8')) as { input: number[]; inputShape: number[]; output: number[]; outputShape: number[] };
    const y = m.predict(hb.tensor(ref.input, ref.inputShape)) as hb.Tensor;
    expect(maxAbsDiff(y, hb.tensor(ref.output, ref.outputShape))).toBeLessThan(1e-4);
  });

  it('bad arguments are one-line CLI errors: an opset out of range, a file that is not ONNX (in-process, the commands themselves)', async () => {
    const { exportModel } = await import('../../cli/commands/export.js');
    const { importModel } = await import('../../cli/commands/import.js');
    await expect(exportModel('lenet5', { onnx: join(tmp, 'x.onnx'), opset: 9 }, () => {})).rejects.toThrow(/opset must be from 13 to 21/);
    expect(existsSync(join(tmp, 'x.onnx'))).toBe(false);
    await expect(importModel(join(root, 'package.json'), { out: join(tmp, 'o2') }, () => {})).rejects.toThrow(/^import: cannot import .*package\.json: .*not a valid ONNX protobuf/);
    expect(existsSync(join(tmp, 'o2'))).toBe(false);
    await expect(importModel(join(tmp, 'nope.onnx'), { out: join(tmp, 'o3') }, () => {})).rejects.toThrow(/no such file/);
  });
});
