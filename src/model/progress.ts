// The progress bar for fit(): one bar per epoch with the running loss and metrics, samples/s and
// ETA, then the epoch's final line (validation values included). In a terminal it draws with
// cli-progress; when output is not a terminal (CI logs, files) it prints one line per epoch; in a
// browser it does nothing. cli-progress is loaded through Node's createRequire at run time, never
// imported, so bundlers for the browser never see it.
import { checkOptions, is, nodeBuiltin } from '../base/index.js';
import type { Logs } from './callbacks.js';
import { Callback } from './callbacks.js';

interface Writable {
  isTTY?: boolean;
  write(s: string): boolean;
}

interface CliBar {
  start(total: number, value: number, payload?: Record<string, string>): void;
  update(value: number, payload?: Record<string, string>): void;
  stop(): void;
}

interface CliProgress {
  SingleBar: new (options: Record<string, unknown>, preset?: unknown) => CliBar;
  Presets: { shades_classic: unknown };
}

type NodeProcess = { stdout?: Writable };

function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

function loadCliProgress(): CliProgress | null {
  const mod = nodeBuiltin<{ createRequire?(from: string): (id: string) => unknown }>('node:module');
  if (!mod?.createRequire) return null;
  try {
    return mod.createRequire(import.meta.url)('cli-progress') as CliProgress;
  } catch {
    return null;
  }
}

/** `loss: 0.1234 - accuracy: 0.9500`: the Keras way of printing logs. */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)}`)
    .join(' - ');
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}

/** Options of {@link ProgressBar}: the output `stream` and `plain` mode. */
export interface ProgressBarOptions {
  /** Where to write (default process.stdout). */
  stream?: Writable;
  /** Force the plain one-line-per-epoch output even on a terminal. */
  plain?: boolean;
}

/**
 * The progress bar `fit` shows with `verbose: 1`: batches, time and the running logs (one line per epoch when not on a
 * terminal).
 */
export class ProgressBar extends Callback {
  private bar: CliBar | null = null;
  private epochStart = 0;
  private seen = 0;
  private readonly stream: Writable | null;
  private readonly cli: CliProgress | null;

  constructor(options: ProgressBarOptions = {}) {
    super();
    checkOptions('progressBar', options, { stream: is.object, plain: is.bool });
    this.stream = options.stream ?? nodeProcess()?.stdout ?? null;
    this.cli = options.plain || !this.stream?.isTTY ? null : loadCliProgress();
  }

  private get epochs(): number {
    return this.params?.epochs ?? 1;
  }

  onEpochBegin(epoch: number): void {
    if (!this.stream) return;
    this.epochStart = Date.now();
    this.seen = 0;
    if (this.cli) {
      const steps = this.params?.steps ?? 1;
      this.bar = new this.cli.SingleBar(
        {
          format: `Epoch ${epoch + 1}/${this.epochs} |{bar}| {value}/{total} | {speed} samples/s | ETA {etaText} | {logs}`,
          stream: this.stream,
          hideCursor: true,
          clearOnComplete: false,
          barsize: 24,
        },
        this.cli.Presets.shades_classic,
      );
      this.bar.start(steps, 0, { speed: '-', etaText: '?', logs: '' });
    }
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    if (!this.stream) return;
    this.seen += logs.size ?? 0;
    if (!this.bar) return;
    const elapsed = (Date.now() - this.epochStart) / 1000;
    const steps = this.params?.steps ?? batch + 1;
    const perStep = elapsed / (batch + 1);
    const { batch: _b, size: _s, ...shown } = logs;
    this.bar.update(batch + 1, {
      speed: elapsed > 0 ? Math.round(this.seen / elapsed).toString() : '-',
      etaText: formatSeconds(perStep * (steps - batch - 1)),
      logs: formatLogs(shown),
    });
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (!this.stream) return;
    const elapsed = (Date.now() - this.epochStart) / 1000;
    const rate = elapsed > 0 ? Math.round(this.seen / elapsed) : 0;
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
      this.stream.write(`  ${formatLogs(logs)}\n`);
    } else {
      this.stream.write(`Epoch ${epoch + 1}/${this.epochs} - ${formatSeconds(elapsed)} - ${rate} samples/s - ${formatLogs(logs)}\n`);
    }
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** A progress bar callback (what `verbose: 1` adds). */
export const progressBar = (options?: ProgressBarOptions): ProgressBar => new ProgressBar(options);
