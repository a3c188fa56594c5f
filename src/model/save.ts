// Saving and loading models. A saved model is a directory:
//   model.json             format and version, the architecture (every layer's config and the
//                          graph), the compile config, the training state (epochs done, optimizer
//                          step, global RNG state), and the CRC-32 of each file below and of
//                          model.json's own bytes (remove "checksum" to edit it by hand)
//   weights.safetensors    one tensor per weight, named by the weight (e.g. 'dense/kernel')
//   optimizer.safetensors  'iterations' and every optimizer slot ('dense/kernel/m', …)
// Files are written to temporary names and renamed, model.json last, so a reader never sees a
// half-written file. Loading checks everything (JSON structure, checksums, safetensors headers,
// that the weights match the architecture exactly) before anything is assigned, and turns every
// problem into a FormatError that says what is wrong; the global RNG is restored last, so that
// training resumes exactly where it stopped.
import { checkOptions, FormatError, fmtShape, globalRng, HEBB_VERSION, HebbError, is, ValueError } from '../base/index.js';
import {
  crc32Hex, decodeSafetensors, encodeSafetensors, getFileSystem, readFileOrFormatError, type StoredTensor, storedToTensor,
} from '../io/index.js';
import { deserializeLayer, type Variable } from '../nn/index.js';
import type { JsonObject, JsonValue } from '../optim/index.js';
import { type Tensor, tidy } from '../tensor/index.js';
import { type CompiledModel, compileArgsFromConfig, compileModel, type CustomObjects } from './compile.js';
import type { Model } from './model.js';

export const MODEL_FORMAT = 'hebb-model';
export const FORMAT_VERSION = 1;
/** The version of hebb that writes a model (package.json's, via src/base). */
export { HEBB_VERSION };
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';

/** Options of `model.save`: whether to include the optimizer state. */
export interface SaveOptions {
  /** Save the optimizer state too, so training can resume exactly (default true). */
  includeOptimizer?: boolean;
}

/** Options of {@link loadModel}: whether to restore the compile config, and custom functions by name. */
export interface LoadOptions {
  /** Restore the compile config and optimizer state (default true). */
  compile?: boolean;
  /** Custom loss and metric functions the saved compile config names. */
  customObjects?: CustomObjects;
}

/** The model's weights under their names, which must be unique (they key the weights file). */
function namedWeights(model: Model, op: string): [string, Variable][] {
  const seen = new Map<string, Variable>();
  for (const v of model.weights) {
    if (seen.has(v.name)) throw new ValueError(`${op}: two weights of model '${model.name}' are named '${v.name}'; give the layers unique names`);
    seen.set(v.name, v);
  }
  return [...seen.entries()];
}

function requireBuilt(model: Model, op: string): void {
  if (model.inputs.length === 0) throw new ValueError(`${op}: model '${model.name}' is not built yet (give the first layer an inputShape, call build(), or train it first)`);
}

export async function saveModel(model: Model, dir: string, options: SaveOptions = {}): Promise<void> {
  checkOptions('save', options, { includeOptimizer: is.bool });
  const op = 'model.save';
  if (typeof dir !== 'string' || dir === '') throw new ValueError(`${op}: expected a directory path, got ${JSON.stringify(dir)}`);
  const fs = getFileSystem(op);
  requireBuilt(model, op);
  const weights = namedWeights(model, op);
  const weightBytes = encodeSafetensors(weights.map(([name, v]) => [name, v.value]), { format: 'hebb' });
  const files = [{ name: WEIGHTS_FILE, bytes: weightBytes }];
  const compiled = model.compiled;
  let optimizer: JsonValue = null;
  if ((options.includeOptimizer ?? true) && compiled) {
    const bytes = tidy(() => encodeSafetensors(Object.entries(optimizerState(compiled, model)), { format: 'hebb' }));
    files.push({ name: OPTIMIZER_FILE, bytes });
    optimizer = { file: OPTIMIZER_FILE, bytes: bytes.length, crc32: crc32Hex(bytes) };
  }
  const body: JsonObject = {
    format: MODEL_FORMAT,
    formatVersion: FORMAT_VERSION,
    hebbVersion: HEBB_VERSION,
    model: { className: model.className, config: model.getConfig() },
    weights: { file: WEIGHTS_FILE, bytes: weightBytes.length, crc32: crc32Hex(weightBytes) },
    optimizer,
    compile: compiled ? compiled.getConfig() : null,
    training: {
      epoch: model.epochsTrained,
      step: compiled?.optimizer.iterations ?? 0,
      rngState: globalRng.getState().map((x, i) => (i < 4 ? x >>> 0 : Number.isNaN(x) ? null : x)),
    },
  };
  // The checksum is the CRC-32 of the file's exact bytes with its own value written as 00000000.
  const draft = JSON.stringify({ ...body, checksum: CHECKSUM_PLACEHOLDER }, null, 2) + '\n';
  const at = draft.lastIndexOf(`"${CHECKSUM_PLACEHOLDER}"`);
  const text = draft.slice(0, at + 1) + crc32Hex(draft) + draft.slice(at + 1 + CHECKSUM_PLACEHOLDER.length);
  files.push({ name: MODEL_FILE, bytes: new TextEncoder().encode(text) });
  await fs.writeFilesAtomic(dir, files);
}

const CHECKSUM_PLACEHOLDER = '00000000';

/**
 * Every optimizer's state as named tensors. One optimizer: its state for all trainable weights,
 * as before. Named optimizers (a GAN's generator and discriminator): each one's state for the
 * variables it has updated so far, every key prefixed with '<optimizer name>:'.
 */
function optimizerState(compiled: CompiledModel, model: Model): Record<string, Tensor> {
  if (!compiled.named) return compiled.optimizer.getState(model.trainableWeights);
  const out: Record<string, Tensor> = {};
  for (const [name, o] of Object.entries(compiled.optimizers)) {
    for (const [k, t] of Object.entries(o.getState())) out[`${name}:${k}`] = t;
  }
  return out;
}

/** Restore what optimizerState() saved; a named optimizer's variables are those its saved slots name. */
function setOptimizerState(compiled: CompiledModel, model: Model, state: Record<string, Tensor>): void {
  if (!compiled.named) {
    compiled.optimizer.setState(state, model.trainableWeights);
    return;
  }
  const names = Object.keys(compiled.optimizers);
  const unknown = Object.keys(state).filter((k) => !names.includes(k.slice(0, k.indexOf(':'))));
  if (unknown.length > 0) throw new ValueError(`state for unknown optimizer(s): ${unknown.slice(0, 5).join(', ')} (optimizers: ${names.join(', ')})`);
  // A failure part-way leaves only this fresh, not yet returned CompiledModel half-restored.
  const plans = Object.entries(compiled.optimizers).map(([name, o]) => {
    const prefix = `${name}:`;
    const own: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(state)) if (k.startsWith(prefix)) own[k.slice(prefix.length)] = t;
    const slot = o.slotNames[0];
    const variables = slot === undefined ? [] : model.trainableWeights.filter((v) => `${v.name}/${slot}` in own);
    return { o, own, variables };
  });
  for (const { o, own, variables } of plans) o.setState(own, variables);
}

/**
 * Verify model.json's checksum: the CRC-32 of its bytes with the checksum's value replaced by
 * 00000000. Any change to the file — even one that leaves the JSON equivalent — fails it.
 */
function checksumMatches(text: string, checksum: string): boolean {
  const key = /"checksum"\s*:\s*"([0-9a-f]{8})"/g;
  let last: RegExpExecArray | null = null;
  for (let m = key.exec(text); m !== null; m = key.exec(text)) last = m;
  if (last === null || last[1] !== checksum) return false;
  const valueAt = last.index + last[0].length - 9;
  return crc32Hex(text.slice(0, valueAt) + CHECKSUM_PLACEHOLDER + text.slice(valueAt + 8)) === checksum;
}

/** Thrown for a custom loss/metric that the caller did not supply: not a format problem. */
class MissingCustomObject extends ValueError {}

type Doc = Record<string, unknown>;

function isObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const FILE_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Loads a model directory written by `model.save` (model.json, weights.safetensors, optimizer.safetensors), validating
 * every file before assigning anything; a damaged save falls back to the previous one.
 */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<Model> {
  checkOptions('loadModel', options, { compile: is.bool, customObjects: is.object });
  const op = 'loadModel';
  if (typeof dir !== 'string' || dir === '') throw new ValueError(`${op}: expected a directory path, got ${JSON.stringify(dir)}`);
  const fs = getFileSystem(op);
  try {
    return await loadModelFrom(dir, options);
  } catch (e) {
    // A save that was killed half-way leaves the previous complete save in `.prev`
    // (src/io/fs-node.ts): load that one, and say so.
    const prev = e instanceof FormatError ? await fs.previousGeneration?.(dir) : null;
    if (!prev) throw e;
    const model = await loadModelFrom(prev, options);
    console.warn(`loadModel: ${dir} holds an interrupted save (${(e as Error).message}); loaded the previous complete save from ${prev}`);
    return model;
  }
}

async function loadModelFrom(dir: string, options: LoadOptions): Promise<Model> {
  const op = 'loadModel';
  const fs = getFileSystem(op);
  const where = `${op}: ${dir}`;
  const bad = (what: string): FormatError => new FormatError(`${where}: ${what}`);
  // Rebuilding layers draws initial weights from the global generator; a failed load puts it back.
  const rngBefore = globalRng.getState();
  try {
    // ---- model.json ----
    const jsonPath = fs.join(dir, MODEL_FILE);
    const raw = await readFileOrFormatError(op, jsonPath);
    let doc: unknown;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
      doc = JSON.parse(text);
    } catch (e) {
      throw bad(`${MODEL_FILE} is not valid UTF-8 JSON (${(e as Error).message})`);
    }
    if (!isObject(doc)) throw bad(`${MODEL_FILE} must hold a JSON object`);
    if (doc.format !== MODEL_FORMAT) throw bad(`${MODEL_FILE}: format must be '${MODEL_FORMAT}', got ${JSON.stringify(doc.format)?.slice(0, 60)}`);
    if (doc.formatVersion !== FORMAT_VERSION) {
      throw bad(`${MODEL_FILE}: unknown formatVersion ${JSON.stringify(doc.formatVersion)?.slice(0, 30)} (this hebb ${HEBB_VERSION} reads version ${FORMAT_VERSION})`);
    }
    const allowed = ['format', 'formatVersion', 'hebbVersion', 'model', 'weights', 'optimizer', 'compile', 'training', 'checksum'];
    const unknown = Object.keys(doc).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) throw bad(`${MODEL_FILE}: unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
    if ('checksum' in doc) {
      if (typeof doc.checksum !== 'string' || !/^[0-9a-f]{8}$/.test(doc.checksum)) throw bad(`${MODEL_FILE}: "checksum" must be 8 hex digits`);
      if (!checksumMatches(text, doc.checksum)) {
        throw bad(`${MODEL_FILE}: content does not match its checksum (the file is corrupted or was edited; remove the "checksum" field to accept edits)`);
      }
    }
    const weightsInfo = fileInfo(doc.weights, 'weights', bad);
    if (weightsInfo === null) throw bad(`${MODEL_FILE}: "weights" must describe the weights file`);
    const optimizerInfo = fileInfo(doc.optimizer, 'optimizer', bad);
    const training = trainingState(doc.training, bad);
    if (doc.compile !== null && doc.compile !== undefined && !isObject(doc.compile)) throw bad(`${MODEL_FILE}: "compile" must be an object or null`);

    // ---- architecture ----
    const model = architecture(doc.model, bad);

    // ---- weights ----
    const stored = await readChecked(op, fs.join(dir, weightsInfo.file), weightsInfo, bad);
    const plan = matchWeights(namedWeights(model, op), stored, weightsInfo.file, bad);

    // ---- compile and optimizer ----
    let compiled: CompiledModel | null = null;
    if ((options.compile ?? true) && isObject(doc.compile)) {
      let args;
      try {
        args = compileArgsFromConfig(doc.compile, options.customObjects);
      } catch (e) {
        if (e instanceof ValueError && /customObjects/.test(e.message)) throw new MissingCustomObject(`${where}: ${e.message}`);
        throw bad(`bad compile config: ${(e as Error).message}`);
      }
      try {
        compiled = compileModel(model, args);
      } catch (e) {
        throw bad(`bad compile config: ${(e as Error).message}`);
      }
      if (optimizerInfo !== null) {
        const state = await readChecked(op, fs.join(dir, optimizerInfo.file), optimizerInfo, bad);
        const tensors: Record<string, Tensor> = {};
        for (const [name, t] of state) tensors[name] = storedToTensor(t);
        try {
          setOptimizerState(compiled, model, tensors);
        } catch (e) {
          throw bad(`${optimizerInfo.file}: ${(e as Error).message}`);
        } finally {
          for (const t of Object.values(tensors)) t.dispose();
        }
      }
    }

    // ---- everything is valid: commit ----
    for (const { variable, stored: s } of plan) variable.assign(storedToTensor(s));
    model.compiled = compiled;
    model.epochsTrained = training.epoch;
    // Resuming training continues the saved random stream; a load for inference leaves it alone.
    globalRng.setState(compiled ? training.rngState.map((x) => (x === null ? NaN : x)) : rngBefore);
    return model;
  } catch (e) {
    globalRng.setState(rngBefore);
    if (e instanceof FormatError || e instanceof MissingCustomObject) throw e;
    // Anything else a malformed file provokes (a layer rejecting its config, a shape clash while
    // rebuilding the graph) is a format problem of this file.
    const name = e instanceof HebbError ? e.name : (e as Error)?.name ?? 'Error';
    throw bad(`malformed model (${name}: ${(e as Error)?.message ?? String(e)})`);
  }
}

interface FileInfo {
  file: string;
  bytes: number;
  crc32: string;
}

function fileInfo(v: unknown, what: string, bad: (m: string) => FormatError): FileInfo | null {
  if (v === null || v === undefined) return null;
  if (!isObject(v)) throw bad(`${MODEL_FILE}: "${what}" must be an object { file, bytes, crc32 }`);
  const { file, bytes, crc32 } = v;
  if (typeof file !== 'string' || !FILE_NAME.test(file) || file === '.' || file === '..') throw bad(`${MODEL_FILE}: "${what}.file" must be a plain file name, got ${JSON.stringify(file)?.slice(0, 60)}`);
  if (!Number.isSafeInteger(bytes) || (bytes as number) < 0) throw bad(`${MODEL_FILE}: "${what}.bytes" must be a non-negative integer`);
  if (typeof crc32 !== 'string' || !/^[0-9a-f]{8}$/.test(crc32)) throw bad(`${MODEL_FILE}: "${what}.crc32" must be 8 hex digits`);
  return { file, bytes: bytes as number, crc32 };
}

function trainingState(v: unknown, bad: (m: string) => FormatError): { epoch: number; step: number; rngState: (number | null)[] } {
  if (!isObject(v)) throw bad(`${MODEL_FILE}: "training" must be an object { epoch, step, rngState }`);
  const { epoch, step, rngState } = v;
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 0) throw bad(`${MODEL_FILE}: training.epoch must be a non-negative integer, got ${JSON.stringify(epoch)}`);
  if (!Number.isSafeInteger(step) || (step as number) < 0) throw bad(`${MODEL_FILE}: training.step must be a non-negative integer, got ${JSON.stringify(step)}`);
  const okState = Array.isArray(rngState) && rngState.length === 5
    && rngState.slice(0, 4).every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)
    && (rngState[4] === null || typeof rngState[4] === 'number');
  if (!okState) throw bad(`${MODEL_FILE}: training.rngState must be four 32-bit unsigned integers and a number or null`);
  if ((rngState as number[]).slice(0, 4).every((x) => x === 0)) throw bad(`${MODEL_FILE}: training.rngState is all zeros (not a valid generator state)`);
  return { epoch: epoch as number, step: step as number, rngState: rngState as (number | null)[] };
}

function architecture(spec: unknown, bad: (m: string) => FormatError): Model {
  if (!isObject(spec) || typeof spec.className !== 'string' || !isObject(spec.config)) throw bad(`${MODEL_FILE}: "model" must be { className, config }`);
  let layer;
  try {
    layer = deserializeLayer(spec);
  } catch (e) {
    throw bad(`cannot rebuild the architecture: ${(e as Error).message}`);
  }
  const model = layer as Model;
  if (typeof model.runGraph !== 'function' || !('compiled' in model)) throw bad(`${MODEL_FILE}: "model" is a '${spec.className}' layer, not a model`);
  if (model.inputs.length === 0) throw bad(`${MODEL_FILE}: the saved model has no input shape`);
  return model;
}

/** Read a file, check its size and CRC-32, and decode it as safetensors. */
async function readChecked(op: string, path: string, info: FileInfo, bad: (m: string) => FormatError): Promise<Map<string, StoredTensor>> {
  const bytes = await readFileOrFormatError(op, path);
  if (bytes.length !== info.bytes) throw bad(`${info.file} has ${bytes.length} bytes but model.json records ${info.bytes} (truncated, or from another save)`);
  const content = decodeSafetensors(bytes, path);
  if (crc32Hex(bytes) !== info.crc32) throw bad(`${info.file} does not match its checksum in model.json (corrupted, or from another save)`);
  return content.tensors;
}

/** Pair each model weight with its stored tensor; names, shapes and dtypes must agree exactly. */
function matchWeights(weights: [string, Variable][], stored: Map<string, StoredTensor>, file: string, bad: (m: string) => FormatError): { variable: Variable; stored: StoredTensor }[] {
  const missing = weights.filter(([n]) => !stored.has(n)).map(([n]) => n);
  if (missing.length > 0) throw bad(`${file} lacks weight(s) ${missing.slice(0, 5).map((n) => `'${n}'`).join(', ')}${missing.length > 5 ? ', …' : ''} that the architecture has`);
  const names = new Set(weights.map(([n]) => n));
  const extra = [...stored.keys()].filter((n) => !names.has(n));
  if (extra.length > 0) throw bad(`${file} has weight(s) ${extra.slice(0, 5).map((n) => `'${n}'`).join(', ')}${extra.length > 5 ? ', …' : ''} that the architecture does not`);
  return weights.map(([name, variable]) => {
    const s = stored.get(name)!;
    if (s.shape.length !== variable.shape.length || s.shape.some((d, i) => d !== variable.shape[i])) {
      throw bad(`${file}: weight '${name}' has shape ${fmtShape(s.shape)} but the architecture needs ${fmtShape(variable.shape)}`);
    }
    if (s.dtype !== variable.dtype) throw bad(`${file}: weight '${name}' has dtype ${s.dtype} but the architecture needs ${variable.dtype}`);
    return { variable, stored: s };
  });
}

/** Save the weights alone as one safetensors file (atomically). */
export async function saveWeightsFile(model: Model, path: string): Promise<void> {
  const op = 'model.saveWeights';
  requireBuilt(model, op);
  const bytes = encodeSafetensors(namedWeights(model, op).map(([name, v]) => [name, v.value]), { format: 'hebb' });
  await getFileSystem(op).writeFileAtomic(path, bytes);
}

/** How loadWeights paired the file's tensors with the model's weights. */
export interface LoadWeightsReport {
  /** 'name': every weight by its name; 'structure': names differed, so by order and shape (Keras's topological loading). */
  matchedBy: 'name' | 'structure';
  /** [model weight name, name in the file] for each weight whose names differ. */
  renamed: [string, string][];
}

/**
 * Pair weights by position when the names differ but the structure is the same: same count, and
 * in file order (the order saveWeights wrote, the model's weight order) the same shapes and
 * dtypes. Rebuilding an architecture in one process gives new auto-generated layer names
 * (dense_1 → dense_3); Keras loads such files by layer order, and so does this. Null if the
 * structures differ.
 */
function matchByStructure(weights: [string, Variable][], stored: Map<string, StoredTensor>): { variable: Variable; stored: StoredTensor; storedName: string }[] | null {
  const entries = [...stored.entries()];
  if (entries.length !== weights.length) return null;
  const plan = weights.map(([, variable], i) => ({ variable, storedName: entries[i][0], stored: entries[i][1] }));
  const fits = plan.every(({ variable, stored: s }) => s.dtype === variable.dtype && s.shape.length === variable.shape.length && s.shape.every((d, i) => d === variable.shape[i]));
  return fits ? plan : null;
}

/**
 * Load weights saved by saveWeights(); validated completely before any weight changes. Matched
 * by name, or, when the names differ, by structure (layer order and weight shapes) with a warning.
 */
export async function loadWeightsFile(model: Model, path: string): Promise<LoadWeightsReport> {
  const op = 'model.loadWeights';
  requireBuilt(model, op);
  const bytes = await readFileOrFormatError(op, path);
  const { tensors } = decodeSafetensors(bytes, path);
  const weights = namedWeights(model, op);
  const byName = weights.every(([n]) => tensors.has(n)) && tensors.size === weights.length;
  if (!byName) {
    const plan = matchByStructure(weights, tensors);
    if (plan !== null) {
      const renamed = plan.map(({ storedName }, i): [string, string] => [weights[i][0], storedName]).filter(([a, b]) => a !== b);
      console.warn(
        `${op}: ${path}: weight names differ from model '${model.name}' (e.g. '${renamed[0][0]}' is '${renamed[0][1]}' in the file); ` +
          `matched all ${plan.length} weights by layer order and shape instead`,
      );
      for (const { variable, stored } of plan) variable.assign(storedToTensor(stored));
      return { matchedBy: 'structure', renamed };
    }
  }
  const plan = matchWeights(weights, tensors, path, (m) => new FormatError(`${op}: ${m}`));
  for (const { variable, stored } of plan) variable.assign(storedToTensor(stored));
  return { matchedBy: 'name', renamed: [] };
}
