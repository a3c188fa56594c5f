// Truncated backpropagation through time with a stateful LSTM (Williams & Peng 1990).
//
// A long stream is cut into consecutive windows of W steps. With `stateful: true` the final
// (h, c) of one window is the initial state of the next, so the network's memory spans the
// whole stream, while the gradient stops at each window's start (the carried states are
// detached): the cost of one update is O(W), not O(stream length).
//
// The task needs memory across window boundaries: the input is mostly 0 with rare spikes of ±1;
// the target at every step is the sign of the most recent spike. A window that starts after a
// spike cannot know its sign from its own inputs, so a non-stateful LSTM trained on the same
// windows (states reset to zero each window) is right only after the window's first spike,
// while the stateful one carries the sign in its cell.
//
//   npx tsx examples/truncated-bptt.ts
import * as hb from '../src/index.js';

const STREAMS = 8; // parallel streams = the fixed batch size a stateful layer needs
const LENGTH = 1200;
const WINDOW = 10;
const EPOCHS = 6;

/** Spikes of ±1 every 4–25 steps; target = sign of the latest spike (0 before the first). */
function makeStreams(seed: number): { x: number[][]; y: number[][] } {
  let s = seed >>> 0;
  const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < STREAMS; i++) {
    const xi = new Array<number>(LENGTH).fill(0);
    const yi = new Array<number>(LENGTH).fill(0);
    let next = Math.floor(rand() * 5);
    let sign = 0;
    for (let t = 0; t < LENGTH; t++) {
      if (t === next) {
        sign = rand() < 0.5 ? -1 : 1;
        xi[t] = sign;
        next = t + 4 + Math.floor(rand() * 22);
      }
      yi[t] = sign;
    }
    x.push(xi);
    y.push(yi);
  }
  return { x, y };
}

/** Window k of every stream: x [STREAMS, WINDOW, 1], y [STREAMS, WINDOW, 1]. */
function window(data: { x: number[][]; y: number[][] }, k: number): [hb.Tensor, hb.Tensor] {
  const cut = (rows: number[][]) => hb.tensor(rows.map((r) => r.slice(k * WINDOW, (k + 1) * WINDOW).map((v) => [v])));
  return [cut(data.x), cut(data.y)];
}

function build(stateful: boolean): hb.Model {
  hb.setSeed(1);
  const m = hb.sequential({
    layers: [
      hb.layers.lstm({ units: 16, returnSequences: true, stateful, batchInputShape: [STREAMS, WINDOW, 1] }),
      hb.layers.timeDistributed({ layer: hb.layers.dense({ units: 1, activation: 'tanh' }) }),
    ],
  });
  m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
  return m;
}

/** Sign accuracy over a whole stream pass (after the first spike), window by window. */
function run(m: hb.Model, data: { x: number[][]; y: number[][] }, train: boolean): { loss: number; accuracy: number } {
  const lstm = m.layers[0] as hb.layers.LSTM;
  if (lstm.stateful) lstm.resetStates(); // a new pass over the streams starts from zero states
  let loss = 0;
  let right = 0;
  let counted = 0;
  const windows = LENGTH / WINDOW;
  for (let k = 0; k < windows; k++) {
    const [x, y] = window(data, k);
    if (train) loss += m.trainOnBatch(x, y).loss / windows;
    else {
      const p = (m.predict(x, { batchSize: STREAMS }) as hb.Tensor).dataSync();
      const want = y.dataSync();
      want.forEach((v, i) => {
        if (v === 0) return;
        counted++;
        if (Math.sign(p[i]) === v) right++;
      });
    }
    hb.dispose(x, y);
  }
  return { loss, accuracy: counted > 0 ? right / counted : 0 };
}

const trainData = makeStreams(7);
const testData = makeStreams(99);
for (const stateful of [true, false]) {
  const m = build(stateful);
  const t0 = Date.now();
  for (let e = 1; e <= EPOCHS; e++) {
    const { loss } = run(m, trainData, true);
    console.log(`${stateful ? 'stateful ' : 'stateless'} epoch ${e}: train loss ${loss.toFixed(4)}`);
  }
  const { accuracy } = run(m, testData, false);
  console.log(`${stateful ? 'stateful (truncated BPTT)' : 'stateless windows       '}: test sign accuracy ${(100 * accuracy).toFixed(1)} % (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
