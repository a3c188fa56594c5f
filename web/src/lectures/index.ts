// The lectures' worked examples, one interactive page each, and the index page that lists them.
import { el } from '../util.js';
import * as convolution from './convolution.js';
import * as mlpXor from './mlp-xor.js';
import * as optimizers from './optimizers.js';
import * as perceptron from './perceptron.js';
import * as pooling from './pooling.js';
import * as vanishing from './vanishing.js';

export interface Lecture {
  id: string;
  title: string;
  summary: string;
  render: (root: HTMLElement) => void | (() => void) | Promise<void | (() => void)>;
}

export const LECTURES: Lecture[] = [
  { id: 'convolution', title: 'Convolution', summary: 'A binary image convolved with a kernel you edit; edge detection with Sobel filters.', render: convolution.render },
  { id: 'pooling', title: 'Pooling', summary: 'Max and average pooling of a grid of numbers, window by window.', render: pooling.render },
  { id: 'perceptron', title: 'Perceptron', summary: 'The perceptron rule learns AND and OR, and never settles on XOR: its decision line, epoch by epoch.', render: perceptron.render },
  { id: 'mlp-xor', title: 'MLP solves XOR', summary: 'One hidden layer bends the decision boundary: a 2-4-1 network trained by back-propagation.', render: mlpXor.render },
  { id: 'vanishing', title: 'Vanishing gradients', summary: 'Per-layer gradient norms of a deep network: sigmoid against ReLU.', render: vanishing.render },
  { id: 'optimizers', title: 'Optimizers race', summary: 'SGD, momentum, RMSprop, Adagrad and Adam descending the same 2-D loss surface.', render: optimizers.render },
];

export function renderIndex(root: HTMLElement): void {
  root.append(
    el('h1', {}, 'Lectures'),
    el('p', { class: 'lead' }, 'The worked examples of the lectures, live: every number on these pages is computed by hebb in your browser.'),
    el('div', { class: 'row lectures' }, ...LECTURES.map((l) => el('a', { class: 'card tile', href: `#/lectures/${l.id}`, 'data-testid': `lecture-${l.id}` }, el('h2', {}, l.title), el('p', { class: 'note' }, l.summary)))),
  );
}
