// The platform module (src/base/platform.ts): one file-system door for models and datasets
// alike, and Node builtins reached without importing them.
import { afterEach, describe, expect, it } from 'vitest';
import { type FileSystem, nodeBuiltin } from '../../src/base/index.js';
import * as hb from '../../src/index.js';

/** An in-memory file system holding `files` (path → bytes); it records the paths read. */
function memoryFs(files: Record<string, Uint8Array>): FileSystem & { reads: string[] } {
  const reads: string[] = [];
  const missing = (p: string): Error => new Error(`no such file ${p}`);
  return {
    reads,
    readFile: async (p) => {
      reads.push(p);
      if (!(p in files)) throw missing(p);
      return files[p];
    },
    writeFileAtomic: async (p, b) => { files[p] = b; },
    writeFilesAtomic: async (d, fs) => { for (const f of fs) files[`${d}/${f.name}`] = f.bytes; },
    appendFile: async () => undefined,
    exists: async (p) => p in files,
    mkdir: async () => undefined,
    join: (...parts) => parts.join('/'),
    dirname: (p) => p.slice(0, p.lastIndexOf('/')),
  };
}

afterEach(() => hb.io.setFileSystem(null));

describe('platform: one file system for io and datasets', () => {
  it('hb.io.setFileSystem also serves hb.datasets (loadIdx reads through it)', async () => {
    // IDX: magic 0x00000801 (ubyte, 1-D), length 3, then the bytes 7 8 9.
    const idx = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
    const fs = memoryFs({ '/virtual/labels-idx1-ubyte': idx });
    hb.io.setFileSystem(fs);
    const t = await hb.datasets.loadIdx('/virtual/labels-idx1-ubyte');
    expect(Array.from(t.dataSync())).toEqual([7, 8, 9]);
    expect(fs.reads).toEqual(['/virtual/labels-idx1-ubyte']);
    await expect(hb.datasets.loadIdx('/virtual/missing')).rejects.toThrow(/loadIdx: cannot read \/virtual\/missing/);
  });

  it('models saved and loaded through the installed file system never touch the disk', async () => {
    const files: Record<string, Uint8Array> = {};
    hb.io.setFileSystem(memoryFs(files));
    const model = hb.sequential([hb.layers.dense({ units: 2, inputShape: [3] })]);
    await model.save('/mem/model');
    expect(Object.keys(files).sort()).toEqual(['/mem/model/model.json', '/mem/model/weights.safetensors']);
    const back = await hb.loadModel('/mem/model');
    expect(back.countParams()).toBe(8);
  });

  it('nodeBuiltin reaches Node modules here, and is undefined for unknown ones', () => {
    expect(typeof nodeBuiltin<{ join: unknown }>('node:path')?.join).toBe('function');
    expect(nodeBuiltin('node:no-such-module')).toBeUndefined();
  });
});
