// `hebb train gan` is registered under `train` without disturbing `train mnist`: its help lists
// its own options, a GAN name is refused for `train mnist` with a clear error, and a non-GAN model
// is refused for `train gan`. (Training runs are in the report, not in the unit suite.)
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const hebb = (...args: string[]) => spawnSync(process.execPath, [join(root, 'cli/hebb.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });

describe('hebb train gan', () => {
  it('has its own help, and refuses models of the other command', () => {
    const help = hebb('train', 'gan', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--judge <dir>/);
    expect(help.stdout).toMatch(/DIR\/generator/);
    const wrong = hebb('train', 'gan', '--model', 'lenet5', '--epochs', '1');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/--model must be one of gan, dcgan, cgan, wgan, wgan-gp/);
    const mnist = hebb('train', 'mnist', '--model', 'dcgan', '--epochs', '1', '--limit', '64', '--no-report', '--out', join(root, '.tmp', 'h11-never'));
    expect(mnist.status).not.toBe(0);
    expect(mnist.stderr).toMatch(/unknown model 'dcgan'/);
  }, 300_000);
});
