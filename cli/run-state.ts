// A training run's own record, DIR/train-state.json, beside the saved model: the settings it was
// started with, the epochs finished, the history so far and the time spent. A checkpoint is the
// model as saved plus this file, which is what `hebb train --resume DIR` continues from.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.js';

export const STATE_FILE = 'train-state.json';
const FORMAT = 'hebb-train-state';
const VERSION = 1;

export interface TrainSettings {
  dataset: 'mnist';
  model: string;
  epochs: number;
  batchSize: number;
  optimizer: string;
  /** null: the optimizer's default. */
  lr: number | null;
  /** Learning-rate factor per epoch (1: constant). */
  lrDecay: number;
  seed: number;
  augment: boolean;
  validation: number;
  limit: number | null;
  dataDir: string | null;
}

export interface RunState {
  format: typeof FORMAT;
  version: typeof VERSION;
  settings: TrainSettings;
  /** Whole epochs finished; a checkpoint taken mid-epoch re-runs that epoch on resume. */
  epochsDone: number;
  history: Record<string, number[]>;
  /** Training time so far, summed over sessions (seconds). */
  trainSeconds: number;
  /** True once the final model, test results and report are written. */
  complete: boolean;
  /** Set when Ctrl-C stopped the run: where it stopped. */
  interrupted: { epoch: number; samples: number } | null;
  test?: { loss: number; accuracy: number };
}

export function writeRunState(dir: string, state: RunState): void {
  const path = join(dir, STATE_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

/** The state of the run in `dir`, checked field by field; any defect is one clear CliError. */
export function readRunState(dir: string): RunState {
  const path = join(dir, STATE_FILE);
  if (!existsSync(dir)) throw new CliError(`${dir}: no such run folder`);
  if (!existsSync(path)) throw new CliError(`${dir}: not a hebb training run (no ${STATE_FILE}); --resume needs a folder written by hebb train`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  const bad = (what: string) => new CliError(`${path}: corrupt (${what})`);
  if (typeof raw !== 'object' || raw === null) throw bad('not a JSON object');
  const s = raw as Partial<RunState>;
  if (s.format !== FORMAT) throw bad(`format is ${JSON.stringify(s.format)}, expected "${FORMAT}"`);
  if (s.version !== VERSION) throw bad(`version ${JSON.stringify(s.version)} is not supported (expected ${VERSION})`);
  const st = s.settings as Partial<TrainSettings> | undefined;
  if (typeof st !== 'object' || st === null) throw bad('no settings');
  const posInt = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
  if (st.dataset !== 'mnist') throw bad(`dataset ${JSON.stringify(st.dataset)}`);
  if (typeof st.model !== 'string') throw bad('settings.model');
  if (!posInt(st.epochs) || !posInt(st.batchSize)) throw bad('settings.epochs or settings.batchSize');
  if (typeof st.optimizer !== 'string') throw bad('settings.optimizer');
  if (st.lr !== null && !(typeof st.lr === 'number' && st.lr > 0)) throw bad('settings.lr');
  if (!(typeof st.lrDecay === 'number' && st.lrDecay > 0 && st.lrDecay <= 1)) throw bad('settings.lrDecay');
  if (!Number.isSafeInteger(st.seed) || typeof st.augment !== 'boolean' || !Number.isSafeInteger(st.validation)) throw bad('settings.seed, augment or validation');
  if (st.limit !== null && !posInt(st.limit)) throw bad('settings.limit');
  if (st.dataDir !== null && typeof st.dataDir !== 'string') throw bad('settings.dataDir');
  if (!Number.isSafeInteger(s.epochsDone) || (s.epochsDone as number) < 0) throw bad('epochsDone');
  if (typeof s.history !== 'object' || s.history === null || !Object.values(s.history).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null))) {
    throw bad('history');
  }
  if (typeof s.trainSeconds !== 'number' || typeof s.complete !== 'boolean') throw bad('trainSeconds or complete');
  // JSON has no NaN: a NaN loss was written as null; read it back as NaN.
  const history = Object.fromEntries(Object.entries(s.history).map(([k, v]) => [k, v.map((x) => (x === null ? NaN : x))]));
  return { ...(s as RunState), history, interrupted: s.interrupted ?? null };
}
