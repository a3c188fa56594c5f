// Small DOM and canvas helpers for the playground pages: elements, heat-maps, number grids and
// a line chart. No dependencies besides the browser.

type Child = Node | string | number | null | undefined | false;

/** document.createElement with attributes (`on*` functions become listeners) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
    else if (k === 'style' && typeof v === 'object') Object.assign(node.style, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** A canvas of w×h backing pixels shown at `scale` CSS pixels each. */
export function pixelCanvas(w: number, h: number, scale: number, title?: string): HTMLCanvasElement {
  const c = el('canvas', { width: w, height: h, class: 'pixel', title });
  c.style.width = `${w * scale}px`;
  c.style.height = `${h * scale}px`;
  return c;
}

const HEAT: [number, number, number][] = [[13, 8, 135], [126, 3, 168], [204, 71, 120], [248, 149, 64], [240, 249, 33]];

/** The 'plasma'-like colour ramp at t in [0, 1]. */
export function heat(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, t)) * (HEAT.length - 1);
  const i = Math.min(HEAT.length - 2, Math.floor(x));
  const f = x - i;
  return HEAT[i].map((c, k) => Math.round(c + f * (HEAT[i + 1][k] - c))) as [number, number, number];
}

/** Grey (or blue–white–red when `diverging`) colour of v in [lo, hi]. */
export function colour(v: number, lo: number, hi: number, diverging = false): [number, number, number] {
  if (diverging) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    const t = Math.max(-1, Math.min(1, v / m));
    return t >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))] : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
  }
  const t = hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 0;
  const g = Math.round(255 * t);
  return [g, g, g];
}

/** Paint row-major values (w×h) into the canvas's pixels. */
export function paintHeatmap(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number, options: { lo?: number; hi?: number; diverging?: boolean; palette?: 'grey' | 'heat' } = {}): void {
  let lo = options.lo ?? Infinity;
  let hi = options.hi ?? -Infinity;
  if (options.lo === undefined || options.hi === undefined) {
    for (let i = 0; i < w * h; i++) {
      if (options.lo === undefined) lo = Math.min(lo, values[i]);
      if (options.hi === undefined) hi = Math.max(hi, values[i]);
    }
  }
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = options.palette === 'heat' ? heat(hi > lo ? (values[i] - lo) / (hi - lo) : 0) : colour(values[i], lo, hi, options.diverging);
    img.data.set([r, g, b, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

/** A grid of numbers (h rows × w columns), each cell coloured by its value. */
export function numberGrid(values: ArrayLike<number>, w: number, h: number, options: { digits?: number; diverging?: boolean; lo?: number; hi?: number; onClick?: (i: number) => void; highlight?: (i: number) => string | null } = {}): HTMLDivElement {
  const grid = el('div', { class: `grid${options.onClick ? ' clickable' : ''}` });
  grid.style.gridTemplateColumns = `repeat(${w}, 2rem)`;
  const arr = Array.from(values);
  const lo = options.lo ?? Math.min(...arr);
  const hi = options.hi ?? Math.max(...arr);
  arr.slice(0, w * h).forEach((v, i) => {
    const [r, g, b] = colour(v, lo, hi, options.diverging);
    const text = options.digits === undefined ? String(v) : v.toFixed(options.digits);
    const cell = el('div', {}, text);
    const highlighted = options.highlight?.(i) ?? null;
    cell.style.background = highlighted ?? `rgb(${r},${g},${b})`;
    cell.style.color = highlighted !== null || options.diverging || r + g + b > 380 ? '#111' : '#fff';
    if (options.onClick) cell.addEventListener('click', () => options.onClick!(i));
    grid.append(cell);
  });
  return grid;
}

export interface Series {
  name: string;
  colour: string;
  points: [number, number][];
  /** Draw dots instead of a line. */
  dots?: boolean;
}

/** A line chart on a canvas: axes with min/max labels, one line per series, a legend. */
export class LineChart {
  readonly canvas: HTMLCanvasElement;
  series: Series[] = [];

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly options: { title: string; yMin?: number; yMax?: number; xLabel?: string; logY?: boolean },
  ) {
    const ratio = globalThis.devicePixelRatio || 1;
    this.canvas = el('canvas', { width: width * ratio, height: height * ratio });
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.draw();
  }

  draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    const ratio = this.canvas.width / this.width;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const { width: W, height: H } = this;
    const L = 44, R = 10, T = 24, B = 26;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    const f = (y: number): number => (this.options.logY ? Math.log10(Math.max(y, 1e-12)) : y);
    const all = this.series.flatMap((s) => s.points);
    let x0 = Math.min(0, ...all.map((p) => p[0]));
    let x1 = Math.max(1, ...all.map((p) => p[0]));
    let y0 = this.options.yMin ?? Math.min(...all.map((p) => f(p[1])));
    let y1 = this.options.yMax ?? Math.max(...all.map((p) => f(p[1])));
    if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
    if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
    if (x1 === x0) [x0, x1] = [0, 1];
    const px = (x: number): number => L + ((x - x0) / (x1 - x0)) * (W - L - R);
    const py = (y: number): number => T + (1 - (f(y) - y0) / (y1 - y0)) * (H - T - B);
    ctx.strokeStyle = '#98a2b3';
    ctx.lineWidth = 1;
    ctx.strokeRect(L, T, W - L - R, H - T - B);
    ctx.fillStyle = '#1d2330';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(this.options.title, L, 15);
    let lx = L + ctx.measureText(this.options.title).width + 16;
    ctx.fillStyle = '#667085';
    ctx.font = '10px system-ui, sans-serif';
    const label = (v: number): string => (this.options.logY ? `1e${Math.round(v) || 0}` : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
    ctx.fillText(label(y1), 2, T + 8);
    ctx.fillText(label(y0), 2, H - B);
    ctx.fillText(String(Math.round(x0)), L, H - 10);
    const xText = `${Math.round(x1)}${this.options.xLabel ? ` ${this.options.xLabel}` : ''}`;
    ctx.fillText(xText, W - R - ctx.measureText(xText).width, H - 10);
    for (const s of this.series) {
      ctx.strokeStyle = ctx.fillStyle = s.colour;
      ctx.lineWidth = 1.6;
      if (s.dots) {
        for (const [x, y] of s.points) ctx.fillRect(px(x) - 2, py(y) - 2, 4, 4);
      } else {
        ctx.beginPath();
        s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
        ctx.stroke();
      }
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillRect(lx, 8, 10, 8);
      ctx.fillText(s.name, lx + 14, 16);
      lx += ctx.measureText(s.name).width + 26;
    }
  }
}

/** Resolves on the next animation frame (lets the page paint between chunks of work). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** A query parameter of the page's URL (before the #), or null. */
export function param(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}
