// `hebb train <application>`: the issue-12 trainings that are not MNIST classifiers.
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import type { TrainCliOptions } from './train.js';

export const APPLICATION_DATASETS = ['srcnn', 'digit-scenes'] as const;

export async function trainApplication(dataset: string, opts: TrainCliOptions, command: Command): Promise<void> {
  if (opts.resume !== undefined) throw new CliError(`train ${dataset}: --resume is only for mnist runs`, EXIT.usage);
  switch (dataset) {
    case 'srcnn': {
      const { trainSrcnn } = await import('./train-srcnn.js');
      return trainSrcnn(opts);
    }
    case 'digit-scenes': {
      const { trainDigitScenes } = await import('./train-digit-scenes.js');
      // The detector's recipe uses batch 32 unless --batch-size says otherwise.
      const batchSize = command.getOptionValueSource('batchSize') === 'default' ? 32 : opts.batchSize;
      return trainDigitScenes({ ...opts, batchSize });
    }
    default:
      throw new CliError(`train: unknown dataset '${dataset}'`, EXIT.usage);
  }
}
