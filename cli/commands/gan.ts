// `hebb train gan --model gan|dcgan|cgan|wgan|wgan-gp`: registered as a subcommand of `train`
// (so `train mnist` keeps its own options). `train` parses the options it shares with this
// command (--model, --epochs, --batch-size, --seed, --out, --resume, --limit, --data-dir,
// --backend, --threads, --no-report) before dispatching here, so they are read from it; this
// command adds only its own. The implementation loads lazily, as every command's does.
import { type Command, Option } from 'commander';
import { positiveInt } from '../options.js';

export const GAN_MODELS = ['gan', 'dcgan', 'cgan', 'wgan', 'wgan-gp'] as const;
export type GanModelName = (typeof GAN_MODELS)[number];

/** Add `gan` under the `train` command, and the GAN names to train's --model choices. */
export function registerTrainGan(program: Command): void {
  const train = program.commands.find((c) => c.name() === 'train');
  if (!train) throw new Error('registerTrainGan: no train command');
  const model = train.options.find((o) => o.long === '--model');
  if (model?.argChoices) model.argChoices.push(...GAN_MODELS);
  train.command('gan')
    .description('train a GAN on the MNIST digits: loss curves, a sample grid per epoch, in-painting, and the samples judged by a LeNet-5 (DIR/generator: z [N,100] (cgan: + one-hot [N,10]) → [N,28,28,1] in [0,1])')
    .addOption(new Option('--judge <dir>', 'a saved MNIST classifier to judge the samples (default: runs/judge-lenet5, trained there once if missing)'))
    .option('--samples <n>', 'samples the classifier judges', positiveInt, 1000)
    .option('--no-inpaint', 'skip the in-painting demonstration')
    .option('--judge-only', 'with --resume DIR: judge and report the saved GAN without training it further')
    .addHelpText('after', `
Defaults: epochs gan 5, dcgan 5, cgan 4, wgan 4, wgan-gp 8; batches of 64 (gan: 128).
Options shared with "train mnist" go before "gan" is given to them, e.g.:
  hebb train gan --model dcgan --epochs 2 --out runs/dcgan
  hebb train gan --model cgan --limit 5000 --epochs 1`)
    .action(async (options: Record<string, unknown>, command: Command) => {
      const { trainGan } = await import('./train-gan.js');
      await trainGan(command, options);
    });
}
