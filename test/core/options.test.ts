import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/base/errors.js';
import { checkOptions, closest, editDistance, is, type OptionSpec } from '../../src/base/options.js';

interface AdamLike {
  learningRate?: number;
  beta1?: number;
  amsgrad?: boolean;
}
const spec: OptionSpec<AdamLike> = { learningRate: is.positive, beta1: is.range(0, 1, true), amsgrad: is.bool };

describe('checkOptions', () => {
  it('accepts valid options and undefined values', () => {
    expect(checkOptions('adam', { learningRate: 0.1, beta1: undefined }, spec)).toEqual({ learningRate: 0.1, beta1: undefined });
    expect(checkOptions('adam', undefined, spec)).toEqual({});
  });
  it('names the function, the key and the closest valid key', () => {
    expect(() => checkOptions('adam', { lr: 0.5 } as AdamLike, spec)).toThrow(/adam: unknown option 'lr' \(did you mean 'learningRate'\?\)/);
    expect(() => checkOptions('adam', { learning_rate: 0.5 } as AdamLike, spec)).toThrow(/did you mean 'learningRate'/);
    expect(() => checkOptions('adam', { amsgard: true } as AdamLike, spec)).toThrow(/did you mean 'amsgrad'/);
    expect(() => checkOptions('adam', { zzzzzzzz: 1 } as AdamLike, spec)).toThrow(ValueError);
  });
  it('rejects wrong types and ranges', () => {
    expect(() => checkOptions('adam', { learningRate: Number.NaN }, spec)).toThrow(/'learningRate' must be a positive number, got NaN/);
    expect(() => checkOptions('adam', { beta1: 1 }, spec)).toThrow(/\[0, 1\)/);
    expect(() => checkOptions('adam', { amsgrad: 'yes' } as unknown as AdamLike, spec)).toThrow(/boolean/);
    expect(() => checkOptions('adam', 3 as unknown as AdamLike, spec)).toThrow(/must be an object/);
  });
  it('edit distance and closest follow their definitions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('activaton', ['activation', 'units'])).toBe('activation');
    expect(closest('qqq', ['activation', 'units'])).toBeUndefined();
  });
});
