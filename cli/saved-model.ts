// Opening what the user names on the command line: a saved model folder or a zoo model, with
// one clear error for each way it can be wrong (missing, not a folder, not a model, corrupt).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as hb from '../src/index.js';
import { describeError, CliError } from './errors.js';
import type { Model } from './inspect.js';

/** hb.loadModel(dir) with the failure modes spelled out. */
export async function loadSavedModel(dir: string): Promise<Model> {
  if (!existsSync(dir)) throw new CliError(`${dir}: no such model folder`);
  if (!statSync(dir).isDirectory()) throw new CliError(`${dir}: not a folder; a saved model is a folder holding model.json and weights.safetensors`);
  if (!existsSync(join(dir, 'model.json'))) throw new CliError(`${dir}: not a saved model (no model.json); train one with hebb train or save one with model.save()`);
  try {
    return await hb.loadModel(dir);
  } catch (e) {
    throw new CliError(`${dir}: cannot load the model: ${describeError(e)}`);
  }
}

/** The zoo constructors by name (hb.zoo.lenet5, hb.zoo.mlp, …). */
export function zooNames(): string[] {
  return Object.keys(hb.zoo).filter((k) => typeof (hb.zoo as Record<string, unknown>)[k] === 'function').sort();
}

/** A fresh zoo model with its default options, or null when `name` is not one. */
export function zooModel(name: string, options: { inputShape?: number[]; classes?: number } = {}): Model | null {
  const make = (hb.zoo as Record<string, unknown>)[name];
  return typeof make === 'function' ? (make as (o: typeof options) => Model)(options) : null;
}

/** A zoo name, or else a saved model folder. */
export async function modelByName(nameOrDir: string): Promise<Model> {
  const fromZoo = zooModel(nameOrDir);
  if (fromZoo) return fromZoo;
  if (!existsSync(nameOrDir)) throw new CliError(`${nameOrDir}: neither a zoo model (${zooNames().join(', ')}) nor a saved model folder`);
  return loadSavedModel(nameOrDir);
}

/** Select a backend and thread count, with the choices named when one is wrong. */
export async function selectBackend(name: string | undefined, threads: number | undefined): Promise<void> {
  // Initialise the backends first, so the default one is settled (wasm, or cpu if wasm cannot start).
  await hb.ready();
  if (name !== undefined) {
    const known = hb.listBackends();
    if (!known.includes(name)) throw new CliError(`unknown backend '${name}' (available: ${known.join(', ')})`, 2);
    await hb.setBackend(name);
  }
  if (threads !== undefined) {
    if (hb.getBackend() === 'cpu') throw new CliError(`--threads applies to the wasm backend and the native one, not '${hb.getBackend()}'`, 2);
    hb.setThreads(threads);
  }
}

/** "wasm (2 threads)", "native (2 threads)" or "cpu": the backend in use, for headers and reports. */
export function backendLabel(): string {
  const name = hb.getBackend();
  if (name === 'cpu') return name;
  const n = hb.getThreads();
  return `${name} (${n} thread${n === 1 ? '' : 's'})`;
}
