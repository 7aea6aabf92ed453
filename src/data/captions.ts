/**
 * Captions for the toy faces, and the fixed sentence encoder StackGAN++ reads them with.
 *
 * The grammar describes the four attributes a toy face carries (hair colour, gender, age and
 * whether it smiles; see faces.ts) in varied words and orders: "a young man with black hair
 * and a beard", "a smiling old woman with blond hair", "an elderly brown haired lady". Every
 * caption names every attribute, so a caption fixes the face's labels and the faces' nuisance
 * variables (skin, background, shape) are what z draws.
 *
 * The encoder is a bag of one-hot words, fixed and documented (nothing learned or downloaded;
 * the reference's char-CNN-RNN embeddings of 1024 values are replaced by TEXT_DIM values).
 * Each content word, one that says something of the face (a hair colour, a noun, an age, a
 * smile word, "beard"), owns one axis of the embedding; filler words ("a", "with", "hair",
 * "who"...) map to zero; a sentence is WORD_SCALE times the count of each content word. So a
 * caption of the grammar has four or five non-zero values, two captions that differ in one
 * attribute lie WORD_SCALE sqrt(2) apart, and synonyms ("old", "elderly") are different axes
 * that conditioning augmentation's dense layer learns to merge. WORD_SCALE is set so that at
 * initialisation that layer maps captions of different attributes to means mu whose spread
 * is of the order of the noise eps ~ N(0, 1) it adds: a first, mean-of-random-vectors encoder
 * gave mu a variance across captions of about 0.005 against eps's unit variance, and the
 * generator never learned to read the caption (README). Words outside the vocabulary are
 * reported (the page flags them) and add nothing, never silently.
 */
import type { Rng } from '../core/random';
import type { FaceParams } from './faces';

/** What a caption says of a face. hair: 0 black, 1 blond, 2 brown (FACE_ATTRIBUTES' order). */
export interface CaptionAttributes {
  readonly hair: number;
  readonly male: boolean;
  readonly young: boolean;
  readonly smiling: boolean;
}

export const HAIR_WORDS = ['black', 'blond', 'brown'] as const;

const NOUNS = {
  male: { young: ['man', 'boy', 'guy'], old: ['man', 'gentleman'] },
  female: { young: ['woman', 'girl', 'lady'], old: ['woman', 'lady'] },
} as const;
const AGE = { young: ['young', 'youthful'], old: ['old', 'elderly', 'older'] } as const;
const SMILE = { yes: ['smiling', 'happy', 'cheerful'], no: ['serious', 'calm'] } as const;

/** Words that say something of the face, in a fixed order: each owns an embedding axis. */
export const CONTENT_WORDS: readonly string[] = [
  ...new Set([
    ...HAIR_WORDS,
    ...Object.values(NOUNS).flatMap((n) => [...n.young, ...n.old]),
    ...AGE.young,
    ...AGE.old,
    ...SMILE.yes,
    ...SMILE.no,
    'beard',
  ]),
];

/** Words of the grammar that carry no attribute: known, read as zero. */
export const FILLER_WORDS: readonly string[] = [
  'a',
  'an',
  'with',
  'and',
  'hair',
  'haired',
  'who',
  'is',
  'face',
];

/** Every word the grammar can produce: the encoder's vocabulary. */
export const VOCABULARY: readonly string[] = [...CONTENT_WORDS, ...FILLER_WORDS];

/** Length of a sentence embedding: one axis per content word (TEXT.DIMENSION is 1024 there). */
export const TEXT_DIM = CONTENT_WORDS.length;

/**
 * The value a content word adds on its axis. At initialisation (embeddingDim 8, the grammar's
 * captions of 2,000 toy faces) mu's standard deviation across captions is 0.44 to 0.51 per
 * component with PyTorch's default initialisation of the dense layer (TEXT_DIM to
 * 4 embeddingDim), 0.68 to 0.72 with the twin's orthogonal one (seeds 1 to 3), against eps's 1:
 * the condition is heard from the first step and not drowned by the noise.
 */
export const WORD_SCALE = 4;

const KNOWN = new Set(VOCABULARY);

/** The labels of faces.ts's attribute set for a caption: [black, blond, brown, male, young]. */
export function attributeLabels(a: CaptionAttributes): number[] {
  return [a.hair === 0, a.hair === 1, a.hair === 2, a.male, a.young].map(Number);
}

/** What a toy face shows, in the caption's terms (expression 1 is Happy). */
export function faceAttributes(face: FaceParams): CaptionAttributes {
  return { hair: face.hair, male: face.male, young: face.young, smiling: face.expression === 1 };
}

const pick = <T>(rng: Rng, options: readonly T[]): T => options[rng.int(options.length)]!;
const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** One caption of the grammar for `a`, its wording drawn from `rng`. */
export function caption(a: CaptionAttributes, rng: Rng): string {
  const age = pick(rng, a.young ? AGE.young : AGE.old);
  const noun = pick(rng, NOUNS[a.male ? 'male' : 'female'][a.young ? 'young' : 'old']);
  const hair = HAIR_WORDS[a.hair]!;
  const smile = pick(rng, a.smiling ? SMILE.yes : SMILE.no);
  const beard = a.male && rng.uniform() < 0.5 ? ' and a beard' : '';
  switch (rng.int(3)) {
    case 0: {
      // "a smiling young man with black hair and a beard"
      return `${article(smile)} ${smile} ${age} ${noun} with ${hair} hair${beard}`;
    }
    case 1: {
      // "an old woman with blond hair who is smiling"
      return `${article(age)} ${age} ${noun} with ${hair} hair${beard} who is ${smile}`;
    }
    default: {
      // "a serious elderly brown haired gentleman"
      return `${article(smile)} ${smile} ${age} ${hair} haired ${noun}`;
    }
  }
}

/** The words of a caption as the encoder reads them: lower case, split on anything else. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

/** Words of `text` outside the vocabulary, in order of appearance (the page flags them). */
export function unknownWords(text: string): string[] {
  return words(text).filter((w) => !KNOWN.has(w));
}

const AXIS = new Map(CONTENT_WORDS.map((w, k) => [w, k]));

/** A word's fixed vector: WORD_SCALE on its own axis for a content word, zeros otherwise. */
export function wordVector(word: string): Float32Array {
  const v = new Float32Array(TEXT_DIM);
  const k = AXIS.get(word);
  if (k !== undefined) v[k] = WORD_SCALE;
  return v;
}

/**
 * The sentence embedding: the sum of its words' vectors, WORD_SCALE times the count of each
 * content word (zeros when there are none; unknown words add nothing and are flagged apart).
 */
export function encodeCaption(text: string): Float32Array {
  const out = new Float32Array(TEXT_DIM);
  for (const w of words(text)) {
    const k = AXIS.get(w);
    if (k !== undefined) out[k]! += WORD_SCALE;
  }
  return out;
}

/**
 * The attributes a caption states, read back by keywords (for the page's toggles): null for
 * one it leaves open. Synonyms count; the last hair word wins.
 */
export function readAttributes(text: string): {
  [K in keyof CaptionAttributes]: CaptionAttributes[K] | null;
} {
  const ws = words(text);
  const has = (list: readonly string[]) => ws.some((w) => list.includes(w));
  const hairIndex = ws.reduce<number | null>((found, w) => {
    const k = (HAIR_WORDS as readonly string[]).indexOf(w);
    return k >= 0 ? k : found;
  }, null);
  const male = has(['man', 'boy', 'guy', 'gentleman', 'beard']);
  const female = has(['woman', 'girl', 'lady']);
  const young = has(AGE.young) || has(['boy', 'girl']);
  const old = has(AGE.old) || has(['gentleman']);
  return {
    hair: hairIndex,
    male: male === female ? null : male,
    young: young === old ? null : young,
    smiling: has(SMILE.yes) ? true : has(SMILE.no) ? false : null,
  };
}

/** The grammar's plainest caption for `a`, as the page's toggles write it. */
export function plainCaption(a: CaptionAttributes): string {
  const smile = a.smiling ? 'smiling' : 'serious';
  const age = a.young ? 'young' : 'old';
  const noun = a.male ? 'man' : 'woman';
  return `a ${smile} ${age} ${noun} with ${HAIR_WORDS[a.hair]} hair`;
}
