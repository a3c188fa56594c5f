// Build the native backend's addon (native/) with node-gyp, offline, at install time. It never
// fails the install: whatever goes wrong (no compiler, no oneDNN, no Node headers) is written
// to native/build/status.json, which hb.backends() quotes, and the library uses wasm instead.
//
// Offline: node-gyp normally downloads Node's headers; here --nodedir points it at headers
// already on the machine (Node's own installation, include/node beside bin/node, which the
// Debian and NodeSource packages and the official tarballs all ship). node-gyp itself is
// npm's bundled copy (npm_config_node_gyp during npm scripts), so nothing is fetched.
//
// HEBB_NATIVE=0 skips the build (and hides an existing addon at run time). HEBB_NATIVE_STATUS
// writes the report elsewhere (tests of this script).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const buildDir = join(nativeDir, 'build');
const addon = join(buildDir, 'Release', 'hebb_native.node');
const started = Date.now();

function finish(built, reason, extra = {}) {
  const file = process.env.HEBB_NATIVE_STATUS ?? join(buildDir, 'status.json');
  mkdirSync(dirname(file), { recursive: true });
  const status = { built, reason, seconds: (Date.now() - started) / 1000, ...extra };
  writeFileSync(file, `${JSON.stringify(status, null, 2)}\n`);
  console.log(built ? `hebb: native backend built (${extra.describe ?? ''})` : `hebb: native backend not built: ${reason}; using wasm`);
  process.exit(0);
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

/** A directory with include/node/node_api.h (what node-gyp's --nodedir wants), or null. */
function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir,
    resolve(dirname(process.execPath), '..'),
    '/usr',
    '/usr/local',
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')) && existsSync(join(d, 'include', 'node', 'common.gypi'))) ?? null;
}

/** node-gyp's entry script: npm's own copy first, then one installed beside the project. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

function dnnlHeader() {
  const dirs = ['/usr/include', '/usr/local/include', ...(process.env.CPATH ?? '').split(delimiter), ...(process.env.CPLUS_INCLUDE_PATH ?? '').split(delimiter)];
  return dirs.some((d) => d && existsSync(join(d, 'dnnl.hpp')));
}

if (process.env.HEBB_NATIVE === '0') finish(false, 'skipped: HEBB_NATIVE=0');
const cxx = process.env.CXX ?? 'g++';
if (!onPath(cxx.split(' ')[0]) && !existsSync(cxx)) finish(false, `no C++ compiler (${cxx}) on PATH`);
if (!onPath('make')) finish(false, 'no make on PATH');
if (!dnnlHeader()) finish(false, 'oneDNN is not installed (no dnnl.hpp; apt-get install libdnnl-dev)');
const headers = nodeHeaders();
if (!headers) finish(false, `no Node headers found (include/node/node_api.h beside ${process.execPath}, /usr or /usr/local)`);
const gyp = nodeGyp();
if (!gyp) finish(false, 'node-gyp not found (npm ships it; set npm_config_node_gyp)');

const build = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${headers}`, '--jobs=2'], {
  cwd: nativeDir,
  encoding: 'utf8',
  env: { ...process.env, npm_config_offline: 'true' },
  timeout: 10 * 60 * 1000,
});
if (build.status !== 0 || !existsSync(addon)) {
  const log = `${build.stdout ?? ''}\n${build.stderr ?? ''}`;
  const firstError = log.split('\n').find((l) => /error|cannot find|not found/i.test(l) && !/^gyp info/.test(l));
  finish(false, `node-gyp failed${build.error ? ` (${build.error.message})` : ''}: ${(firstError ?? log.trim().split('\n').slice(-1)[0] ?? '').trim().slice(0, 300)}`, { nodedir: headers });
}
// It built; check that it loads here (libdnnl.so and libgomp resolve at run time).
const check = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(addon)}).describe())`], { encoding: 'utf8' });
if (check.status !== 0) finish(false, `built but does not load: ${(check.stderr ?? '').trim().split('\n')[0]}`, { nodedir: headers });
finish(true, null, { nodedir: headers, nodeGyp: gyp, describe: check.stdout });
