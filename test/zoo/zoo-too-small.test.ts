// A zoo model given an input too small for its stack of windows fails when it is built, with a
// ShapeError naming the layer where the feature map runs out — not later, at fit.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { countZooParams } from '../../src/zoo/graph.js';

describe('zoo models reject inputs that are too small at build time', () => {
  it('vgg11 at 16×16: five 2×2 pools need at least 32 pixels', () => {
    // 16 → 8 → 4 → 2 → 1 after four pools; the fifth (block5_pool) would give 0.
    const make = () => hb.zoo.vgg11({ inputShape: [16, 16, 3], classes: 3 });
    expect(make).toThrow(hb.ShapeError);
    expect(make).toThrow(/^MaxPooling2D 'block5_pool': window 2x2 .* input \[null,1,1,512\]/);
    // The dry-run parameter count uses the same shape rule.
    expect(() => countZooParams(hb.zoo.vgg11, { inputShape: [16, 16, 3], classes: 3 })).toThrow(/block5_pool/);
  });

  it('lenet5 on a 4×4 image fails at its first convolution', () => {
    expect(() => hb.zoo.lenet5({ inputShape: [4, 4, 1] })).toThrow(hb.ShapeError);
  });
});
