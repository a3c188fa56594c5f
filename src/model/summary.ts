// model.summary(): the Keras table. One row per layer: "name (Class)", output shape with None
// for the batch axis, parameter count, and for functional models the tensors each layer is
// connected to, as layer[node][tensor]. Totals count every weight once (shared layers once).
import type { Layer, LayerNode, SymbolicTensor } from '../nn/index.js';
import type { Model } from './model.js';

/** Options of `model.summary()`. */
export interface SummaryOptions {
  /** Print the table (default true); it is returned either way. */
  print?: boolean;
  /** Where to print (default console.log). */
  printFn?: (line: string) => void;
}

function shapeText(s: readonly (number | null)[]): string {
  const dims = s.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

function outputText(node: LayerNode | undefined): string {
  if (!node) return '?';
  const shapes = node.outputs.map((o) => shapeText(o.shape));
  return shapes.length === 1 ? shapes[0] : `[${shapes.join(', ')}]`;
}

const count = (n: number): string => n.toLocaleString('en-US');

export function summarize(model: Model, _options: SummaryOptions = {}): string {
  const nodes = model.graphNodes;
  const functional = model.className !== 'Sequential';
  const nodesOf = (l: Layer): LayerNode[] => nodes.filter((n) => n.layer === l);
  const ref = (t: SymbolicTensor): string => {
    const producer = t.node!;
    return `${producer.layer.name}[${nodesOf(producer.layer).indexOf(producer)}][${producer.outputs.indexOf(t)}]`;
  };

  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(functional ? ['Connected to'] : [])];
  const rows: string[][] = [];
  for (const layer of model.layers) {
    const own = nodesOf(layer);
    const connections = own.flatMap((n) => n.inputs.map(ref));
    const cells = [`${layer.name} (${layer.className})`, outputText(own[0]), layer.built ? count(layer.countParams()) : '0 (unbuilt)'];
    if (!functional) {
      rows.push(cells);
      continue;
    }
    rows.push([...cells, connections[0] ?? '-']);
    // Further connections (several inputs, or a shared layer's other calls) go on lines of their own.
    for (const c of connections.slice(1)) rows.push(['', '', '', c]);
  }

  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 3);
  const line = (cells: string[]): string => (' ' + cells.map((c, i) => c.padEnd(widths[i])).join('')).trimEnd();
  const total = model.countParams();
  const trainable = model.countParams({ trainableOnly: true });
  const width = widths.reduce((a, b) => a + b, 1) - 2;
  const thin = '_'.repeat(width);
  const thick = '='.repeat(width);
  return [
    `Model: "${model.name}"`,
    thin,
    line(header),
    thick,
    ...rows.map(line),
    thick,
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(total - trainable)}`,
    thin,
  ].join('\n');
}
