// The platform module: the one place where hebb reaches Node-only facilities, so the library
// still loads in a browser. Node's built-in modules are fetched at call time through
// process.getBuiltinModule (Node >= 20.16), never imported (a static import of a Node builtin
// would break the browser bundle); where there is none, callers get undefined and degrade or
// throw a ValueError saying what needs Node.
//
// File access goes through one replaceable door, `FileSystem`: saving and loading models, the
// callbacks that write files and the datasets all use getFileSystem(), so an adapter installed
// with hb.io.setFileSystem() (e.g. IndexedDB in a browser) reaches every one of them.
//
// Writes are atomic: bytes go to a temporary file in the same folder, are flushed to disk, and
// the temporary file is renamed over the target (rename is atomic within one file system), so a
// reader sees the old file or the new one, never half of one.
// Several files that belong together (a model directory: model.json, weights, optimizer state)
// cannot be renamed in one step, and a process killed between two renames would leave a new
// weights file beside the old model.json: a directory that matches neither save. So before the
// first rename the current files are hard-linked into `<dir>/.prev/` (built under a temporary
// name and renamed into place, so `.prev` exists only complete), and `.prev` is removed once every
// rename is done. At any moment either the directory or `.prev` holds one whole save, and
// loadModel falls back to `.prev` when the directory does not verify.
import { ValueError } from './errors.js';

/** A Node built-in module (`'node:fs'`, `'node:worker_threads'` …), or undefined outside Node. */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** Write `bytes` to `path` atomically (temp file + rename). */
  writeFileAtomic(path: string, bytes: Uint8Array): Promise<void>;
  /**
   * Write several files into `dir` (created if missing), atomic per file: every temp file is
   * written first, then they are renamed in the given order (so the last one — model.json —
   * appears only once everything it refers to is in place).
   */
  writeFilesAtomic(dir: string, files: readonly { name: string; bytes: Uint8Array }[]): Promise<void>;
  /** The complete previous save kept while a writeFilesAtomic is under way (or was killed), if any. */
  previousGeneration?(dir: string): Promise<string | null>;
  appendFile(path: string, text: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  mkdir(path: string): Promise<void>;
  join(...parts: string[]): string;
  dirname(path: string): string;
}

// The few Node functions used, typed here so that no Node type leaks into the public API.
interface NodeFileHandle {
  write(data: Uint8Array, offset?: number, length?: number, position?: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}
interface NodeFs {
  promises: {
    readFile(path: string): Promise<Uint8Array>;
    open(path: string, flags: string): Promise<NodeFileHandle>;
    rename(from: string, to: string): Promise<void>;
    unlink(path: string): Promise<void>;
    link(existing: string, created: string): Promise<void>;
    readdir(path: string): Promise<string[]>;
    rm(path: string, options: { recursive: boolean; force: boolean }): Promise<void>;
    mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
    appendFile(path: string, data: string): Promise<void>;
    stat(path: string): Promise<unknown>;
  };
}
interface NodePath {
  join(...parts: string[]): string;
  dirname(path: string): string;
  basename(path: string): string;
}

let tempCounter = 0;
/** The folder inside a model directory that holds the previous save while a new one lands. */
const PREVIOUS = '.prev';

/** The Node file system, or null where there is none (a browser). */
export function nodeFileSystem(): FileSystem | null {
  const fs = nodeBuiltin<NodeFs>('node:fs');
  const path = nodeBuiltin<NodePath>('node:path');
  if (fs === undefined || path === undefined) return null;
  const p = fs.promises;
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;

  const tempPathFor = (target: string): string =>
    path.join(path.dirname(target), `.${path.basename(target)}.${pid}.${Date.now().toString(36)}${(tempCounter++).toString(36)}.tmp`);

  /** Write and flush `bytes` into a fresh temp file beside `target`; returns its path. */
  const writeTemp = async (target: string, bytes: Uint8Array): Promise<string> => {
    const tmp = tempPathFor(target);
    const handle = await p.open(tmp, 'wx');
    try {
      let done = 0;
      while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, done)).bytesWritten;
      await handle.sync();
    } catch (e) {
      await handle.close().catch(() => undefined);
      await p.unlink(tmp).catch(() => undefined);
      throw e;
    }
    await handle.close();
    return tmp;
  };

  const exists = (file: string): Promise<boolean> => p.stat(file).then(() => true, () => false);

  /** Temp files and staging folders that a killed writer left in `dir` (ours are named `.….tmp`). */
  const removeStaleTemps = async (dir: string): Promise<void> => {
    const names = await p.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith('.') && name.endsWith('.tmp')) await p.rm(path.join(dir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  };

  const self: FileSystem = {
    readFile: (file) => p.readFile(file).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
    async writeFileAtomic(file, bytes) {
      const tmp = await writeTemp(file, bytes);
      try {
        await p.rename(tmp, file);
      } catch (e) {
        await p.unlink(tmp).catch(() => undefined);
        throw e;
      }
    },
    async writeFilesAtomic(dir, files) {
      await p.mkdir(dir, { recursive: true });
      await removeStaleTemps(dir);
      const temps: { tmp: string; target: string }[] = [];
      try {
        for (const f of files) {
          const target = path.join(dir, f.name);
          temps.push({ tmp: await writeTemp(target, f.bytes), target });
        }
      } catch (e) {
        await Promise.all(temps.map((t) => p.unlink(t.tmp).catch(() => undefined)));
        throw e;
      }
      const prev = path.join(dir, PREVIOUS);
      // An existing .prev is complete by construction; if a killed save left it, the directory
      // itself may be torn, so it is kept as the fallback rather than rebuilt from the directory.
      if (!(await exists(prev))) {
        const present: string[] = [];
        for (const f of files) if (await exists(path.join(dir, f.name))) present.push(f.name);
        if (present.length > 0) {
          const staging = path.join(dir, `${PREVIOUS}.${pid}.${(tempCounter++).toString(36)}.tmp`);
          await p.mkdir(staging, { recursive: true });
          for (const name of present) await p.link(path.join(dir, name), path.join(staging, name));
          await p.rename(staging, prev);
        }
      }
      for (let i = 0; i < temps.length; i++) {
        try {
          await p.rename(temps[i].tmp, temps[i].target);
        } catch (e) {
          await Promise.all(temps.slice(i).map((t) => p.unlink(t.tmp).catch(() => undefined)));
          throw e;
        }
      }
      await p.rm(prev, { recursive: true, force: true });
    },
    async previousGeneration(dir) {
      const prev = path.join(dir, PREVIOUS);
      return (await exists(path.join(prev, 'model.json'))) ? prev : null;
    },
    appendFile: (file, text) => p.appendFile(file, text),
    exists,
    mkdir: async (dir) => {
      await p.mkdir(dir, { recursive: true });
    },
    join: (...parts) => path.join(...parts),
    dirname: (file) => path.dirname(file),
  };
  return self;
}

let installed: FileSystem | null = null;

/** Use `fs` for all file access (e.g. an IndexedDB-backed adapter in a browser); null restores Node's. */
export function setFileSystem(fs: FileSystem | null): void {
  installed = fs;
}

/** The file system to use, or a ValueError naming `op` where there is none. */
export function getFileSystem(op: string): FileSystem {
  const fs = installed ?? nodeFileSystem();
  if (fs === null) {
    throw new ValueError(`${op}: file access needs Node.js (>= 20.16, for process.getBuiltinModule('node:fs')) or an adapter installed with hb.io.setFileSystem()`);
  }
  return fs;
}

/** Whether files can be read and written here. */
export function hasFileSystem(): boolean {
  return installed !== null || nodeFileSystem() !== null;
}
