// A 2-D plot of the unit square's four corners (the inputs of AND, OR and XOR) over a shaded
// decision region, shared by the perceptron and MLP pages.
import { el } from '../util.js';

export const CORNERS: [number, number][] = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const GATES: Record<string, number[]> = { AND: [0, 0, 0, 1], OR: [0, 1, 1, 1], XOR: [0, 1, 1, 0] };
const LO = -0.5, HI = 1.5;

export function planeCanvas(size = 320): HTMLCanvasElement {
  return el('canvas', { width: size, height: size, class: 'card', style: { padding: '0' } });
}

/**
 * Shade each pixel by score(x, y) in [0, 1] (blue for class 1, red for class 0), draw the
 * points with their labels and, if given, the line w1·x + w2·y + b = 0.
 */
export function drawPlane(canvas: HTMLCanvasElement, labels: number[], score: (x: number, y: number) => number, line?: [number, number, number]): void {
  const ctx = canvas.getContext('2d')!;
  const S = canvas.width;
  const toPx = (v: number): number => ((v - LO) / (HI - LO)) * S;
  const fromPx = (p: number): number => LO + (p / S) * (HI - LO);
  const cell = 4;
  for (let py = 0; py < S; py += cell) {
    for (let px = 0; px < S; px += cell) {
      const s = score(fromPx(px + cell / 2), fromPx(S - py - cell / 2));
      const t = Math.max(0, Math.min(1, s));
      ctx.fillStyle = `rgb(${Math.round(255 - 60 * t)}, ${Math.round(215 + 10 * t - 10 * (1 - t))}, ${Math.round(215 + 40 * t)})`;
      ctx.fillRect(px, py, cell, cell);
    }
  }
  ctx.strokeStyle = '#98a2b3';
  ctx.lineWidth = 1;
  for (const v of [0, 1]) {
    ctx.beginPath();
    ctx.moveTo(toPx(v), 0);
    ctx.lineTo(toPx(v), S);
    ctx.moveTo(0, S - toPx(v));
    ctx.lineTo(S, S - toPx(v));
    ctx.stroke();
  }
  if (line) {
    const [w1, w2, b] = line;
    ctx.strokeStyle = '#101828';
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    if (Math.abs(w2) > 1e-9) {
      ctx.moveTo(0, S - toPx((-b - w1 * LO) / w2));
      ctx.lineTo(S, S - toPx((-b - w1 * HI) / w2));
    } else if (Math.abs(w1) > 1e-9) {
      ctx.moveTo(toPx(-b / w1), 0);
      ctx.lineTo(toPx(-b / w1), S);
    }
    ctx.stroke();
  }
  CORNERS.forEach(([x, y], i) => {
    ctx.beginPath();
    ctx.arc(toPx(x), S - toPx(y), 11, 0, 2 * Math.PI);
    ctx.fillStyle = labels[i] === 1 ? '#2f6fde' : '#d92d20';
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.fillText(String(labels[i]), toPx(x) - 3.5, S - toPx(y) + 4);
  });
}
