// The logs of fit's custom steps (model.trainStep / testStep, see training.ts): running means of
// the values each step returns, weighted by batch size.
import { ValueError } from '../base/index.js';
import { MeanMetric } from '../nn/index.js';
import { Tensor } from '../tensor/index.js';
import type { Logs } from './callbacks.js';
import type { CompiledModel } from './compile.js';
import type { StepLogs } from './training.js';

/**
 * Running means of what custom steps return, by name. Built-in steps return nothing and their
 * logs are the compiled trackers'; once a step returns values, those are the logs.
 */
export class StepLogTracker {
  private readonly means = new Map<string, MeanMetric>();

  constructor(private readonly compiled: CompiledModel) {}

  reset(): void {
    this.means.clear();
    this.compiled.resetMetrics();
  }

  /** Record one step's result (call inside the step's tidy: tensors are read here). */
  record(op: string, result: StepLogs, size: number): void {
    if (result === undefined || result === null) return;
    if (typeof result !== 'object') throw new ValueError(`${op}: a step must return an object of named values or nothing, got ${typeof result}`);
    for (const [key, v] of Object.entries(result)) {
      let value: number | Tensor;
      if (typeof v === 'number') value = v;
      else if (v instanceof Tensor && v.size === 1) value = v.rank === 0 ? v : v.reshape([]);
      else throw new ValueError(`${op}: step result '${key}' must be a number or a one-element tensor, got ${v instanceof Tensor ? `a tensor of shape [${v.shape.join(',')}]` : typeof v}`);
      let m = this.means.get(key);
      if (m === undefined) this.means.set(key, (m = new MeanMetric(key)));
      m.update(value, size);
    }
  }

  /** Read back values still on an asynchronous backend (webgpu); then logs() can be computed. */
  async settle(): Promise<void> {
    await Promise.all([this.compiled.settle(), ...[...this.means.values()].map((m) => m.settle())]);
  }

  logs(): Logs {
    if (this.means.size === 0) return this.compiled.logs();
    const out: Logs = {};
    for (const [k, m] of this.means) out[k] = m.result();
    return out;
  }
}
