// Training curves as a chart: a Vega-Lite spec, rendered to SVG by Vega on the server (no
// browser, no canvas), and rasterised to PNG by resvg for terminals and READMEs.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** Per-epoch values as Keras' History has them: loss, accuracy, val_loss, val_accuracy, … */
export type History = Readonly<Record<string, readonly number[]>>;

interface CurvePoint {
  epoch: number;
  value: number;
  metric: string;
  split: 'training' | 'validation';
}

const SPLIT_COLOURS = { domain: ['training', 'validation'], range: ['#1f77b4', '#ff7f0e'] };

/** The long-form rows Vega-Lite wants: one per (metric, split, epoch); NaN/Infinity dropped. */
export function curveRows(history: History, metrics: readonly string[]): CurvePoint[] {
  const rows: CurvePoint[] = [];
  for (const metric of metrics) {
    for (const [key, split] of [[metric, 'training'], [`val_${metric}`, 'validation']] as const) {
      (history[key] ?? []).forEach((value, i) => {
        if (Number.isFinite(value)) rows.push({ epoch: i + 1, value, metric, split });
      });
    }
  }
  return rows;
}

/** Side-by-side line charts, one per metric present in `history` (loss first, then accuracy). */
export function curvesSpec(history: History): TopLevelSpec {
  const metrics = ['loss', 'accuracy'].filter((m) => (history[m]?.length ?? 0) > 0 || (history[`val_${m}`]?.length ?? 0) > 0);
  const epochs = Math.max(1, ...Object.values(history).map((v) => v.length));
  const panel = (metric: string) => ({
    width: 340,
    height: 220,
    title: metric === 'loss' ? 'Loss' : metric[0].toUpperCase() + metric.slice(1),
    transform: [{ filter: { field: 'metric', equal: metric } }],
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: {
        field: 'epoch', type: 'quantitative' as const, title: 'epoch', scale: { domain: [1, Math.max(2, epochs)] },
        // Whole epochs only: explicit ticks for short runs, at least a step of 1 for long ones.
        axis: epochs <= 20 ? { values: Array.from({ length: Math.max(2, epochs) }, (_, i) => i + 1), format: 'd' } : { tickMinStep: 1, format: 'd' },
      },
      y: { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } },
      color: { field: 'split', type: 'nominal' as const, title: null, scale: SPLIT_COLOURS },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    padding: 12,
    data: { values: curveRows(history, metrics) },
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif' },
    hconcat: metrics.map(panel),
  } as TopLevelSpec;
}

/** An SVG document for a Vega-Lite spec, rendered headless. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: compiled } = vl.compile(spec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterise SVG to a PNG `width` pixels wide (height follows the aspect ratio). */
export function svgToPng(svg: string, width: number): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: 'white',
    // System fonts for the axis labels; without any, resvg still draws the lines.
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
