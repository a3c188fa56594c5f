// Line charts for the experiments: a Vega-Lite spec rendered headless to SVG by Vega (no browser,
// no canvas) and rasterised to PNG by resvg, the same libraries the CLI's training report uses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export interface Series {
  name: string;
  /** y at x = 1, 2, … (non-finite values are skipped). */
  values: readonly number[];
}

export interface LineChart {
  title: string;
  xTitle: string;
  yTitle: string;
  series: readonly Series[];
  /** A log-scale y axis (losses that span decades). */
  logY?: boolean;
}

function spec({ title, xTitle, yTitle, series, logY = false }: LineChart): TopLevelSpec {
  const rows = series.flatMap((s) => s.values.flatMap((y, i) => (Number.isFinite(y) && (!logY || y > 0) ? [{ x: i + 1, y, series: s.name }] : [])));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: 320,
    background: 'white',
    padding: 12,
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif' },
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      // Steps are whole numbers (epochs, layers).
      x: { field: 'x', type: 'quantitative', title: xTitle, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: logY ? { type: 'log' } : { zero: false } },
      // Keep the legend in the order the series were given.
      color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.name), legend: { labelLimit: 400 } },
    },
  } as TopLevelSpec;
}

/** Write `<dir>/<base>.svg` and `<dir>/<base>.png`; returns the two file names. */
export async function writeLineChart(dir: string, base: string, chart: LineChart): Promise<string[]> {
  const { spec: compiled } = vl.compile(spec(chart));
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: 1200 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render().asPng();
  writeFileSync(join(dir, `${base}.svg`), svg);
  writeFileSync(join(dir, `${base}.png`), png);
  return [`${base}.png`, `${base}.svg`];
}
