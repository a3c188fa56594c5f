// hebb's Keras-style model API (hb.sequential, hb.layers, hb.optimizers), used when it exists:
// an extra hebb row per training case that trains the same network the way a user would.
// It is looked up at run time because it is being written alongside this benchmark; the
// interfaces below are the parts of API.md this file calls.
import * as hb from '../../src/index.js';
import type { Variant, Workload } from '../types.js';

interface LayerConfig {
  units?: number;
  filters?: number;
  kernelSize?: number;
  poolSize?: number;
  padding?: 'same' | 'valid';
  activation?: string;
  inputShape?: number[];
}

interface HbModel {
  compile(config: { optimizer: unknown; loss: string }): void;
  fit(x: hb.Tensor, y: hb.Tensor, options: Record<string, unknown>): Promise<{ history: Record<string, number[]> }>;
  trainOnBatch?(x: hb.Tensor, y: hb.Tensor): unknown;
  setWeights?(weights: hb.Tensor[]): void;
}

export interface ModelApi {
  sequential(layers: unknown[]): HbModel;
  layers: Record<'dense' | 'conv2d' | 'maxPooling2d' | 'flatten', (config: LayerConfig) => unknown>;
  optimizers: Record<'sgd' | 'adam', (config: { learningRate: number }) => unknown>;
}

/** The model API if hebb exports all of it, else null. */
export function modelApi(): ModelApi | null {
  const api = hb as unknown as Partial<ModelApi>;
  const ok =
    typeof api.sequential === 'function' &&
    (['dense', 'conv2d', 'maxPooling2d', 'flatten'] as const).every((k) => typeof api.layers?.[k] === 'function') &&
    typeof api.optimizers?.sgd === 'function' &&
    typeof api.optimizers.adam === 'function';
  return ok ? (api as ModelApi) : null;
}

function buildLayers(api: ModelApi, net: 'mlp' | 'lenet', classes: number): unknown[] {
  const L = api.layers;
  if (net === 'mlp') {
    return [
      L.dense({ units: 500, inputShape: [784], activation: 'relu' }),
      L.dense({ units: 500, activation: 'relu' }),
      L.dense({ units: classes, activation: 'softmax' }),
    ];
  }
  return [
    L.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten({}),
    L.dense({ units: 120, activation: 'relu' }),
    L.dense({ units: 84, activation: 'relu' }),
    L.dense({ units: classes, activation: 'softmax' }),
  ];
}

/** The loss out of whatever trainOnBatch returns (a number, [loss, …metrics], a scalar tensor). */
function lossOf(r: unknown): number {
  if (typeof r === 'number') return r;
  if (Array.isArray(r)) return lossOf(r[0]);
  if (r instanceof hb.Tensor) return r.item();
  if (typeof r === 'object' && r !== null && 'loss' in r) return lossOf((r as { loss: unknown }).loss);
  return Number.NaN;
}

export function modelApiVariant(
  api: ModelApi,
  net: 'mlp' | 'lenet',
  optimizer: 'sgd' | 'adam',
  params: () => { shape: number[]; values: Float32Array }[],
  data: { x: Float32Array; y: Float32Array; xShape: number[] },
  classes: number,
  learningRates: { sgd: number; adam: number },
): Variant {
  return {
    library: 'hebb',
    name: 'model API',
    build: (): Workload => {
      const model = api.sequential(buildLayers(api, net, classes));
      model.compile({ optimizer: api.optimizers[optimizer]({ learningRate: learningRates[optimizer] }), loss: 'categoricalCrossentropy' });
      // Same starting weights as the core-ops rows (Keras order: kernel, bias per layer).
      model.setWeights?.(params().map((p) => hb.tensor(p.values, p.shape)));
      const x = hb.tensor(data.x, data.xShape);
      const y = hb.tensor(data.y, [data.xShape[0], classes]);
      const batchSize = data.xShape[0];
      const run = (): number | Promise<number> => {
        if (model.trainOnBatch !== undefined) {
          const r = model.trainOnBatch(x, y);
          return r instanceof Promise ? r.then(lossOf) : lossOf(r);
        }
        return model.fit(x, y, { epochs: 1, batchSize, shuffle: false, verbose: 0 }).then((h) => h.history.loss?.[0] ?? Number.NaN);
      };
      const method = model.trainOnBatch !== undefined ? 'trainOnBatch' : 'fit, one batch';
      return { run, dispose: () => hb.dispose(x, y), note: `hb.sequential + model.${method}` };
    },
  };
}
