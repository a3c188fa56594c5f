// The layer table of docs/architecture.md, enforced: first the checker is shown to catch each kind of violation
// on synthetic file maps, then the real tree must have none.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImports, parseImports, readSourceTree, type Violation } from '../scripts/check-imports.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A synthetic tree: every folder's index exists so specifiers resolve to real files. */
function tree(extra: Record<string, string>): Map<string, string> {
  const base: Record<string, string> = {
    'src/index.ts': "export * from './ops/index.js';\nexport * from './zoo/index.js';",
    'src/base/index.ts': 'export const a = 1;',
    'src/backend/index.ts': "import { a } from '../base/index.js';",
    'src/tensor/index.ts': "import type { Op } from '../ops/index.js';",
    'src/ops/index.ts': "import { T } from '../tensor/index.js';",
    'src/autograd/index.ts': "import { op } from '../ops/index.js';",
    'src/nn/index.ts': "import { grad } from '../autograd/index.js';",
    'src/model/index.ts': "import { dense } from '../nn/index.js';",
    'src/zoo/index.ts': "import { Model } from '../model/index.js';",
  };
  return new Map(Object.entries({ ...base, ...extra }));
}

const kinds = (vs: Violation[]): string[] => vs.map((v) => v.kind);

describe('import parser', () => {
  it('finds static, re-export, side-effect, type-only and dynamic imports, and skips comments', () => {
    const src = [
      "import { a, b } from './x.js';",
      "import type { T } from '../t.js'",
      "import * as m from './m.js';",
      "export * from './e.js';",
      "export { q as r } from './q.js';",
      "export type { U } from './u.js';",
      "import './side.js';",
      'import {',
      '  multi,',
      '  line,',
      "} from './multi.js';",
      "const lazy = await import('./lazy.js');",
      "// import { no } from './commented.js';",
      "/* import('./block.js') */",
      "const text = 'not an import from here';",
      "export const value = 3; export function f() { return 'x'; }",
    ].join('\n');
    const found = parseImports(src).map((r) => `${r.specifier}${r.typeOnly ? ':type' : ''}${r.dynamic ? ':dynamic' : ''}`).sort();
    expect(found).toEqual([
      '../t.js:type', './e.js', './lazy.js:dynamic', './m.js', './multi.js', './q.js', './side.js', './u.js:type', './x.js',
    ].sort());
  });
});

describe('the checker catches violations (synthetic trees)', () => {
  it('accepts a tree that follows the table', () => {
    expect(checkImports(tree({}))).toEqual([]);
  });

  it('reports an upward import: base imports ops', () => {
    const vs = checkImports(tree({ 'src/base/shape.ts': "import { add } from '../ops/index.js';" }));
    expect(kinds(vs)).toEqual(['layer']);
    expect(vs[0].file).toBe('src/base/shape.ts');
    expect(vs[0].message).toContain('src/base');
    expect(vs[0].message).toContain('src/ops');
  });

  it('counts type-only, re-export and dynamic imports too', () => {
    expect(kinds(checkImports(tree({ 'src/backend/x.ts': "import type { Tensor } from '../tensor/index.js';" })))).toEqual(['layer']);
    expect(kinds(checkImports(tree({ 'src/ops/x.ts': "export { grad } from '../autograd/index.js';" })))).toContain('layer');
    const dyn = checkImports(tree({ 'src/nn/x.ts': "export async function f() { return import('../model/index.js'); }" }));
    expect(kinds(dyn)).toContain('layer');
    expect(dyn[0].message).toContain('dynamic');
  });

  it('checks every row of the table', () => {
    const bad: [string, string][] = [
      ['src/backend/a.ts', '../tensor/index.js'],
      ['src/tensor/a.ts', '../autograd/index.js'],
      ['src/autograd/a.ts', '../backend/index.js'],
      ['src/nn/a.ts', '../model/index.js'],
      ['src/optim/a.ts', '../nn/index.js'],
      ['src/data/a.ts', '../io/index.js'],
      ['src/io/a.ts', '../zoo/index.js'],
      ['src/model/a.ts', '../zoo/index.js'],
      ['src/zoo/a.ts', '../index.js'],
      ['src/ops/a.ts', '../../cli/main.js'],
    ];
    for (const [file, spec] of bad) {
      const vs = checkImports(tree({ [file]: `import { x } from '${spec}';` })).filter((v) => v.kind === 'layer');
      expect(vs.map((v) => v.file), `${file} → ${spec}`).toEqual([file]);
    }
    const good: [string, string][] = [
      ['src/backend/cpu/k.ts', '../../base/index.js'],
      ['src/tensor/a.ts', '../backend/index.js'],
      ['src/autograd/a.ts', '../tensor/index.js'],
      ['src/io/a.ts', '../autograd/index.js'],
      ['src/model/a.ts', '../optim/index.js'],
      ['src/zoo/a.ts', '../nn/index.js'],
      ['src/index.ts', './model/index.js'],
    ];
    for (const [file, spec] of good) {
      expect(checkImports(tree({ [file]: `import { x } from '${spec}';` })), `${file} → ${spec}`).toEqual([]);
    }
  });

  it('reports a folder the table does not know', () => {
    const vs = checkImports(tree({ 'src/utils/a.ts': "import { a } from '../base/index.js';" }));
    expect(kinds(vs)).toEqual(['unknown-folder']);
    expect(vs[0].message).toContain('src/utils');
  });

  it('lets programs import only src/index.ts and src/zoo', () => {
    expect(checkImports(tree({
      'cli/main.ts': "import * as hb from '../src/index.js';\nimport { lenet5 } from '../src/zoo/index.js';\nimport { x } from './args.js';\nimport { Command } from 'commander';",
      'cli/args.ts': 'export const x = 1;',
      'examples/xor.ts': "import * as hb from 'hebb';",
    }))).toEqual([]);
    const vs = checkImports(tree({
      'bench/matmul.ts': "import { matmul } from '../src/ops/index.js';",
      'web/app.ts': "const m = await import('../src/nn/index.js');",
      'examples/a.ts': "import { run } from '../bench/matmul.js';",
      'cli/b.ts': "import { ref } from '../test/util/reference.js';\nimport pkg from '../package.json' with { type: 'json' };",
    }));
    expect(vs.map((v) => `${v.kind} ${v.file}`).sort()).toEqual(['program bench/matmul.ts', 'program cli/b.ts', 'program examples/a.ts', 'program web/app.ts']);
    expect(vs.find((v) => v.file === 'cli/b.ts')?.specifier).toBe('../test/util/reference.js');
  });

  it('reports folder cycles, except tensor ↔ ops', () => {
    // tensor ↔ ops alone is permitted (the synthetic base tree already has it).
    expect(kinds(checkImports(tree({})))).not.toContain('cycle');
    const vs = checkImports(tree({ 'src/ops/grad-hook.ts': "import { grad } from '../autograd/index.js';" }));
    const cycles = vs.filter((v) => v.kind === 'cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0].message).toContain('src/autograd');
    expect(cycles[0].message).toContain('src/ops');
  });
});

describe('the real tree', () => {
  it('follows docs/architecture.md: no upward imports, no unknown folders, no folder cycles', () => {
    const files = readSourceTree(root);
    expect(files.has('src/index.ts')).toBe(true);
    expect(files.size).toBeGreaterThan(30);
    const violations = checkImports(files);
    expect(violations.map((v) => v.message)).toEqual([]);
  });

  it('runs as a script: `npx tsx scripts/check-imports.ts` exits 0 on the real tree', () => {
    const tsx = resolve(root, 'node_modules/.bin/tsx');
    const run = spawnSync(tsx, [resolve(root, 'scripts/check-imports.ts')], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).not.toContain('violation');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('follow');
  });

  it('exits 1 with a list of violations on a tree that breaks the table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-imports-'));
    try {
      for (const [file, text] of tree({ 'src/base/shape.ts': "import { add } from '../ops/index.js';" })) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      const tsx = resolve(root, 'node_modules/.bin/tsx');
      const run = spawnSync(tsx, [resolve(root, 'scripts/check-imports.ts'), dir], { cwd: root, encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('src/base/shape.ts');
      expect(run.stderr).toContain('1 violation');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
