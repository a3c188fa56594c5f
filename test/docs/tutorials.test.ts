// The tutorials of docs/tutorials/ run as written: examples/tutorials/<name>.ts is generated from
// each one's code blocks (scripts/tutorials.ts), must match the markdown, and runs here; its
// printed results must show what the tutorial's text claims (values from the math of the example,
// not from hebb: a 2×2 max pool of a known grid, d/dx Σx² = 2x, a padded sequence's encoding…).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { programPath, tutorialFiles, tutorialProgram } from '../../scripts/tutorials.js';

/** Lines each tutorial must print (regular expressions over its console output). */
const CLAIMS: Record<string, RegExp[]> = {
  '01-perceptron': [/AND: 4\/4 right/, /OR: 4\/4 right/, /XOR: [0-3]\/4 right/],
  '02-mlp-backprop': [
    /d\/dx Σx² at \[1, 2, 3\] = \[ 2, 4, 6 \]/,
    /d²\/dx² x³ at 2 = \[ 12 \]/,
    /gradient check: ok/,
    /accuracy 1\b/,
  ],
  '03-cnn': [
    /max pool: \[ \[ 6, 5 \], \[ 7, 9 \] \]/,
    /avg pool: \[ \[ 3\.5, 2 \], \[ 2\.5, 6 \] \]/,
    /vertical edges:\n \[ \[ -2, 0, 0, 2 \], \[ -3, 0, 0, 3 \]/,
    /test loss [\d.]+, accuracy [\d.]+ %/,
  ],
  '04-classic-networks': [
    /untrained LeNet-5 on two random images: \[ 2, 10 \]/,
    /output \[ 4, 10 \]/,
    /resnet18 .* parameters/,
  ],
  '05-rnn-lstm-ctc': [
    /lstm, every step: \[ 2, 5, 4 \]/,
    /bidirectional gru: \[ 2, 8 \]/,
    /padding changes the encoding by 0\b/,
    /greedy CTC decoding: \[ \[ 1, 2 \], \[ 2, 2, 1 \] \]/,
  ],
  '06-gan-autoencoders': [
    /code \[ 200, 32 \]/,
    /eight new digits from z ~ N\(0, I\): \[ 8, 28, 28, 1 \]/,
    /16 samples tiled/,
    /hidden features of one digit: \[ 1, 64 \]/,
  ],
  '07-training-tricks': [
    /ones {9}: 1 distinct hidden units of 32/,
    /glorotUniform: 32 distinct hidden units of 32/,
    /learning rate at steps 0, 100, 200: \[ 0\.05, 0\.025, 0\.0125 \]/,
  ],
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tutorials', () => {
  const files = tutorialFiles();

  it('one per lecture chapter, each with its claims listed here', () => {
    expect(files.map((f) => path.basename(f, '.md'))).toEqual(Object.keys(CLAIMS));
  });

  for (const md of files) {
    const name = path.basename(md, '.md');
    it(`${name}: examples/tutorials/${name}.ts is the tutorial's code, and it runs`, async () => {
      const generated = readFileSync(programPath(md), 'utf8');
      expect(generated, `examples/tutorials/${name}.ts is stale: run npx tsx scripts/tutorials.ts --write`).toBe(
        tutorialProgram(md),
      );
      const lines: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
      await import(pathToFileURL(programPath(md)).href);
      const output = lines.join('\n');
      for (const claim of CLAIMS[name]) expect(output, `${name} should print ${claim}`).toMatch(claim);
    }, 300_000);
  }
});
