// Files survive crashes (issue 9): a child process trains and saves a checkpoint after every
// step (model.save: weights, optimizer state, model.json); it is SIGKILLed at a random moment,
// many times, each new child resuming from the checkpoint the last one left. After every kill the
// checkpoint must load (the directory, or the complete previous save that model.save keeps in
// `.prev` while it replaces files), and its weights must be bit-identical to an uninterrupted
// in-process run after the same number of steps, so resuming is exact (the RNG state, used by
// dropout, and Adam's moments included). More kills: HEBB_KILLS=200 npx vitest run test/crash
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalRng } from '../../src/base/index.js';
import * as hb from '../../src/index.js';
import { batch, buildModel, stepsOf, weightsOf } from './train-steps.js';

const KILLS = Number(process.env.HEBB_KILLS ?? 20);
const SEED = Number(process.env.HEBB_KILL_SEED ?? 99);
const work = mkdtempSync(join(tmpdir(), 'hebb-sigkill-'));
const bundle = join(work, 'child.mjs');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  // Bundled once, so each child starts in ~0.1 s of plain node instead of a TypeScript loader.
  await build({ entryPoints: [join(import.meta.dirname, 'child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
});

/** Start a child on `dir`, wait for its first save after resuming, let it run `ms` more, SIGKILL it. */
function runAndKill(dir: string, ms: number): Promise<{ saves: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let saves = 0;
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      saves += (chunk.toString().match(/saved/g) ?? []).length;
      if (timer === null && saves > 0) timer = setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ saves }) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('SIGKILL while saving checkpoints', () => {
  it(`${KILLS} kills at random moments: the last good checkpoint always loads and resumes exactly`, async () => {
    hb.setBackend('cpu');
    // The uninterrupted reference run, extended as far as the children get.
    const reference: number[][] = [];
    const refModel = buildModel();
    const { x, y } = batch();
    // loadModel restores the global generator a checkpoint saved, so the reference run keeps
    // its own generator state (dropout draws from it) and swaps it in for its steps.
    let refRng = globalRng.getState();
    const referenceAt = (step: number): number[] => {
      const outside = globalRng.getState();
      globalRng.setState(refRng);
      while (reference.length <= step) {
        if (reference.length > 0) refModel.trainOnBatch(x, y);
        reference.push(weightsOf(refModel));
      }
      refRng = globalRng.getState();
      globalRng.setState(outside);
      return reference[step];
    };
    let rand = SEED;
    const next = (): number => ((rand = (Math.imul(rand, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const dir = join(work, 'run');
    const warn = console.warn;
    let fallbacks = 0;
    console.warn = (...a: unknown[]) => void (String(a[0]).includes('interrupted save') ? fallbacks++ : warn(...a));
    let lastStep = 0;
    try {
      for (let k = 0; k < KILLS; k++) {
        const ms = Math.floor(next() * 250);
        await runAndKill(dir, ms);
        const loaded = await hb.loadModel(dir);
        const step = stepsOf(loaded);
        expect(step, `kill ${k} (after ${ms} ms): checkpoint went backwards`).toBeGreaterThanOrEqual(lastStep);
        expect(weightsOf(loaded), `kill ${k}: weights at step ${step} differ from the uninterrupted run`).toEqual(referenceAt(step));
        // Resume one step in this process too: the same as the reference's next step.
        loaded.trainOnBatch(x, y);
        expect(weightsOf(loaded)).toEqual(referenceAt(step + 1));
        lastStep = step;
      }
    } finally {
      console.warn = warn;
    }
    console.log(`${KILLS} SIGKILLs survived; the checkpoint reached step ${lastStep}; ${fallbacks} loads fell back to the previous complete save`);
    expect(lastStep).toBeGreaterThan(KILLS / 2);
  }, 30_000 + KILLS * 5_000);
});
