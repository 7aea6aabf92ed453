/**
 * A StarGAN v2 trained a few steps here, exported for PyTorch the way the page's "Export for
 * PyTorch" does, for `/usr/bin/python3 scripts/reference/starganv2_checkpoints.py --verify-export`:
 *   npx vite-node scripts/reference/starganv2_export.ts OUT_DIR
 * writes OUT_DIR/starganv2.pt (torch zip: {'generator': ..., 'mapping_network': ...,
 * 'style_encoder': ...} as clovaai's CheckpointIO saves nets_ema), OUT_DIR/starganv2.safetensors
 * and OUT_DIR/outputs.json: fixed inputs and our EMA networks' styles and images on them (NHWC
 * float32 in base64).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../../src/core/random';
import { snapshotExperiment } from '../../src/engine/bundles';
import { torchStateOfBundle } from '../../src/engine/torchImport';
import { createExperiment, torchHooksFor } from '../../src/families/engines';
import type { StarGanV2Experiment } from '../../src/families/starganv2/experiment';
import { writeSafetensors, writeTorchZip } from '../../src/io/torch';
import { STARGANV2_DEFAULTS } from '../../src/models/starganv2.config';
import type { ExperimentConfig } from '../../src/protocol/messages';

const out = process.argv[2];
if (!out) throw new Error('usage: vite-node scripts/reference/starganv2_export.ts OUT_DIR');
await tf.setBackend('cpu');
// Not the fixture's shape: two down-samplings in G, the cap not reached in E's last block.
const model = {
  ...STARGANV2_DEFAULTS,
  imageSize: 16,
  convDim: 2,
  maxConvDim: 16,
  repeatNum: 2,
  styleDim: 4,
  latentDim: 3,
  hiddenDim: 6,
  // A fast EMA so three steps move the EMA networks (and the norms and biases) off their start.
  emaBeta: 0.5,
  lr: 1e-2,
  fLr: 1e-2,
  batchSize: 2,
  datasetSize: 8,
} as const;
const config = { kind: 'starganv2', seed: 7, model } as ExperimentConfig;
const experiment = createExperiment(config) as StarGanV2Experiment;
for (let i = 0; i < 3; i++) tf.dispose(experiment.step('both').losses);
const snapshot = await snapshotExperiment(
  experiment,
  { config, step: 3, name: 'export' },
  'generator',
  (t) => t.data(),
);
const { tensors, metadata, modules } = torchStateOfBundle(snapshot.bytes, torchHooksFor);
writeFileSync(join(out, 'starganv2.pt'), writeTorchZip(tensors, 'starganv2', modules));
writeFileSync(join(out, 'starganv2.safetensors'), writeSafetensors(tensors, metadata));

const rng = new Rng(11);
const s = model.imageSize;
const x = tf.tensor4d(rng.uniformArray(2 * s * s * 3, -1, 1), [2, s, s, 3]);
const xRef = tf.tensor4d(rng.uniformArray(2 * s * s * 3, -1, 1), [2, s, s, 3]);
const z = tf.tensor2d(rng.normalArray(2 * model.latentDim, 1), [2, model.latentDim]);
const y = [1, 2];
const m = experiment.model;
const yHot = tf.oneHot(tf.tensor1d(y, 'int32'), 3) as tf.Tensor2D;
const sLatent = m.FEma(z, yHot);
const sRef = m.EEma(xRef, yHot);
const enc = (t: tf.Tensor) => ({
  shape: t.shape,
  b64: Buffer.from((t.dataSync() as Float32Array).buffer).toString('base64'),
});
writeFileSync(
  join(out, 'outputs.json'),
  JSON.stringify({
    shape: { ...model, numDomains: 3 },
    x: enc(x),
    xRef: enc(xRef),
    z: enc(z),
    y,
    sLatent: enc(sLatent),
    sRef: enc(sRef),
    gLatent: enc(m.GEma(x, sLatent)),
    gRef: enc(m.GEma(x, sRef)),
  }),
);
console.log(
  `wrote ${Object.keys(tensors).length} tensors as starganv2.pt and starganv2.safetensors`,
);
experiment.dispose();
