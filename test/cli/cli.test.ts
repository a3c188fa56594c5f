// The `hebb` command line run as users run it, in a child process: help, usage errors, broken
// inputs (one line on stderr, a non-zero code, no stack trace), summary, a smoke training run on
// 512 MNIST digits with its saved model and report, evaluate, predict on a generated PNG,
// resume, and Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'cli/hebb.js');
const tmp = mkdtempSync(join(tmpdir(), 'hebb-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `hebb …args` through the package's bin (tsx registered in-process, as for users). */
function hebb(...args: string[]): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A usage or run-time failure as the CLI promises it: one line on stderr, no stack trace. */
function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^hebb: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** A `w`×`h` PNG of a dark vertical stroke (a "1") on white paper. */
function digitPng(path: string, w = 60, h = 80): void {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ink = x >= 26 && x < 34 && y >= 10 && y < 70;
      png.data.set(ink ? [20, 20, 20, 255] : [250, 250, 250, 255], 4 * (y * w + x));
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

describe('hebb --help and usage errors', () => {
  it('lists every command, and each command has its own --help', () => {
    const top = hebb('--help');
    expect(top.status).toBe(0);
    for (const cmd of ['train', 'evaluate', 'predict', 'summary', 'bench', 'export']) expect(top.stdout).toContain(cmd);
    for (const [cmd, option] of [['train', '--resume'], ['evaluate', '--batch-size'], ['predict', '--top'], ['summary', '<model>'], ['bench', '--quick'], ['export', '--onnx']]) {
      const r = hebb(cmd, '--help');
      expect(r.status, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(option);
    }
  });

  it('also runs through `tsx cli/main.ts` (npm run hebb)', () => {
    const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['cli/main.ts', '--version'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects bad options and arguments with exit code 2 and one line', () => {
    expectOneLineError(hebb('train', 'mnist', '--epochs', 'many'), 2, /--epochs.*'many'.*positive whole number/);
    expectOneLineError(hebb('train', 'mnist', '--model', 'resnet9'), 2, /--model.*resnet9.*lenet5, mlp/);
    expectOneLineError(hebb('train', 'mnist', '--lr', '-1'), 2, /--lr/);
    expectOneLineError(hebb('train', 'mnist', '--frobnicate'), 2, /unknown option '--frobnicate'/);
    expectOneLineError(hebb('train', 'cifar10', '--limit', '10'), 2, /unknown dataset 'cifar10'/);
    expectOneLineError(hebb('train'), 2, /missing required argument 'dataset'/);
    expectOneLineError(hebb('trian'), 2, /unknown command 'trian'.*train/);
    expectOneLineError(hebb('train', 'mnist', '--backend', 'quantum', '--limit', '10'), 2, /unknown backend 'quantum'/);
    expectOneLineError(hebb('train', 'mnist', '--backend', 'cpu', '--threads', '2', '--limit', '10'), 2, /--threads applies to the wasm backend/);
    expectOneLineError(hebb('train', 'mnist', '--lr-decay', '2'), 2, /--lr-decay.*\(0, 1\]/);
    expectOneLineError(hebb('train', 'mnist', '--no-fresh-strips', '--limit', '10'), 2, /--no-fresh-strips applies to digit-strips only/);
    expectOneLineError(hebb('train', 'srcnn', '--train', '100'), 2, /--train applies to digit-strips only/);
    expectOneLineError(hebb('train', 'mnist', '--crnn', '{}', '--limit', '10'), 2, /--crnn applies to digit-strips only/);
    expectOneLineError(hebb('train', 'digit-strips', '--crnn', '{filters'), 2, /--crnn must be a JSON object/);
    expectOneLineError(hebb('train', 'digit-strips', '--crnn', '{"filter":[1,2,3]}'), 2, /did you mean 'filters'/);
    expectOneLineError(hebb('train', 'mnist', '--strip-augment', '{}', '--limit', '10'), 2, /--strip-augment applies to digit-strips only/);
    expectOneLineError(hebb('train', 'digit-strips', '--strip-augment', '[1]'), 2, /--strip-augment must be a JSON object/);
    expectOneLineError(hebb('train', 'digit-strips', '--strip-augment', '{"elastik":34}'), 2, /did you mean 'elastic'/);
    expectOneLineError(hebb('train', 'digit-strips', '--strip-augment', '{"elastic":34}', '--no-augment'), 2, /not both/);
  });

  it('bench runs the benchmark (bench/run.ts) on a case and engine picked by the options', () => {
    const r = hebb('bench', '--quick', '--cases', 'matmul-nt-128', '--engines', 'hebb-cpu');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/GFLOP\/s/);
  });

  it('export of a missing model says so in one line and writes nothing (the ONNX path itself: test/onnx/cli.test.ts)', () => {
    expectOneLineError(hebb('export', 'some-run', '--onnx', join(tmp, 'm.onnx')), 1, /some-run/);
    expect(existsSync(join(tmp, 'm.onnx'))).toBe(false);
  });
});

describe('hebb summary', () => {
  it('prints LeNet-5 with its 61,706 parameters, and the MLP with 648,010', () => {
    const r = hebb('summary', 'lenet5');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Total params: 61,706');
    expect(r.stdout).toMatch(/c1 \(Conv2D\)/);
    expect(hebb('summary', 'mlp').stdout).toContain('648,010');
  });

  it('names the zoo models when given neither a zoo name nor a folder', () => {
    expectOneLineError(hebb('summary', 'lenet6'), 1, /lenet6: neither a zoo model \(.*lenet5.*\) nor a saved model folder/);
  });
});

describe('broken model folders', () => {
  it('a missing folder, a folder without model.json and a corrupt model.json each give one line', () => {
    const missing = join(tmp, 'no-such-run');
    expectOneLineError(hebb('evaluate', missing, 'mnist'), 1, /no-such-run: no such model folder/);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expectOneLineError(hebb('predict', empty, 'x.png'), 1, /not a saved model \(no model\.json\)/);
    const corrupt = join(tmp, 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, 'model.json'), '{ "format": "hebb-model", ');
    expectOneLineError(hebb('summary', corrupt), 1, /corrupt.*cannot load the model/);
    expectOneLineError(hebb('evaluate', corrupt, 'mnist'), 1, /cannot load the model/);
  });

  it('--debug adds the stack trace', () => {
    const r = hebb('summary', join(tmp, 'no-such-dir-either'), '--debug');
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^hebb: /);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('a file where a folder is expected, and --resume of a folder that is not a run', () => {
    const file = join(tmp, 'plain.txt');
    writeFileSync(file, 'hello');
    expectOneLineError(hebb('summary', file), 1, /not a folder/);
    expectOneLineError(hebb('train', 'mnist', '--resume', join(tmp, 'empty')), 1, /not a hebb training run/);
  });
});

describe('hebb train mnist (smoke run on 512 digits), then evaluate, predict and resume', () => {
  const run = join(tmp, 'smoke');
  let train: Run;

  beforeAll(() => {
    train = hebb('train', 'mnist', '--model', 'mlp', '--epochs', '1', '--limit', '512', '--out', run);
  }, 300_000);

  it('trains, prints validation and test accuracy, and saves the model, its state and the report', () => {
    expect(train.status, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/training mlp \(648,010 parameters\) on MNIST: 461 training, 51 validation, 512 test digits/);
    // stdout is a pipe here, so progress comes as plain lines, the epoch's last one included.
    expect(train.stdout).toMatch(/epoch 1\/1 +loss \d\.\d{4} +acc \d\.\d{4} +val_loss/);
    expect(train.stdout).toMatch(/validation accuracy +\d+\.\d\d %/);
    expect(train.stdout).toMatch(/test accuracy +\d+\.\d\d % on 512 digits/);
    expect(train.stdout).toMatch(/wall time/);
    for (const f of ['model.json', 'weights.safetensors', 'optimizer.safetensors', 'train-state.json', 'report.html', 'curves.png']) {
      expect(existsSync(join(run, f)), f).toBe(true);
    }
    const state = JSON.parse(readFileSync(join(run, 'train-state.json'), 'utf8'));
    expect(state).toMatchObject({ epochsDone: 1, complete: true, settings: { model: 'mlp', limit: 512 } });
    // 1 epoch on 461 digits is well above chance (10 %).
    expect(state.test.accuracy).toBeGreaterThan(0.3);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    for (const id of ['curves', 'confusion', 'misclassified', 'filters', 'summary']) expect(html).toContain(`id="${id}"`);
  });

  it('refuses to overwrite a run folder', () => {
    expectOneLineError(hebb('train', 'mnist', '--model', 'mlp', '--limit', '64', '--out', run), 1, /already holds a saved model/);
  });

  it('evaluate reports loss, accuracy and per-class recall', () => {
    const r = hebb('evaluate', run, 'mnist', '--limit', '200');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accuracy +\d+\.\d\d %/);
    expect(r.stdout).toMatch(/loss +\d\.\d{4}/);
    expect(r.stdout.match(/^ {2}\d {2}/gm)).toHaveLength(10);
  });

  it('predict prints the top-3 classes with probabilities for a PNG, and --show draws the input', () => {
    const png = join(tmp, 'one.png');
    digitPng(png);
    const r = hebb('predict', run, png, '--show');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const head = lines.findIndex((l) => l.startsWith(`${png}: `));
    expect(head).toBeGreaterThan(10); // the 28-line picture comes first
    const top = lines.slice(head + 1, head + 4).map((l) => /^ {2}(\d) +(\d+\.\d\d) %$/.exec(l));
    expect(top.every((m) => m !== null)).toBe(true);
    const probs = top.map((m) => Number(m![2]));
    expect(probs[0]).toBeGreaterThanOrEqual(probs[1]);
    expect(probs[1]).toBeGreaterThanOrEqual(probs[2]);
    expect(probs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.01);
    expect(lines[head]).toBe(`${png}: ${top[0]![1]}`);
  });

  it('predict rejects a file that is not an image, and a missing one', () => {
    const txt = join(tmp, 'notes.txt');
    writeFileSync(txt, 'not a picture');
    expectOneLineError(hebb('predict', run, txt), 1, /notes\.txt: not a PNG or JPEG file/);
    expectOneLineError(hebb('predict', run, join(tmp, 'nope.png')), 1, /nope\.png: no such image file/);
  });

  it('a truncated weights file is reported as a corrupt model, in one line', () => {
    const broken = join(tmp, 'truncated');
    mkdirSync(broken);
    for (const f of ['model.json', 'weights.safetensors']) copyFileSync(join(run, f), join(broken, f));
    truncateSync(join(broken, 'weights.safetensors'), 1000);
    expectOneLineError(hebb('evaluate', broken, 'mnist', '--limit', '10'), 1, /truncated: cannot load the model/);
  });

  it('--resume continues a finished run for more epochs, and says when there is nothing left to do', () => {
    expectOneLineError(hebb('train', 'mnist', '--resume', run), 2, /already trained 1 epoch/);
    const r = hebb('train', 'mnist', '--resume', run, '--epochs', '2', '--no-report');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/resuming mlp/);
    expect(r.stdout).toMatch(/epoch 2\/2 +loss/);
    const state = JSON.parse(readFileSync(join(run, 'train-state.json'), 'utf8'));
    expect(state.epochsDone).toBe(2);
    expect(state.history.loss).toHaveLength(2);
  });
});

describe('Ctrl-C during training', () => {
  it('finishes the batch, saves a checkpoint, exits 130, and --resume carries on from it', async () => {
    const run = join(tmp, 'interrupted');
    const child = spawn(process.execPath, [bin, 'train', 'mnist', '--model', 'mlp', '--epochs', '50', '--limit', '640', '--batch-size', '32', '--out', run], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Signal once training is under way: the first progress line of epoch 1.
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/epoch +1\/50 +\d+%/.test(stdout)) ready();
      });
      child.on('exit', () => fail(new Error(`exited before training: ${stderr}`)));
    });
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/stopped in epoch 1 after \d+ of 576 samples; checkpoint saved/);
    expect(stderr).toMatch(/finishing the current batch/);
    const state = JSON.parse(readFileSync(join(run, 'train-state.json'), 'utf8'));
    expect(state).toMatchObject({ epochsDone: 0, complete: false, interrupted: { epoch: 1 } });
    expect(state.interrupted.samples % 32).toBe(0);
    expect(existsSync(join(run, 'weights.safetensors'))).toBe(true);

    const resumed = hebb('train', 'mnist', '--resume', run, '--epochs', '1', '--no-report');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/test accuracy/);
    expect(JSON.parse(readFileSync(join(run, 'train-state.json'), 'utf8'))).toMatchObject({ epochsDone: 1, complete: true, interrupted: null });
  }, 300_000);
});
