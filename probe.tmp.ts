import * as hb from '/work/wt/h11/src/index.js';
await hb.ready?.();
const { train } = await hb.datasets.mnist({ trainLimit: 2048, testLimit: 10 });
for (const kind of ['gan', 'dcgan', 'wgan-gp'] as const) {
  hb.setSeed(1);
  const dc = kind !== 'gan';
  const g = dc ? hb.generative.dcganGenerator() : hb.generative.mlpGenerator();
  const d = dc ? hb.generative.dcganDiscriminator({ batchNorm: kind === 'dcgan' }) : hb.generative.mlpDiscriminator();
  const m = hb.generative.gan({ generator: g, discriminator: d, objective: kind === 'wgan-gp' ? 'wgan-gp' : 'gan', discriminatorSteps: 1 });
  m.compile({ optimizer: { generator: hb.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }), discriminator: hb.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }) } });
  const t0 = performance.now(); const c0 = process.cpuUsage();
  const h = await m.fit(train.images, null, { epochs: 1, batchSize: 64, verbose: 0 });
  const dt = (performance.now() - t0) / 1000; const cpu = process.cpuUsage(c0);
  console.log(kind, 'samples/s', (2048 / dt).toFixed(0), 'cpu s', ((cpu.user + cpu.system) / 1e6).toFixed(1), 'wall', dt.toFixed(1), JSON.stringify(h.history));
}
