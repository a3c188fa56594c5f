// The training report: DIR/report.html, one self-contained page (inline CSS, the curves as
// inline SVG, images as PNG data URIs; it makes no request), and DIR/curves.png. It takes plain
// data, not a model, so it can be tested on synthetic histories and images.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { curvesSpec, type History, renderSvg, svgToPng } from './charts.js';
import { type Tile, tileUri } from './tiles.js';

export type { History } from './charts.js';
export type { Tile } from './tiles.js';

export interface Misclassified {
  /** The input image, values in [0, 1] (MNIST: white digit on black). */
  image: Tile;
  predicted: number;
  actual: number;
  /** The model's probability for `predicted`. */
  confidence: number;
  /** Position in the test set, to find it again. */
  index?: number;
}

/** What the first learned layer looks like: its filters and, for a conv layer, its feature maps. */
export interface FirstLayer {
  name: string;
  kind: 'conv' | 'dense';
  /** One tile per output channel (conv: kh×kw for input channel 0; dense: a unit's weights as an image). */
  filters: Tile[];
  /** The layer's outputs for one test digit, one tile per channel. */
  featureMaps?: { input: Tile; label?: string; maps: Tile[] };
}

/** One convolutional layer seen from inside: its maps for the report's digit, and what excites each filter. */
export interface ConvLayerView {
  name: string;
  /** Output [H, W, C] for the digit, one tile per channel. */
  maps: Tile[];
  /** Per filter, the input found by activation maximisation (hb.explain.activationMaximization). */
  excitations: Tile[];
}

/** Where the model looked: the digit and |∂score/∂x| of its predicted class (hb.explain.saliency). */
export interface SaliencyView {
  input: Tile;
  map: Tile;
  label?: string;
}

export interface ReportInput {
  title: string;
  subtitle?: string;
  /** Headline numbers, shown first, in order (already formatted). */
  metrics: [string, string][];
  /** The run's settings, shown as a table. */
  config: Record<string, string | number | boolean>;
  history: History;
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  classNames?: string[];
  misclassified: Misclassified[];
  /** Total number of misclassified test examples (the grid may show fewer). */
  misclassifiedTotal?: number;
  firstLayer?: FirstLayer;
  /** Every convolutional layer, in order (hb.explain). */
  convLayers?: ConvLayerView[];
  saliency?: SaliencyView;
  /** The model summary table as text. */
  summary: string;
}

export interface ReportFiles {
  html: string;
  curves: string;
}

/** Width in pixels of curves.png. */
export const CURVES_PNG_WIDTH = 1200;

/** Write report.html and curves.png into `dir` (created if needed); returns their paths. */
export async function writeReport(dir: string, input: ReportInput): Promise<ReportFiles> {
  mkdirSync(dir, { recursive: true });
  const svg = await renderSvg(curvesSpec(input.history));
  const html = join(dir, 'report.html');
  const curves = join(dir, 'curves.png');
  writeAtomic(curves, svgToPng(svg, CURVES_PNG_WIDTH));
  writeAtomic(html, reportHtml(input, svg));
  return { html, curves };
}

/** Temp file + rename: a reader never sees half a report. */
function writeAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The page, given the curves already rendered as SVG. */
export function reportHtml(input: ReportInput, curvesSvg: string): string {
  const e = escapeHtml;
  const sections = [
    section('curves', 'Training curves', `<div class="chart">${stripXmlProlog(curvesSvg)}</div>`),
    section('confusion', 'Confusion matrix (test set)', confusionTable(input.confusion, input.classNames)),
    section('misclassified', 'Misclassified test digits', misclassifiedGrid(input)),
    ...firstLayerSections(input.firstLayer),
    ...convLayerSections(input.convLayers ?? []),
    ...saliencySection(input.saliency),
    section('summary', 'Model summary', `<pre>${e(input.summary)}</pre>`),
    section('config', 'Settings', keyValueTable(Object.entries(input.config).map(([k, v]) => [k, String(v)]))),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${e(input.title)}</h1>
${input.subtitle ? `<p class="subtitle">${e(input.subtitle)}</p>` : ''}
<dl class="metrics">${input.metrics.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`).join('')}</dl>
</header>
<main>
${sections.join('\n')}
</main>
<footer>Made by <code>hebb train</code>.</footer>
</body>
</html>
`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function stripXmlProlog(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

function keyValueTable(rows: [string, string][]): string {
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/**
 * Counts as a heat-map: each cell's shade is its share of the row (the true class), so the
 * diagonal reads as per-class recall and the off-diagonal shows which digits get confused.
 */
export function confusionTable(confusion: number[][], classNames?: string[]): string {
  const k = confusion.length;
  const names = classNames ?? confusion.map((_, i) => String(i));
  const colTotals = names.map((_, j) => confusion.reduce((s, row) => s + (row[j] ?? 0), 0));
  const head = `<tr><th class="corner">true \\ predicted</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th>recall</th></tr>`;
  const rows = confusion.map((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    const cells = row.map((v, j) => {
      const share = total > 0 ? v / total : 0;
      // Diagonal in blue, errors in red; white text on dark cells.
      const hue = i === j ? '31, 119, 180' : '214, 39, 40';
      const alpha = i === j ? share : Math.min(1, share * 5);
      const fg = alpha > 0.55 ? '#fff' : '#222';
      return `<td style="background: rgba(${hue}, ${alpha.toFixed(3)}); color: ${fg}" title="true ${escapeHtml(names[i])}, predicted ${escapeHtml(names[j])}: ${v}">${v}</td>`;
    });
    const recall = total > 0 ? `${((100 * row[i]) / total).toFixed(1)} %` : '–';
    return `<tr><th>${escapeHtml(names[i])}</th>${cells.join('')}<td class="rate">${recall}</td></tr>`;
  });
  const precision = names.map((_, j) => (colTotals[j] > 0 ? `${((100 * (confusion[j]?.[j] ?? 0)) / colTotals[j]).toFixed(1)} %` : '–'));
  const foot = `<tr><th>precision</th>${precision.map((p) => `<td class="rate">${p}</td>`).join('')}<td></td></tr>`;
  return `<table class="confusion" data-classes="${k}">${head}${rows.join('')}${foot}</table>`;
}

function misclassifiedGrid(input: ReportInput): string {
  const names = input.classNames ?? [];
  const name = (c: number) => escapeHtml(names[c] ?? String(c));
  const shown = input.misclassified;
  const total = input.misclassifiedTotal ?? shown.length;
  if (shown.length === 0) return '<p>No test example was misclassified.</p>';
  const cells = shown.map((m) => `<figure class="digit"><img alt="test digit${m.index !== undefined ? ` #${m.index}` : ''}" src="${tileUri(m.image, 'grey', 3, false)}"><figcaption><b>${name(m.predicted)}</b> (${(100 * m.confidence).toFixed(0)} %)<br>true ${name(m.actual)}</figcaption></figure>`);
  return `<p>${shown.length < total ? `The first ${shown.length} of ${total}` : `All ${total}`} misclassified test examples: the model's answer in bold, with its probability, and the true label.</p>\n<div class="grid">${cells.join('')}</div>`;
}

function firstLayerSections(layer: FirstLayer | undefined): string[] {
  if (!layer) return [];
  const tileScale = (t: Tile) => Math.max(1, Math.floor(56 / Math.max(t.width, t.height)));
  const filters = layer.filters.map((f, i) => `<figure class="filter"><img alt="filter ${i}" src="${tileUri(f, 'diverging', tileScale(f))}"><figcaption>${i}</figcaption></figure>`);
  const what = layer.kind === 'conv'
    ? `The ${layer.filters.length} kernels of <code>${escapeHtml(layer.name)}</code>, the first convolutional layer (red positive, blue negative weights, each scaled to its largest magnitude). Trained kernels tend to become edge and stroke detectors.`
    : `The input weights of the first ${layer.filters.length} units of <code>${escapeHtml(layer.name)}</code>, drawn as images (red positive, blue negative): the pattern each hidden unit responds to.`;
  const out = [section('filters', 'Learned filters of the first layer', `<p>${what}</p>\n<div class="grid">${filters.join('')}</div>`)];
  const fm = layer.featureMaps;
  if (fm) {
    const maps = fm.maps.map((m, i) => `<figure class="map"><img alt="feature map ${i}" src="${tileUri(m, 'grey', tileScale(m) * 2)}"><figcaption>${i}</figcaption></figure>`);
    const input = `<figure class="map input"><img alt="input digit" src="${tileUri(fm.input, 'grey', tileScale(fm.input) * 2, false)}"><figcaption>input${fm.label ? ` (${escapeHtml(fm.label)})` : ''}</figcaption></figure>`;
    out.push(section('feature-maps', 'Feature maps for one test digit', `<p>The output of each filter of <code>${escapeHtml(layer.name)}</code> on one test digit (after the activation; brighter is stronger). Each map shows where in the image its filter's pattern occurs.</p>\n<div class="grid">${input}${maps.join('')}</div>`));
  }
  return out;
}

function convLayerSections(views: readonly ConvLayerView[]): string[] {
  const fig = (t: Tile, alt: string, caption: string, scale: number) => `<figure class="map"><img alt="${alt}" src="${tileUri(t, 'grey', scale)}"><figcaption>${caption}</figcaption></figure>`;
  const scaleOf = (t: Tile) => Math.max(1, Math.floor(56 / Math.max(t.width, t.height)));
  return views.map((v, k) => {
    const maps = v.maps.map((m, i) => fig(m, `${v.name} map ${i}`, String(i), scaleOf(m) * 2)).join('');
    const ex = v.excitations.map((m, i) => fig(m, `${v.name} filter ${i} maximised`, String(i), scaleOf(m) * 2)).join('');
    const body = `<p>Convolutional layer ${k + 1} of ${views.length}, <code>${escapeHtml(v.name)}</code>. Its ${v.maps.length} feature maps for the same test digit (brighter is stronger):</p>\n<div class="grid">${maps}</div>\n` +
      `<p>What excites each filter most: an input grown by gradient ascent from grey noise to maximise the filter's mean activation (activation maximisation, with small L2 and total-variation penalties). Early layers prefer strokes and edges; deeper ones, combinations of them.</p>\n<div class="grid">${ex}</div>`;
    return section(`conv-${k}`, `Inside ${v.name}`, body);
  });
}

function saliencySection(view: SaliencyView | undefined): string[] {
  if (!view) return [];
  const input = `<figure class="map input"><img alt="input digit" src="${tileUri(view.input, 'grey', 4, false)}"><figcaption>input${view.label ? ` (${escapeHtml(view.label)})` : ''}</figcaption></figure>`;
  const map = `<figure class="map"><img alt="saliency" src="${tileUri(view.map, 'grey', 4)}"><figcaption>saliency</figcaption></figure>`;
  return [section('saliency', 'Where the model looks', `<p>The saliency map |∂score/∂x| of the predicted class for the same digit (brighter pixels change the score most).</p>\n<div class="grid">${input}${map}</div>`)];
}

const CSS = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222; margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; margin-top: 2rem; }
.subtitle { color: #555; margin: 0 0 1rem; }
.metrics { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.metrics div { background: #f4f6f8; border-radius: 6px; padding: .5rem .9rem; }
.metrics dt { font-size: .8rem; color: #555; }
.metrics dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
.chart svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; }
table.kv th { text-align: left; padding: .15rem 1rem .15rem 0; font-weight: 500; color: #555; }
table.confusion td, table.confusion th { border: 1px solid #e3e3e3; padding: .3rem .5rem; text-align: right; font-variant-numeric: tabular-nums; min-width: 2.6rem; }
table.confusion th { background: #fafafa; }
table.confusion .corner { font-weight: 400; font-size: .8rem; color: #555; }
table.confusion td.rate { color: #555; font-size: .85rem; background: #fafafa; }
.grid { display: flex; flex-wrap: wrap; gap: .5rem; }
figure { margin: 0; text-align: center; font-size: .8rem; }
figure img { display: block; image-rendering: pixelated; border: 1px solid #ccc; }
figure.map.input img { border-color: #1f77b4; }
pre { background: #f4f6f8; padding: .75rem; overflow-x: auto; font-size: .85rem; }
footer { margin-top: 2rem; color: #777; font-size: .85rem; }
`;
