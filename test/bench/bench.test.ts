// Smoke test of the benchmark's core on a tiny subset: the rows come out complete and positive
// and the engines agree on the results. Not a timing assertion.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport, runBench, writeResults } from '../../bench/run.js';

describe('bench', () => {
  it('runs matmul 64 NN and one MLP step on hebb cpu and TF.js cpu', async () => {
    const result = await runBench({
      quick: true,
      cases: ['matmul', 'mlp-train'],
      engines: ['hebb-cpu', 'tfjs-cpu'],
      matmulSizes: [64],
      matmulForms: ['NN'],
      modelBatches: { mlpTrain: 8 },
      timing: { budgetMs: 1, minSamples: 1, maxSamples: 1, minSampleMs: 1 },
      log: () => {},
    });

    expect(result.engines.map((e) => e.id).sort()).toEqual(['hebb-cpu', 'tfjs-cpu']);
    expect(result.summary.map((s) => s.caseId)).toEqual(['matmul-nn-64', 'mlp-train']);
    for (const caseId of ['matmul-nn-64', 'mlp-train']) {
      const engines = result.rows.filter((r) => r.caseId === caseId && r.variant === null).map((r) => r.engine);
      expect(engines.sort()).toEqual(['hebb-cpu', 'tfjs-cpu']);
    }
    for (const r of result.rows) {
      expect(r.error, `${r.caseId} ${r.engine}`).toBeNull();
      expect(r.rate).toBeGreaterThan(0);
      expect(Number.isFinite(r.rate)).toBe(true);
      expect(r.medianSeconds).toBeGreaterThan(0);
      expect(r.samples).toBeGreaterThanOrEqual(1);
      expect(r.innerRuns).toBeGreaterThanOrEqual(1);
      expect(r.threads).toBe(1);
      expect(r.backend).toBe('cpu');
      expect(r.unit).toBe(r.group === 'matmul' ? 'GFLOP/s' : 'samples/s');
    }
    // Same inputs and weights on every engine: the first result (checksum or loss) agrees.
    for (const r of result.rows.filter((row) => row.variant === null)) {
      expect(r.checkRelErr, `${r.caseId} ${r.engine}`).not.toBeNull();
      expect(r.checkRelErr!).toBeLessThan(1e-3);
    }
    for (const s of result.summary) expect(s.bestRatio).toBeGreaterThan(0);
    expect(result.machine.nproc).toBeGreaterThan(0);
    expect(result.machine.node).toBe(process.version);

    const report = formatReport(result);
    expect(report).toContain('matmul NN 64');
    expect(report).toContain('MLP 784-500-500-10 train, SGD, batch 8');

    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hebb-bench-')), 'results.json');
    writeResults(result, file);
    expect(JSON.parse(readFileSync(file, 'utf8')).rows).toHaveLength(result.rows.length);
  });
});
