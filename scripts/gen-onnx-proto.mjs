// Regenerates src/io/onnx/proto/onnx.js and onnx.d.ts from the official onnx.proto beside them
// (copied unchanged from github.com/onnx/onnx, onnx/onnx.proto) with protobufjs-cli's pbjs and
// pbts. The generated files are committed so that building hebb needs no code generator;
// run `npm run gen:onnx-proto` after replacing onnx.proto with a newer release.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = 'src/io/onnx/proto';
const bin = (name) => join('node_modules', '.bin', name);
const common = ['-t', 'static-module', '-w', 'es6', '--no-service', '--no-delimited', '--no-verify', '--no-convert'];
// The runtime module without comments (it is bundled into browser builds) …
execFileSync(bin('pbjs'), [...common, '--no-comments', '-o', `${dir}/onnx.js`, `${dir}/onnx.proto`], { stdio: 'inherit' });
// … and the type declarations from a commented build, so editors show onnx.proto's documentation.
const tmp = mkdtempSync(join(tmpdir(), 'onnx-proto-'));
try {
  execFileSync(bin('pbjs'), [...common, '-o', join(tmp, 'onnx.js'), `${dir}/onnx.proto`], { stdio: 'inherit' });
  execFileSync(bin('pbts'), ['-o', `${dir}/onnx.d.ts`, join(tmp, 'onnx.js')], { stdio: 'inherit' });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
