/**
 * Dumps captioned toy faces for the StackGAN++ twin (scripts/reference/train_stackgan.py),
 * seeded: the faces at the finest stage's size, their attributes, and CAPTIONS caption
 * embeddings per face from our grammar and encoder (src/data/captions.ts), as the reference's
 * data sets carry ten captions per image.
 *   npx vite-node scripts/reference/stackgan_data.ts      -> /tmp/gan-trained/stackgan-*
 * Env: OUT, COUNT (default 2000), SIZE (default 64), CAPTIONS (default 5), SEED (13).
 * The faces come from their own stream, apart from an experiment's training and held-out ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/random';
import { caption, encodeCaption, faceAttributes, TEXT_DIM } from '../../src/data/captions';
import { FaceDataset, type FaceSize } from '../../src/data/faces';

const out = process.env.OUT ?? '/tmp/gan-trained';
const count = Number(process.env.COUNT ?? 2000);
const size = Number(process.env.SIZE ?? 64) as FaceSize;
const captions = Number(process.env.CAPTIONS ?? 5);
const seed = Number(process.env.SEED ?? 13);

mkdirSync(out, { recursive: true });
const rng = new Rng(seed).fork('stackgan-faces');
const faces = new FaceDataset('celeba', count, size, rng.fork('faces'));
const words = rng.fork('captions');
const attributes = new Float32Array(count * 4);
const embeddings = new Float32Array(count * captions * TEXT_DIM);
faces.params.forEach((face, i) => {
  const a = faceAttributes(face);
  attributes.set([a.hair, Number(a.male), Number(a.young), Number(a.smiling)], i * 4);
  for (let k = 0; k < captions; k++) {
    embeddings.set(encodeCaption(caption(a, words)), (i * captions + k) * TEXT_DIM);
  }
});
const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(join(out, `stackgan-faces${size}.f32`), bytes(faces.images));
writeFileSync(join(out, 'stackgan-attributes.f32'), bytes(attributes));
writeFileSync(join(out, 'stackgan-captions.f32'), bytes(embeddings));
writeFileSync(
  join(out, 'stackgan-data.json'),
  JSON.stringify({ count, size, captions, textDim: TEXT_DIM, seed }),
);
console.log(`${count} captioned faces at ${size} px in ${out}`);
