/**
 * Times src/io/torch on a large checkpoint (for example the ~50 MB legacy file from
 * `/usr/bin/python3 scripts/reference/torch_checkpoints.py --bench /tmp/bench.pt`):
 *   npx vite-node scripts/reference/torch_bench.ts /tmp/bench.pt
 * Reads it 5 times (a fresh copy each time, as a File's arrayBuffer() would give), copying
 * misaligned storages and in place, then writes and rereads its float32 tensors as a zip
 * checkpoint and as safetensors.
 */
import { readFileSync } from 'node:fs';
import {
  type Float32StateDict,
  flattenTensors,
  readTorchCheckpoint,
  writeSafetensors,
  writeTorchZip,
} from '../../src/io/torch';

const path = process.argv[2];
if (!path) throw new Error('usage: vite-node scripts/reference/torch_bench.ts FILE');
const file = new Uint8Array(readFileSync(path));
const mb = file.byteLength / 2 ** 20;

function time(
  label: string,
  bytes: number,
  run: (copy: Uint8Array) => unknown,
  repeats = 5,
): unknown {
  let best = Number.POSITIVE_INFINITY;
  let result: unknown;
  for (let i = 0; i < repeats; i++) {
    const copy = file.slice(); // outside the timing
    const t0 = performance.now();
    result = run(copy);
    best = Math.min(best, performance.now() - t0);
  }
  const size = bytes / 2 ** 20;
  console.log(
    `${label.padEnd(34)} ${size.toFixed(1)} MiB  best of ${repeats}: ${best.toFixed(1)} ms  ${(size / (best / 1000)).toFixed(0)} MiB/s`,
  );
  return result;
}

const first = readTorchCheckpoint(file);
console.log(`${path}: ${first.format}, ${mb.toFixed(1)} MiB`);
const views = Object.values(flattenTensors(first.root)).filter(
  (t) => t.data.buffer !== file.buffer,
);
console.log(
  `${views.length} of ${Object.keys(flattenTensors(first.root)).length} tensors copied (misaligned)`,
);
time('read (copying misaligned storages)', file.byteLength, (copy) => readTorchCheckpoint(copy));
time('read in place', file.byteLength, (copy) => readTorchCheckpoint(copy, { inPlace: true }));
time('one memcpy of the file (baseline)', file.byteLength, (copy) => copy.slice());

const floats: Float32StateDict = {};
for (const [name, t] of Object.entries(flattenTensors(first.root))) {
  if (t.data instanceof Float32Array) floats[name] = { shape: t.shape, data: t.data };
}
const zip = time('writeTorchZip', file.byteLength, () => writeTorchZip(floats)) as Uint8Array;
time('read the zip (views, no copy)', zip.byteLength, () => readTorchCheckpoint(zip));
const st = time('writeSafetensors', file.byteLength, () => writeSafetensors(floats)) as Uint8Array;
time('read the safetensors (views)', st.byteLength, () => readTorchCheckpoint(st));
const t0 = flattenTensors(first.root)['main.0.weight'];
if (t0)
  console.log(
    'sum of main.0.weight',
    (t0.data as Float32Array).reduce((a, b) => a + b, 0),
  );
