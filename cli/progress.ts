// Training progress on the terminal: a live bar per epoch (loss, accuracy, samples/s, ETA) when
// stdout is a terminal, and plain lines (every quarter epoch and at its end) when it is a file
// or a pipe, so logs stay readable.
import cliProgress from 'cli-progress';

export interface BatchLogs {
  loss?: number;
  accuracy?: number;
}

export interface EpochLogs extends BatchLogs {
  val_loss?: number;
  val_accuracy?: number;
}

export interface ProgressOptions {
  /** Where to write; default process.stdout. */
  stream?: NodeJS.WriteStream;
  /** Force the plain-line form (default: when `stream` is not a TTY). */
  plain?: boolean;
  /** Clock in ms, replaceable in tests. */
  now?: () => number;
}

const fmt = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** Seconds as "42s", "3m07s" or "1h02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class TrainProgress {
  private readonly stream: NodeJS.WriteStream;
  private readonly plain: boolean;
  private readonly now: () => number;
  private bar: cliProgress.SingleBar | null = null;
  private epochLabel = '';
  private total = 0;
  private started = 0;
  private nextQuarter = 1;
  private last: BatchLogs = {};
  private done = 0;

  constructor({ stream = process.stdout, plain, now = () => performance.now() }: ProgressOptions = {}) {
    this.stream = stream;
    this.plain = plain ?? !stream.isTTY;
    this.now = now;
  }

  /** `epoch` counts from 1. */
  epochStart(epoch: number, epochs: number, samples: number): void {
    this.epochLabel = `epoch ${String(epoch).padStart(String(epochs).length)}/${epochs}`;
    this.total = samples;
    this.started = this.now();
    this.nextQuarter = 1;
    this.done = 0;
    this.last = {};
    if (!this.plain) {
      this.bar = new cliProgress.SingleBar({
        stream: this.stream,
        format: `${this.epochLabel} {bar} {percentage}% | loss {loss} | acc {acc} | {speed} samples/s | ETA {eta_formatted}`,
        barsize: 24,
        hideCursor: true,
        etaBuffer: 50,
        // Our SIGINT handler finishes the batch and saves a checkpoint; the bar must not exit.
        gracefulExit: false,
        clearOnComplete: true,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(samples, 0, { loss: '–', acc: '–', speed: '–' });
    }
  }

  /** After each batch: `done` samples of this epoch so far, with the running averages. */
  batchEnd(done: number, logs: BatchLogs): void {
    this.done = done;
    this.last = logs;
    const speed = this.speed();
    if (this.bar) {
      this.bar.update(done, { loss: fmt(logs.loss), acc: fmt(logs.accuracy), speed: speed.toFixed(0) });
    } else if (done < this.total && done >= (this.nextQuarter * this.total) / 4) {
      while (done >= (this.nextQuarter * this.total) / 4) this.nextQuarter++;
      const eta = (this.total - done) / Math.max(speed, 1e-9);
      this.line(`${this.epochLabel}  ${String(Math.floor((100 * done) / this.total)).padStart(3)}% ${done}/${this.total}  loss ${fmt(logs.loss)}  acc ${fmt(logs.accuracy)}  ${speed.toFixed(0)} samples/s  ETA ${formatDuration(eta)}`);
    }
  }

  /** The epoch's closing line, with validation results when there are any. */
  epochEnd(logs: EpochLogs): void {
    this.stopBar();
    const seconds = (this.now() - this.started) / 1000;
    const val = logs.val_loss !== undefined || logs.val_accuracy !== undefined ? `  val_loss ${fmt(logs.val_loss)}  val_acc ${fmt(logs.val_accuracy)}` : '';
    this.line(`${this.epochLabel}  loss ${fmt(logs.loss ?? this.last.loss)}  acc ${fmt(logs.accuracy ?? this.last.accuracy)}${val}  ${formatDuration(seconds)} (${(this.total / Math.max(seconds, 1e-9)).toFixed(0)} samples/s)`);
  }

  /** Leave the terminal tidy (Ctrl-C, errors). */
  stop(): void {
    this.stopBar();
  }

  private stopBar(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }

  private speed(): number {
    const seconds = (this.now() - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  private line(text: string): void {
    this.stream.write(`${text}\n`);
  }
}
