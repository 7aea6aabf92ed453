/**
 * A CycleGAN trained a few steps here, its G_AB exported for PyTorch the way the page's "Export
 * for PyTorch" does, for `/usr/bin/python3 scripts/reference/cyclegan_checkpoints.py
 * --verify-export`:
 *   npx vite-node scripts/reference/cyclegan_export.ts OUT_DIR
 * writes OUT_DIR/latest_net_G_A.pth (torch zip), OUT_DIR/latest_net_G_A.safetensors and
 * OUT_DIR/outputs.json (a fixed input and our G_AB's output on it, NHWC float32 in base64).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../../src/core/random';
import { snapshotExperiment } from '../../src/engine/bundles';
import { torchStateOfBundle } from '../../src/engine/torchImport';
import type { CycleGanExperiment } from '../../src/families/cyclegan/experiment';
import { cycleganFamily } from '../../src/families/cyclegan/spec';
import { createExperiment, torchHooksFor } from '../../src/families/engines';
import { writeSafetensors, writeTorchZip } from '../../src/io/torch';
import type { ExperimentConfig } from '../../src/protocol/messages';

const out = process.argv[2];
if (!out) throw new Error('usage: vite-node scripts/reference/cyclegan_export.ts OUT_DIR');
await tf.setBackend('cpu');
const model = { ...cycleganFamily.testSizes.small, ngf: 4, nBlocks: 2 };
const config: ExperimentConfig = { kind: 'cyclegan', seed: 7, model };
const experiment = createExperiment(config) as CycleGanExperiment;
for (let i = 0; i < 3; i++) tf.dispose(experiment.step('both').losses);
const snapshot = await snapshotExperiment(
  experiment,
  { config, step: 3, name: 'export' },
  'generator',
  (t) => t.data(),
);
const { tensors, metadata } = torchStateOfBundle(snapshot.bytes, torchHooksFor);
writeFileSync(join(out, 'latest_net_G_A.pth'), writeTorchZip(tensors, 'latest_net_G_A'));
writeFileSync(join(out, 'latest_net_G_A.safetensors'), writeSafetensors(tensors, metadata));

const s = model.imageSize;
const x = tf.tensor4d(new Rng(11).uniformArray(2 * s * s * 3, -1, 1), [2, s, s, 3]);
const y = experiment.model.G_AB(x);
const enc = (t: tf.Tensor) => ({
  shape: t.shape,
  b64: Buffer.from((t.dataSync() as Float32Array).buffer).toString('base64'),
});
writeFileSync(
  join(out, 'outputs.json'),
  JSON.stringify({ config: { ngf: model.ngf, nBlocks: model.nBlocks }, x: enc(x), y: enc(y) }),
);
console.log(`wrote ${Object.keys(tensors).length} tensors as latest_net_G_A.pth and .safetensors`);
experiment.dispose();
