// Browser conveniences: what the page runs on (isolation, threads, backend), and loading a saved
// model over HTTP (a read-only file system that fetches).
import { getBackendInstance } from '../backend/index.js';
import { getThreads } from '../backend/native/index.js';
import { type FileSystem, getFileSystem, hasFileSystem, setFileSystem, ValueError } from '../base/index.js';
import { loadModel, type LoadOptions, type Model } from '../model/index.js';

/** What hb.browser.environment() reports. */
export interface BrowserEnvironment {
  /** The page (or worker) is cross-origin isolated (COOP/COEP headers): shared memory, so wasm threads. */
  crossOriginIsolated: boolean;
  /** The backend running kernels now and its threads (1 unless isolated). */
  backend: string;
  threads: number;
  /** navigator.hardwareConcurrency (1 where unknown). */
  cores: number;
  /** Running inside a Web Worker. */
  inWorker: boolean;
}

/**
 * Reports what the page (or worker) runs on: cross-origin isolation, the backend and its threads, the cores, and
 * whether it is a worker.
 */
export function environment(): BrowserEnvironment {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number }; WorkerGlobalScope?: unknown; document?: unknown };
  return {
    crossOriginIsolated: g.crossOriginIsolated === true,
    backend: getBackendInstance().name,
    threads: getThreads(),
    cores: g.navigator?.hardwareConcurrency ?? 1,
    inWorker: g.WorkerGlobalScope !== undefined && g.document === undefined,
  };
}

function joinUrl(...parts: string[]): string {
  return parts.filter((p) => p !== '').map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, ''))).join('/');
}

/**
 * A read-only FileSystem whose readFile fetches `path` (resolved against `base`, default the
 * page's URL). Install it with hb.io.setFileSystem to read models and datasets over HTTP; writes fail.
 */
export function fetchFileSystem(base?: string): FileSystem {
  const root = base ?? (globalThis as { location?: { href: string } }).location?.href;
  const resolve = (path: string): string => (root === undefined ? path : new URL(path, root).href);
  const readOnly = (op: string) => (): Promise<never> => Promise.reject(new ValueError(`${op}: the fetch file system is read-only`));
  return {
    async readFile(path) {
      const response = await fetch(resolve(path));
      if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status} for ${resolve(path)}`), { code: response.status === 404 ? 'ENOENT' : 'EIO' });
      return new Uint8Array(await response.arrayBuffer());
    },
    writeFileAtomic: readOnly('writeFileAtomic'),
    writeFilesAtomic: readOnly('writeFilesAtomic'),
    appendFile: readOnly('appendFile'),
    mkdir: readOnly('mkdir'),
    async exists(path) {
      const response = await fetch(resolve(path), { method: 'HEAD' });
      return response.ok;
    },
    join: (...parts) => joinUrl(...parts),
    dirname: (path) => path.replace(/\/[^/]*\/?$/, '') || '.',
  };
}

/**
 * hb.loadModel for a model folder served over HTTP (`url` is the folder: model.json and
 * weights.safetensors inside). The file system installed before is restored afterwards.
 */
export async function loadModelFromUrl(url: string, options?: LoadOptions): Promise<Model> {
  if (typeof url !== 'string' || url === '') throw new ValueError(`browser.loadModelFromUrl: expected a URL, got ${JSON.stringify(url)}`);
  const previous = hasFileSystem() ? getFileSystem('browser.loadModelFromUrl') : null;
  setFileSystem(fetchFileSystem());
  try {
    return await loadModel(url, options);
  } finally {
    setFileSystem(previous);
  }
}
