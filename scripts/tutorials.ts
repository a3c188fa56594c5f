// The tutorials of docs/tutorials/ are runnable: each one's ```ts blocks, in order, form one
// program that imports hebb as `import * as hb from 'hebb'`. That program is kept, generated, as
// examples/tutorials/<name>.ts (import pointed at src/index.ts), so that `npm run typecheck` and
// `npm run lint` check the tutorials' code and anyone can run it:
//
//   npx tsx scripts/tutorials.ts --write                 # regenerate examples/tutorials/ from the markdown
//   npx tsx examples/tutorials/01-perceptron.ts          # run one tutorial
//
// test/docs/tutorials.test.ts checks that the generated files match the markdown and runs each one.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The folder of the tutorials' markdown. */
export const TUTORIALS_DIR = path.join(ROOT, 'docs/tutorials');
/** The folder of the programs generated from them. */
export const PROGRAMS_DIR = path.join(ROOT, 'examples/tutorials');

/** The tutorials' markdown files (`NN-name.md`), in order. */
export function tutorialFiles(): string[] {
  return readdirSync(TUTORIALS_DIR)
    .filter((f) => /^\d\d-.*\.md$/.test(f))
    .sort()
    .map((f) => path.join(TUTORIALS_DIR, f));
}

/** The path of the program generated from a tutorial. */
export function programPath(markdownFile: string): string {
  return path.join(PROGRAMS_DIR, path.basename(markdownFile, '.md') + '.ts');
}

/** The program a tutorial's ```ts blocks form, as examples/tutorials/ holds it. */
export function tutorialProgram(markdownFile: string): string {
  const text = readFileSync(markdownFile, 'utf8');
  const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length === 0) throw new Error(`${markdownFile}: no \`\`\`ts code blocks`);
  const name = path.relative(ROOT, markdownFile).split(path.sep).join('/');
  const header =
    `// Generated from ${name} by \`npx tsx scripts/tutorials.ts --write\`: edit the tutorial, not this file.\n` +
    `// Run: npx tsx examples/tutorials/${path.basename(markdownFile, '.md')}.ts\n`;
  return header + blocks.join('\n').replace(/from 'hebb'/g, "from '../../src/index.js'");
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (!process.argv.includes('--write')) {
    console.log('usage: npx tsx scripts/tutorials.ts --write   (regenerates examples/tutorials/ from docs/tutorials/)');
    process.exit(1);
  }
  mkdirSync(PROGRAMS_DIR, { recursive: true });
  for (const f of tutorialFiles()) {
    writeFileSync(programPath(f), tutorialProgram(f));
    console.log(`wrote ${path.relative(ROOT, programPath(f))}`);
  }
}
