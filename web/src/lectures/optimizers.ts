// Optimizers racing on a 2-D loss surface: each hb.optimizers instance updates its own point
// (an hb.Variable holding [x, y]) with the gradient hb.grad computes, step by step, drawn as a
// path over the surface's heat-map. Click the surface to choose the start.
import * as hb from '../../../src/index.js';
import { el, nextFrame, paintHeatmap } from '../util.js';

type F = (x: hb.Tensor, y: hb.Tensor) => hb.Tensor;
interface Surface {
  name: string;
  f: F;
  box: [number, number, number, number]; // x0, x1, y0, y1
  start: [number, number];
  minimum: [number, number];
  racers: { name: string; colour: string; make: () => hb.Optimizer }[];
}

const SURFACES: Record<string, Surface> = {
  ravine: {
    name: 'ravine: 0.1x² + 2y²',
    f: (x, y) => hb.add(hb.mul(hb.square(x), 0.1), hb.mul(hb.square(y), 2)),
    box: [-5, 5, -3, 3], start: [-4.5, 2.2], minimum: [0, 0],
    racers: [
      { name: 'SGD η=0.45', colour: '#f04438', make: () => hb.optimizers.sgd({ learningRate: 0.45 }) },
      { name: 'momentum 0.9 η=0.03', colour: '#ffffff', make: () => hb.optimizers.sgd({ learningRate: 0.03, momentum: 0.9 }) },
      { name: 'RMSprop η=0.05', colour: '#32d583', make: () => hb.optimizers.rmsprop({ learningRate: 0.05 }) },
      { name: 'Adagrad η=0.5', colour: '#36bffa', make: () => hb.optimizers.adagrad({ learningRate: 0.5 }) },
      { name: 'Adam η=0.1', colour: '#fde272', make: () => hb.optimizers.adam({ learningRate: 0.1 }) },
    ],
  },
  rosenbrock: {
    name: 'Rosenbrock: (1 − x)² + 100(y − x²)²',
    f: (x, y) => hb.add(hb.square(hb.sub(1, x)), hb.mul(hb.square(hb.sub(y, hb.square(x))), 100)),
    box: [-2, 2, -1, 3], start: [-1.5, 2.5], minimum: [1, 1],
    racers: [
      { name: 'SGD η=0.0005', colour: '#f04438', make: () => hb.optimizers.sgd({ learningRate: 0.0005 }) },
      { name: 'momentum 0.9 η=0.0001', colour: '#ffffff', make: () => hb.optimizers.sgd({ learningRate: 0.0001, momentum: 0.9 }) },
      { name: 'RMSprop η=0.01', colour: '#32d583', make: () => hb.optimizers.rmsprop({ learningRate: 0.01 }) },
      { name: 'Adagrad η=0.3', colour: '#36bffa', make: () => hb.optimizers.adagrad({ learningRate: 0.3 }) },
      { name: 'Adam η=0.05', colour: '#fde272', make: () => hb.optimizers.adam({ learningRate: 0.05 }) },
    ],
  },
};

const STEPS = 150;
const SIZE = 420;
const G = 140;

export function render(root: HTMLElement): () => void {
  const surfaceSel = el('select', { 'data-testid': 'surface' }, ...Object.entries(SURFACES).map(([k, s]) => el('option', { value: k }, s.name)));
  const background = el('canvas', { width: G, height: G });
  const canvas = el('canvas', { width: SIZE, height: SIZE, class: 'card', style: { padding: '0', cursor: 'crosshair' } });
  const results = el('div', { class: 'legend', 'data-testid': 'race-results' });
  const stepOut = el('p', { class: 'note', 'data-testid': 'race-step' });
  let generation = 0;
  let start: [number, number] | null = null;

  const surface = (): Surface => SURFACES[surfaceSel.value];
  const toPx = ([x, y]: [number, number]): [number, number] => {
    const [x0, x1, y0, y1] = surface().box;
    return [((x - x0) / (x1 - x0)) * SIZE, (1 - (y - y0) / (y1 - y0)) * SIZE];
  };

  const paintSurface = (): void => {
    const [x0, x1, y0, y1] = surface().box;
    const values = hb.tidy(() => {
      const xs = hb.linspace(x0, x1, G);
      const ys = hb.reverse(hb.linspace(y0, y1, G));
      const X = hb.broadcastTo(hb.reshape(xs, [1, G]), [G, G]);
      const Y = hb.broadcastTo(hb.reshape(ys, [G, 1]), [G, G]);
      return hb.log1p(surface().f(X, Y)).dataSync();
    });
    paintHeatmap(background, values, G, G, { palette: 'heat' });
  };

  const race = async (): Promise<void> => {
    const mine = ++generation;
    const s = surface();
    const from = start ?? s.start;
    const racers = s.racers.map((r) => ({
      ...r, optimizer: r.make(), variable: new hb.Variable(hb.tensor(from), { name: `position_${r.name}` }), path: [from] as [number, number][], loss: NaN, done: false,
    }));
    const lossOf = (p: hb.Tensor): hb.Tensor => hb.sum(s.f(hb.slice(p, [0], [1]), hb.slice(p, [1], [1])));
    const gradient = hb.grad(lossOf);
    const ctx = canvas.getContext('2d')!;
    for (let step = 1; step <= STEPS && mine === generation; step++) {
      for (const r of racers) {
        if (r.done) continue;
        const g = gradient(r.variable.value);
        r.optimizer.applyGradients([{ variable: r.variable, grad: g }]);
        g.dispose();
        const [x, y] = Array.from(r.variable.value.dataSync());
        r.loss = hb.tidy(() => lossOf(r.variable.value).item());
        // A racer that leaves the box far behind (diverges) stops.
        if (!Number.isFinite(r.loss) || Math.abs(x) > 1e3 || Math.abs(y) > 1e3) r.done = true;
        else r.path.push([x, y]);
      }
      if (step % 3 === 0 || step === STEPS) {
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(background, 0, 0, SIZE, SIZE);
        const [mx, my] = toPx(s.minimum);
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 2;
        ctx.strokeRect(mx - 5, my - 5, 10, 10);
        for (const r of racers) {
          ctx.strokeStyle = r.colour;
          ctx.lineWidth = 2.5;
          ctx.beginPath();
          r.path.forEach((p, i) => (i === 0 ? ctx.moveTo(...toPx(p)) : ctx.lineTo(...toPx(p))));
          ctx.stroke();
          const [px, py] = toPx(r.path[r.path.length - 1]);
          ctx.fillStyle = r.colour;
          ctx.beginPath();
          ctx.arc(px, py, 4, 0, 2 * Math.PI);
          ctx.fill();
        }
        results.replaceChildren(...racers.map((r) => {
          const span = el('span', {}, `${r.name}: loss ${r.done ? 'diverged' : r.loss.toPrecision(3)}`);
          span.style.setProperty('--c', r.colour);
          return span;
        }));
        stepOut.textContent = `step ${step} of ${STEPS}`;
        stepOut.dataset.step = String(step);
        await nextFrame();
      }
    }
    for (const r of racers) r.variable.value.dispose();
  };

  canvas.addEventListener('click', (e) => {
    const rect = canvas.getBoundingClientRect();
    const [x0, x1, y0, y1] = surface().box;
    start = [x0 + ((e.clientX - rect.left) / rect.width) * (x1 - x0), y1 - ((e.clientY - rect.top) / rect.height) * (y1 - y0)];
    void race();
  });
  surfaceSel.addEventListener('change', () => {
    start = null;
    paintSurface();
    void race();
  });

  root.append(
    el('h1', {}, 'Optimizers race'),
    el('p', { class: 'lead' }, 'The same start, the same loss, five update rules. Plain SGD zig-zags across a ravine; momentum builds up speed along it; RMSprop, Adagrad and Adam scale each coordinate by its gradient history. Click the surface to start somewhere else. The white square marks the minimum; colours show log(1 + loss).'),
    el('div', { class: 'controls' }, el('label', {}, 'surface', surfaceSel), el('button', { class: 'primary', onclick: () => void race() }, 'Race again')),
    el('div', { class: 'row' }, canvas, el('div', { class: 'card' }, results, stepOut)),
  );
  paintSurface();
  void race();
  return () => {
    generation++;
  };
}
