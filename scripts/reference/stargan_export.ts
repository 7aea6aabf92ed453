/**
 * A StarGAN trained a few steps here, exported for PyTorch the way the page's "Export for
 * PyTorch" does, for `/usr/bin/python3 scripts/reference/stargan_checkpoints.py --verify-export`:
 *   npx vite-node scripts/reference/stargan_export.ts OUT_DIR
 * writes OUT_DIR/stargan_g.pt (torch zip), OUT_DIR/stargan_g.safetensors and OUT_DIR/outputs.json
 * (a fixed input, labels and our G's outputs on them, NHWC float32 in base64).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../../src/core/random';
import { snapshotExperiment } from '../../src/engine/bundles';
import { torchStateOfBundle } from '../../src/engine/torchImport';
import { createExperiment, torchHooksFor } from '../../src/families/engines';
import type { StarGanExperiment } from '../../src/families/stargan/experiment';
import { writeSafetensors, writeTorchZip } from '../../src/io/torch';
import { STARGAN_DEFAULTS } from '../../src/models/stargan.config';
import type { ExperimentConfig } from '../../src/protocol/messages';

const out = process.argv[2];
if (!out) throw new Error('usage: vite-node scripts/reference/stargan_export.ts OUT_DIR');
await tf.setBackend('cpu');
const config = {
  kind: 'stargan',
  seed: 7,
  model: {
    ...STARGAN_DEFAULTS,
    imageSize: 16,
    gConvDim: 4,
    gRepeat: 2,
    dConvDim: 4,
    dRepeat: 3,
    batchSize: 2,
    datasetSize: 16,
  },
} as ExperimentConfig;
const experiment = createExperiment(config) as StarGanExperiment;
for (let i = 0; i < 3; i++) tf.dispose(experiment.step('G').losses);
const snapshot = await snapshotExperiment(
  experiment,
  { config, step: 3, name: 'export' },
  'generator',
  (t) => t.data(),
);
const { tensors, metadata } = torchStateOfBundle(snapshot.bytes, torchHooksFor);
writeFileSync(join(out, 'stargan_g.pt'), writeTorchZip(tensors, 'stargan_g'));
writeFileSync(join(out, 'stargan_g.safetensors'), writeSafetensors(tensors, metadata));

const rng = new Rng(11);
const s = 16;
const x = tf.tensor4d(rng.uniformArray(2 * s * s * 3, -1, 1), [2, s, s, 3]);
const c = tf.tensor2d([0, 1, 0, 1, 1, 1, 0, 0, 0, 0], [2, 5]);
const y = experiment.model.G(x, c);
const enc = (t: tf.Tensor) => ({
  shape: t.shape,
  b64: Buffer.from((t.dataSync() as Float32Array).buffer).toString('base64'),
});
writeFileSync(
  join(out, 'outputs.json'),
  JSON.stringify({
    config: { convDim: 4, cDim: 5, repeatNum: 2 },
    x: enc(x),
    c: enc(c),
    y: enc(y),
  }),
);
console.log(
  `wrote ${Object.keys(tensors).length} tensors as stargan_g.pt and stargan_g.safetensors`,
);
experiment.dispose();
