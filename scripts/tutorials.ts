// The tutorials of docs/tutorials/ are runnable: each one's ```ts blocks, in order, form one
// program that imports hebb as `import * as hb from 'hebb'`. This writes that program to
// .tmp/tutorials/<name>.ts (with the import pointed at src/index.ts) and, run directly, executes it:
//
//   npx tsx scripts/tutorials.ts docs/tutorials/01-perceptron.md     # one tutorial
//   npx tsx scripts/tutorials.ts                                     # all of them
//
// test/docs/tutorials.test.ts runs every tutorial in `npm test`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The folder of the tutorials. */
export const TUTORIALS_DIR = path.join(ROOT, 'docs/tutorials');

/** The tutorials' markdown files, in order. */
export function tutorialFiles(): string[] {
  return readdirSync(TUTORIALS_DIR)
    .filter((f) => /^\d\d-.*\.md$/.test(f))
    .sort()
    .map((f) => path.join(TUTORIALS_DIR, f));
}

/** The program a tutorial's ```ts blocks form, with `'hebb'` resolved to this checkout's src/index.ts. */
export function tutorialProgram(markdownFile: string): string {
  const text = readFileSync(markdownFile, 'utf8');
  const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length === 0) throw new Error(`${markdownFile}: no \`\`\`ts code blocks`);
  const entry = path.join(ROOT, 'src/index.js').split(path.sep).join('/');
  return blocks.join('\n').replace(/from 'hebb'/g, `from '${entry}'`);
}

/** Writes a tutorial's program to .tmp/tutorials/ and returns its path. */
export function writeTutorialProgram(markdownFile: string): string {
  const dir = path.join(ROOT, '.tmp/tutorials');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, path.basename(markdownFile, '.md') + '.ts');
  writeFileSync(file, tutorialProgram(markdownFile));
  return file;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : tutorialFiles();
  for (const f of files) {
    console.log(`\n=== ${path.relative(ROOT, f)}`);
    await import(pathToFileURL(writeTutorialProgram(f)).href);
  }
}
