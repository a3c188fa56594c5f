// The two-layer graph convolutional network of Kipf & Welling (2017) for semi-supervised node
// classification: Z = softmax(Â · relu(Â X W⁰) · W¹), with dropout on the features and on the
// hidden layer, as in the paper. Two inputs: the node features X [N, F] and the renormalised
// adjacency Â [N, N] (hb.layers.normalizeAdjacency(A)); the node axis is the batch axis, so fit
// takes the whole graph as one batch (batchSize N, shuffle: false) and masks the unlabelled
// nodes with sampleWeight.
//
// Parameters (no biases by default, as in the paper's equation and code): F·hidden + hidden·classes;
// with useBias, + hidden + classes. Cora (F = 1433, hidden 16, 7 classes): 22,928 + 112 = 23,040.
import { ValueError } from '../base/index.js';
import { input, type Model, model } from '../model/index.js';
import { layers as nn } from '../nn/index.js';

/** Options of {@link gcn}: node feature length, classes, hidden units and dropout. */
export interface GcnOptions {
  /** Feature length F per node (required). */
  features: number;
  /** Number of node classes (required). */
  classes: number;
  /** Nodes in the graph; fixes the adjacency input's width (default: any). */
  numNodes?: number;
  /** Hidden units of the first graph convolution (default 16). */
  hidden?: number;
  /** Dropout rate before each graph convolution (default 0.5). */
  dropout?: number;
  /** Add a bias to each graph convolution (default false, as in the paper). */
  useBias?: boolean;
}

/** GCN with inputs [features [N, F], adjacency Â [N, N]] and output class probabilities [N, classes]. */
export function gcn(options: GcnOptions): Model {
  const { features, classes, numNodes, hidden = 16, dropout = 0.5, useBias = false } = options ?? ({} as GcnOptions);
  const positive = (name: string, v: unknown) => {
    if (!Number.isInteger(v) || (v as number) < 1) throw new ValueError(`zoo.gcn: ${name} must be a positive whole number, got ${JSON.stringify(v)}`);
  };
  positive('features', features);
  positive('classes', classes);
  positive('hidden', hidden);
  if (numNodes !== undefined) positive('numNodes', numNodes);
  if (!(dropout >= 0 && dropout < 1)) throw new ValueError(`zoo.gcn: dropout must be in [0, 1), got ${dropout}`);
  const x = input({ shape: [features], name: 'features' });
  const a = input({ shape: [numNodes ?? null], name: 'adjacency' });
  const h = nn.graphConv({ name: 'gc1', units: hidden, activation: 'relu', useBias }).apply([nn.dropout({ name: 'dropout1', rate: dropout }).apply(x), a]);
  const z = nn.graphConv({ name: 'gc2', units: classes, activation: 'softmax', useBias }).apply([nn.dropout({ name: 'dropout2', rate: dropout }).apply(h), a]);
  return model({ inputs: [x, a], outputs: z, name: 'gcn' });
}
