/**
 * Dumps the two-domain toy faces (src/data/twoDomain.ts: photo A, line drawing B of the same
 * face) the trained Pix2Pix and CycleGAN learn from, seeded, for the PyTorch twins
 * (scripts/reference/train_translation.py). Not committed: a rerun writes the same bytes.
 *   npx vite-node scripts/trained/export-two-domain.ts     -> /tmp/gan-trained/twodomain32.*
 * Env: OUT (directory), COUNT (faces, default 4000), SIZE (16 | 32, default 32).
 * Files: twodomain<size>.a.f32 and .b.f32 (count x size x size x 3, NHWC, float32 in [-1, 1];
 * b[i] is the drawing of a[i]) and twodomain<size>.json (count, size, stream).
 * The faces come from their own stream (alignedFaces('trained', ...), i.e. Rng('two-domain:
 * trained')), apart from the streams an experiment draws its training ('<seed>:train') and
 * held-out ('<seed>:test') faces from, so the held-out faces the quality figures use are never
 * trained on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alignedFaces } from '../../src/data/twoDomain';

const out = process.env.OUT ?? '/tmp/gan-trained';
const count = Number(process.env.COUNT ?? 4000);
const size = Number(process.env.SIZE ?? 32);
const stream = 'trained';

mkdirSync(out, { recursive: true });
const started = Date.now();
const { a, b } = alignedFaces(stream, count, size);
const bytes = (x: Float32Array) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
writeFileSync(join(out, `twodomain${size}.a.f32`), bytes(a));
writeFileSync(join(out, `twodomain${size}.b.f32`), bytes(b));
writeFileSync(
  join(out, `twodomain${size}.json`),
  JSON.stringify({ count, size, stream: `two-domain:${stream}` }),
);
console.log(`${count} face pairs at ${size} px in ${out} (${(Date.now() - started) / 1000} s)`);
