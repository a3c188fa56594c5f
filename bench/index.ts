// `npm run bench` / `npm run bench:quick`: hebb against TensorFlow.js, see bench/run.ts.
//   tsx bench/index.ts [--quick] [--cases matmul,conv,mlp,lenet] [--engines hebb,tfjs-wasm] [--json path]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareNative, formatCompare } from './native/compare.js';
import { formatReport, runBench, writeResults } from './run.js';

const USAGE = `usage: bench [--quick] [--cases LIST] [--engines LIST] [--json PATH]
  --quick          smaller sizes and time boxes (under a minute)
  --cases LIST     comma-separated groups (matmul, conv, mlp, lenet, lstm) or case-id prefixes (matmul-nt, conv-lenet1, mlp-train)
  --engines LIST   comma-separated engine ids or prefixes (hebb, hebb-cpu, hebb-wasm-2t, tfjs, tfjs-wasm)
  --json PATH      where to write the results (default bench/results.json)
  --no-native      leave out the second table (hebb native vs PyTorch CPU and oneDNN's sgemm; bench/native/compare.ts)`;

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((t) => t.trim()).filter(Boolean));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      cases: { type: 'string' },
      engines: { type: 'string' },
      json: { type: 'string' },
      'no-native': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const result = await runBench({ quick: values.quick, cases: list(values.cases), engines: list(values.engines) });
  console.log(formatReport(result));
  const file = values.json ?? fileURLToPath(new URL('./results.json', import.meta.url));
  writeResults(result, file);
  process.stderr.write(`results written to ${file}\n`);
  if (!values['no-native'] && values.cases === undefined && values.engines === undefined) {
    // The native backend against PyTorch CPU and oneDNN's own sgemm, when the addon is built.
    const native = await compareNative({ rounds: values.quick ? 3 : 7, sampleSeconds: values.quick ? 0.1 : 0.25 });
    if (native) console.log(`\n${formatCompare(native)}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n${USAGE}\n`);
  process.exitCode = 1;
});
