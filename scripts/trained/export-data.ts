/**
 * Dumps the toy faces the trained models learn from, seeded, for the PyTorch twins
 * (scripts/reference/train_*.py). Not committed: a rerun writes the same bytes.
 *   npx vite-node scripts/trained/export-data.ts            -> /tmp/gan-trained/faces32.*
 * Env: OUT (directory), COUNT (faces, default 20000), SIZE (16 | 32 | 64, default 32).
 * Files: faces<size>.f32 (count x size x size x 3, NHWC, float32 in [-1, 1]),
 * faces<size>.labels.f32 (count x 5: Black_Hair, Blond_Hair, Brown_Hair, Male, Young) and
 * faces<size>.json (count, size, label names, seed).
 * The faces come from their own stream (Rng(SEED).fork('trained-faces')), apart from the
 * streams an experiment draws its training and held-out faces from, so the held-out faces
 * the quality figures use are never trained on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/random';
import { FACE_ATTRIBUTES, FaceDataset, type FaceSize } from '../../src/data/faces';

const out = process.env.OUT ?? '/tmp/gan-trained';
const count = Number(process.env.COUNT ?? 20_000);
const size = Number(process.env.SIZE ?? 32) as FaceSize;
const seed = Number(process.env.SEED ?? 13);

mkdirSync(out, { recursive: true });
const started = Date.now();
const faces = new FaceDataset('celeba', count, size, new Rng(seed).fork('trained-faces'));
const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(join(out, `faces${size}.f32`), bytes(faces.images));
writeFileSync(join(out, `faces${size}.labels.f32`), bytes(faces.labels));
writeFileSync(
  join(out, `faces${size}.json`),
  JSON.stringify({ count, size, labels: FACE_ATTRIBUTES, seed }),
);
console.log(`${count} faces at ${size} px in ${out} (${(Date.now() - started) / 1000} s)`);
