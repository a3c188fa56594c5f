// The import-direction checker for the layer table of docs/architecture.md: imports point down the stack only.
// It parses every static import/export-from and dynamic import('…') in src/ and in the programs
// (cli/, web/, examples/, bench/), resolves relative specifiers to files, and reports
//   - an import from a folder the table does not allow (base → ops, nn → model, …),
//   - a folder the table does not know (src/utils/ would need a row first),
//   - a program reaching into src/ anywhere but src/index.ts or src/zoo/,
//   - a cycle between src folders (tensor ↔ ops is the one the table permits).
// Usable as a function (test/architecture.test.ts) and as `npx tsx scripts/check-imports.ts`,
// which prints the violations and exits 1 if there are any (an optional argument names another
// repository root to check).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Which src folders each src folder may import (besides itself). `index` is src/index.ts. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  base: [],
  backend: ['base'],
  tensor: ['base', 'backend', 'ops'],
  ops: ['base', 'backend', 'tensor'],
  autograd: ['base', 'tensor', 'ops'],
  nn: ['base', 'tensor', 'ops', 'autograd'],
  optim: ['base', 'tensor', 'ops', 'autograd'],
  data: ['base', 'tensor', 'ops', 'autograd'],
  io: ['base', 'tensor', 'ops', 'autograd'],
  // "model: the above" — every row above it in the table.
  model: ['base', 'backend', 'tensor', 'ops', 'autograd', 'nn', 'optim', 'data', 'io'],
  // "zoo: model and everything below it (not the index, which re-exports zoo)".
  zoo: ['base', 'backend', 'tensor', 'ops', 'autograd', 'nn', 'optim', 'data', 'io', 'model'],
  // Generative models and unsupervised pre-training sit beside the zoo: models built on `model`.
  generative: ['base', 'backend', 'tensor', 'ops', 'autograd', 'nn', 'optim', 'data', 'io', 'model'],
  unsupervised: ['base', 'backend', 'tensor', 'ops', 'autograd', 'nn', 'optim', 'data', 'io', 'model', 'generative'],
  // Applications built on models (issue 12): what a network sees, and attacks on it.
  explain: ['base', 'backend', 'tensor', 'ops', 'autograd', 'nn', 'optim', 'data', 'io', 'model'],
  adversarial: ['base', 'backend', 'tensor', 'ops', 'autograd', 'nn', 'optim', 'data', 'io', 'model'],
  // Browser conveniences (issue 15): training in a Web Worker, models over HTTP.
  browser: ['base', 'backend', 'tensor', 'ops', 'autograd', 'nn', 'optim', 'data', 'io', 'model'],
};

/** Programs that use the library only through its public index (and the zoo). */
export const PROGRAMS: readonly string[] = ['cli', 'web', 'examples', 'bench'];

/** The one folder cycle the table permits: tensor and ops know each other through a declared interface. */
const PERMITTED_CYCLE = ['ops', 'tensor'];

export interface Violation {
  kind: 'layer' | 'unknown-folder' | 'program' | 'cycle';
  /** The importing file (repo-relative, forward slashes); for a cycle, the first file of its first edge. */
  file: string;
  /** The specifier as written; for a cycle, the folders in order. */
  specifier: string;
  message: string;
}

export interface ImportRef {
  specifier: string;
  /** `import type` / `export type` (no run-time edge, but still a design dependency). */
  typeOnly: boolean;
  dynamic: boolean;
}

/**
 * Source text with comments blanked out, leaving string and template literals intact, so that a
 * commented-out import or an example in a doc comment does not count.
 */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      i += 2;
      while (i < n && !(source[i] === '*' && source[i + 1] === '/')) {
        if (source[i] === '\n') out += '\n';
        i++;
      }
      i += 2;
    } else if (c === '"' || c === "'" || c === '`') {
      // Copy the literal verbatim, honouring escapes (templates with ${} nesting are rare in
      // import lines; their text is copied as is).
      out += c;
      i++;
      while (i < n && source[i] !== c) {
        if (source[i] === '\\') out += source[i++];
        if (c !== '`' && source[i] === '\n') break;
        out += source[i++];
      }
      if (i < n) out += source[i++];
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// `import x from '…'`, `import { a } from '…'`, `import * as m from '…'`, `import type … from '…'`,
// `export { a } from '…'`, `export * from '…'`, `export type { T } from '…'`, `import '…'`.
const STATIC = /(?:^|[;\n}])\s*(import|export)(\s+type)?\s+(?:[\w$*{}\s,]+?\s+from\s+)?(['"])([^'"\n]+)\3/g;
const SIDE_EFFECT = /(?:^|[;\n}])\s*import\s*(['"])([^'"\n]+)\1/g;
// `import('…')` and `await import("…")`, with a literal specifier only.
const DYNAMIC = /(?<![\w$.])import\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g;

/** Every import/export-from specifier in `source`. */
export function parseImports(source: string): ImportRef[] {
  const text = stripComments(source);
  const refs: ImportRef[] = [];
  for (const m of text.matchAll(STATIC)) {
    // `export const x = …` and `export function …` carry no `from`: the regex needs a quote right
    // after the clause, so they never match; `import type` marks a type-only edge.
    refs.push({ specifier: m[4], typeOnly: m[2] !== undefined, dynamic: false });
  }
  for (const m of text.matchAll(SIDE_EFFECT)) refs.push({ specifier: m[2], typeOnly: false, dynamic: false });
  for (const m of text.matchAll(DYNAMIC)) {
    // A template with ${…} cannot be resolved statically; TypeScript would not resolve it either.
    if (!m[2].includes('${')) refs.push({ specifier: m[2], typeOnly: false, dynamic: true });
  }
  // A side-effect import also matches STATIC's optional-clause form; keep one of each.
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.specifier}|${r.typeOnly}|${r.dynamic}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Repo-relative posix path of `spec` imported from `file`, or null for a package specifier. */
export function resolveSpecifier(file: string, spec: string, files: ReadonlyMap<string, string>): string | null {
  if (!spec.startsWith('.') && !spec.startsWith('/')) return null;
  const parts = [...file.split('/').slice(0, -1)];
  for (const seg of spec.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  const base = parts.join('/');
  // NodeNext ESM: './x.js' names the file compiled from './x.ts'; a folder means its index.
  const candidates = [
    base,
    base.replace(/\.(m|c)?js$/, '.$1ts'),
    base.replace(/\.jsx$/, '.tsx'),
    `${base}.ts`,
    `${base}.tsx`,
    `${base}/index.ts`,
  ];
  return candidates.find((c) => files.has(c)) ?? base.replace(/\.js$/, '.ts');
}

/** The layer a repo-relative path belongs to: a src folder, 'index', a program, or null (elsewhere). */
export function layerOf(path: string): { area: 'src' | 'program' | 'other'; folder: string } {
  const parts = path.split('/');
  if (parts[0] === 'src') {
    if (parts.length === 2) return { area: 'src', folder: parts[1] === 'index.ts' ? 'index' : `(src root file ${parts[1]})` };
    return { area: 'src', folder: parts[1] };
  }
  if (PROGRAMS.includes(parts[0])) return { area: 'program', folder: parts[0] };
  return { area: 'other', folder: parts[0] };
}

/**
 * Check a source tree given as repo-relative path → file text. Returns every violation (empty
 * when the tree follows docs/architecture.md).
 */
export function checkImports(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  // Folder graph for the cycle check: from → to → first file that made the edge.
  const edges = new Map<string, Map<string, string>>();
  const unknownReported = new Set<string>();

  for (const [file, source] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const from = layerOf(file);
    if (from.area === 'other') continue;
    if (from.area === 'src' && from.folder !== 'index' && !(from.folder in ALLOWED)) {
      if (!unknownReported.has(from.folder)) {
        unknownReported.add(from.folder);
        violations.push({
          kind: 'unknown-folder', file, specifier: '',
          message: `${file}: src/${from.folder} is not a layer in the table of docs/architecture.md (known: ${Object.keys(ALLOWED).join(', ')}); add a row before adding the folder`,
        });
      }
      continue;
    }
    for (const ref of parseImports(source)) {
      const target = resolveSpecifier(file, ref.specifier, files);
      if (target === null) continue; // a package (node:fs, 'hebb', a dependency)
      const to = layerOf(target);
      const how = `${ref.dynamic ? 'dynamic ' : ''}${ref.typeOnly ? 'type ' : ''}import '${ref.specifier}'`;
      if (from.area === 'program') {
        // Data files (package.json for a version string, a .wasm asset) are not library code.
        const ok = to.area === 'other' ? !SOURCE_FILE.test(target)
          : to.area === 'program' ? to.folder === from.folder
          : target === 'src/index.ts' || to.folder === 'zoo';
        if (!ok) {
          violations.push({
            kind: 'program', file, specifier: ref.specifier,
            message: `${file}: ${how} reaches ${target}; ${from.folder}/ may import only src/index.ts, src/zoo/ and its own files`,
          });
        }
        continue;
      }
      // from is a src file
      if (to.area !== 'src') {
        violations.push({
          kind: 'layer', file, specifier: ref.specifier,
          message: `${file}: ${how} reaches ${target} outside src/; the library must not import ${to.folder}/`,
        });
        continue;
      }
      if (to.folder === from.folder) continue;
      if (from.folder !== 'index') {
        const allowed = ALLOWED[from.folder];
        if (!allowed.includes(to.folder)) {
          violations.push({
            kind: 'layer', file, specifier: ref.specifier,
            message: `${file}: ${how} goes from src/${from.folder} to ${to.folder === 'index' ? 'src/index.ts' : `src/${to.folder}`}; src/${from.folder} may import only ${allowed.length ? allowed.join(', ') : 'nothing in src'}`,
          });
        }
        if (to.folder in ALLOWED) {
          const out = edges.get(from.folder) ?? new Map<string, string>();
          if (!out.has(to.folder)) out.set(to.folder, file);
          edges.set(from.folder, out);
        }
      }
    }
  }
  violations.push(...folderCycles(edges));
  return violations;
}

/** Strongly connected components of the folder graph with more than one folder (Tarjan). */
function folderCycles(edges: ReadonlyMap<string, ReadonlyMap<string, string>>): Violation[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return components
    .filter((c) => !(c.length === PERMITTED_CYCLE.length && c.every((f, i) => f === PERMITTED_CYCLE[i])))
    .map((c) => {
      const through = c.flatMap((a) => c.filter((b) => edges.get(a)?.has(b)).map((b) => `${a} → ${b} (${edges.get(a)!.get(b)})`));
      return {
        kind: 'cycle' as const, file: edges.get(c[0])?.values().next().value ?? '', specifier: c.join(' ↔ '),
        message: `import cycle between folders ${c.map((f) => `src/${f}`).join(', ')}: ${through.join('; ')}`,
      };
    });
}

const SCANNED_ROOTS = ['src', ...PROGRAMS];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|jsx)$/;

/** Every source file under src/ and the program folders of `root`, as repo-relative path → text. */
export function readSourceTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (SOURCE_FILE.test(name) && !name.endsWith('.d.ts')) {
        files.set(relative(root, full).split('\\').join('/'), readFileSync(full, 'utf8'));
      }
    }
  };
  for (const top of SCANNED_ROOTS) {
    const dir = join(root, top);
    if (existsSync(dir) && statSync(dir).isDirectory()) walk(dir);
  }
  return files;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const root = resolve(process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  const files = readSourceTree(root);
  const violations = checkImports(files);
  if (violations.length === 0) {
    console.log(`check-imports: ${files.size} files follow the layer table of docs/architecture.md`);
  } else {
    console.error(`check-imports: ${violations.length} violation(s) of the layer table of docs/architecture.md:`);
    for (const v of violations) console.error(`  [${v.kind}] ${v.message}`);
    process.exitCode = 1;
  }
}
