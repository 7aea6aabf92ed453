/**
 * Reads the toy animals' attributes back from an image: the domain, the content (where the
 * head is, how big, which way it turns) and the style (fur colour, pattern, eye colour). A
 * ridge reader (ridgeReader.ts) fitted on real animals the generator labels; it only ever
 * judges G's outputs: StarGAN v2's domain accuracy, content kept and reference style kept.
 * Classes are read as the largest output of their block.
 */
import { Rng } from '../core/random';
import {
  ANIMAL_DOMAINS,
  AnimalDataset,
  attributeVector,
  READ_ATTRIBUTES,
  READ_WIDTH,
} from '../data/animals';
import { argmaxIn, meanAbs, READER_BASE, RidgeReader } from './ridgeReader';

/** Animals per domain the reader is fitted on. */
const FIT_PER_DOMAIN = 300;

/** How well the reader reads real held-out animals (the page shows it next to the figures). */
export interface ReaderAccuracy {
  readonly domain: number;
  /** Mean absolute error of cx, cy and size, in image sides. */
  readonly content: number;
  /** Mean absolute error of the fur colour, RGB in [-1, 1]. */
  readonly fur: number;
}

export class AnimalReader {
  private readonly reader: RidgeReader;
  readonly accuracy: ReaderAccuracy;

  constructor(rng: Rng) {
    this.reader = new RidgeReader(rng, READ_WIDTH, () => {
      const fit = new AnimalDataset(FIT_PER_DOMAIN, READER_BASE, rng.fork('fit'));
      return {
        count: fit.count,
        size: READER_BASE,
        image: (i) => fit.image(i),
        target: (i) => attributeVector(fit.params[i]!),
      };
    });
    this.accuracy = this.measure(new AnimalDataset(100, READER_BASE, rng.fork('held-out')));
  }

  /** The attribute vector read from one image (see READ_ATTRIBUTES for its layout). */
  read(image: ArrayLike<number>, size: number, offset = 0): Float64Array {
    return this.reader.read(image, size, offset);
  }

  private measure(set: AnimalDataset): ReaderAccuracy {
    let domain = 0;
    let content = 0;
    let fur = 0;
    for (let i = 0; i < set.count; i++) {
      const read = this.read(set.image(i), set.size);
      const truth = attributeVector(set.params[i]!);
      domain += Number(argmaxIn(read, READ_ATTRIBUTES.domain) === set.params[i]!.domain);
      content += meanAbs(read, truth, READ_ATTRIBUTES.content.offset, 3);
      fur += meanAbs(read, truth, READ_ATTRIBUTES.fur.offset, 3);
    }
    return { domain: domain / set.count, content: content / set.count, fur: fur / set.count };
  }
}

let shared: AnimalReader | null = null;

/** The reader, fitted once per worker with a fixed seed (independent of any experiment's). */
export function animalReader(): AnimalReader {
  shared ??= new AnimalReader(new Rng('animal-reader'));
  return shared;
}

export const READER_DOMAINS = ANIMAL_DOMAINS;
