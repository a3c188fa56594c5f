// Determinism (issue 9): the same seed on the same backend gives bit-identical weights after
// training, in two separate processes, with fit's shuffling, dropout and random augmentation, on
// cpu and on wasm with 1 and with 2 threads. Each child prints a CRC-32 of all weight bytes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'hebb-determinism-'));
const bundle = join(work, 'child.mjs');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await build({ entryPoints: [join(import.meta.dirname, 'child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
});

function fingerprint(backend: string, threads: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, backend, String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`child ${backend}/${threads} exited ${code}: ${err}`))));
  });
}

const configs: [string, number][] = [['cpu', 1], ['wasm', 1], ...(availableParallelism() >= 2 ? [['wasm', 2] as [string, number]] : [])];

describe('same seed, same backend, two processes: bit-identical weights', () => {
  it.each(configs)('%s with %i thread(s)', async (backend, threads) => {
    const [a, b] = await Promise.all([fingerprint(backend, threads), fingerprint(backend, threads)]);
    console.log(`${backend} ×${threads}: ${a} | ${b}`);
    expect(a).toMatch(/^[0-9a-f]{8} \d+ /);
    expect(b).toBe(a);
  });
});
