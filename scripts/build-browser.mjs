// `npm run build:browser`: the library as one ES module for browsers, dist/browser/hebb.js (the
// wasm kernels are inside it, base64-encoded, as in every build), and dist/browser/hebb-worker.js,
// a worker script for hb.browser.trainInWorker that imports it. Prints both sizes, raw and gzipped.
// `--outdir DIR` writes them elsewhere (the browser tests build into a temporary folder).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outdir');
const out = at > 0 ? process.argv[at + 1] : join(root, 'dist', 'browser');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(root, 'src', 'index.ts')],
  outfile: join(out, 'hebb.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(
  join(out, 'hebb-worker.js'),
  "// A worker for hb.browser.trainInWorker: new Worker(new URL('hebb-worker.js', import.meta.url), { type: 'module' })\n" +
    "import * as hb from './hebb.js';\nhb.browser.serveWorker();\n",
);

for (const name of ['hebb.js', 'hebb-worker.js']) {
  const bytes = readFileSync(join(out, name));
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`${join(out, name)}  ${kb(bytes.length)} (gzip ${kb(gzipSync(bytes, { level: 9 }).length)})`);
}
