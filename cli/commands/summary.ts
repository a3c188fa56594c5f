// `hebb summary MODEL`: layers, output shapes and parameter counts of a zoo model or saved folder.
import { modelByName } from '../saved-model.js';

export async function summary(nameOrDir: string): Promise<void> {
  const model = await modelByName(nameOrDir);
  const text = model.summary({ print: false });
  process.stdout.write(`${text.trimEnd()}\n`);
}
