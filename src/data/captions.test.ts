import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import {
  attributeLabels,
  type CaptionAttributes,
  CONTENT_WORDS,
  caption,
  encodeCaption,
  FILLER_WORDS,
  plainCaption,
  readAttributes,
  TEXT_DIM,
  unknownWords,
  VOCABULARY,
  WORD_SCALE,
  wordVector,
} from './captions';

const ALL: CaptionAttributes[] = [0, 1, 2].flatMap((hair) =>
  [true, false].flatMap((male) =>
    [true, false].flatMap((young) =>
      [true, false].map((smiling) => ({ hair, male, young, smiling })),
    ),
  ),
);

describe('captions of the toy faces', () => {
  it('say what the face shows, in the vocabulary, read back to the same attributes', () => {
    const rng = new Rng(1);
    for (const a of ALL) {
      for (let k = 0; k < 8; k++) {
        const text = caption(a, rng);
        expect(unknownWords(text), text).toEqual([]);
        expect(readAttributes(text), text).toEqual(a);
      }
      expect(readAttributes(plainCaption(a))).toEqual(a);
    }
  });

  it('vary their wording', () => {
    const rng = new Rng(2);
    const a = ALL[0]!;
    expect(new Set(Array.from({ length: 30 }, () => caption(a, rng))).size).toBeGreaterThan(5);
  });

  it('map attributes to the face set labels [black, blond, brown, male, young]', () => {
    expect(attributeLabels({ hair: 1, male: true, young: false, smiling: true })).toEqual([
      0, 1, 0, 1, 0,
    ]);
  });
});

describe('the bag-of-one-hot-words encoder', () => {
  it('puts WORD_SCALE on each content word’s own axis and reads filler words as zero', () => {
    const e = encodeCaption('A young man with black hair');
    expect(e).toHaveLength(TEXT_DIM);
    const expected = new Array(TEXT_DIM).fill(0);
    for (const w of ['young', 'man', 'black']) expected[CONTENT_WORDS.indexOf(w)] = WORD_SCALE;
    expect(Array.from(e)).toEqual(expected);
    expect(Array.from(encodeCaption('a young man with black hair'))).toEqual(Array.from(e));
    for (const w of FILLER_WORDS)
      expect(Array.from(wordVector(w))).toEqual(new Array(TEXT_DIM).fill(0));
    // A repeated word counts twice: the sum, not the set, of the words.
    expect(encodeCaption('young young')[CONTENT_WORDS.indexOf('young')]).toBe(2 * WORD_SCALE);
  });

  it('flags unknown words and leaves them out of the embedding', () => {
    expect(unknownWords('a young wizard with purple hair')).toEqual(['wizard', 'purple']);
    expect(Array.from(encodeCaption('a young wizard'))).toEqual(
      Array.from(encodeCaption('a young')),
    );
    expect(Array.from(encodeCaption('wizard'))).toEqual(new Array(TEXT_DIM).fill(0));
  });

  it('separates captions of different attributes by at least WORD_SCALE sqrt(2)', () => {
    const rng = new Rng(3);
    const distance = (a: Float32Array, b: Float32Array) =>
      Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]!) ** 2, 0));
    for (const a of ALL) {
      for (const b of ALL) {
        if (a === b) continue;
        const d = distance(encodeCaption(caption(a, rng)), encodeCaption(caption(b, rng)));
        expect(d).toBeGreaterThanOrEqual(WORD_SCALE * Math.SQRT2 - 1e-6);
      }
    }
    // Every vocabulary word is content or filler, and each content word has its own axis.
    expect(new Set(VOCABULARY).size).toBe(CONTENT_WORDS.length + FILLER_WORDS.length);
    expect(TEXT_DIM).toBe(CONTENT_WORDS.length);
  });
});
