// Every name the public entry exports (and every member of its namespaces: hb.layers.dense,
// hb.optimizers.adam …) has a doc comment, since the API reference (`npm run docs`) is built from
// them. scripts/doc-coverage.ts does the walk with the TypeScript compiler; run it directly for
// the coverage figure.
import { describe, expect, it } from 'vitest';
import { docCoverage } from '../../scripts/doc-coverage.js';

describe('API reference', () => {
  it('every exported name has a doc comment', () => {
    const cov = docCoverage();
    // The walk found the public API (not an empty or broken program): the namespaces and their members.
    const names = new Set(cov.names.map((n) => n.name));
    for (const n of [
      'Tensor',
      'matmul',
      'layers',
      'layers.dense',
      'optimizers.adam',
      'zoo.lenet5',
      'io.saveSafetensors',
      'datasets.mnist',
    ]) {
      expect(names.has(n), `the walk should find hb.${n}`).toBe(true);
    }
    expect(cov.total).toBeGreaterThan(500);
    const missing = cov.missing.map((m) => `${m.name} (${m.kind}, ${m.where})`);
    expect(
      missing,
      `${missing.length} exported names have no doc comment; add a /** … */ comment at:\n  ${missing.join('\n  ')}\n`,
    ).toEqual([]);
  }, 120_000);
});
