/**
 * The translate playground's state, shared by the translation families: the user's own images,
 * each with the domain it is in, kept while the page switches between Pix2Pix, CycleGAN and
 * UNIT at one image size (so the three can be compared on the same picture). One render request
 * translates all of them, again after every training frame.
 */
import { send } from '../../ui/client';
import { requestRender } from '../../ui/render';
import { familyState } from '../../ui/store/familyState';
import type { Domain, TranslateRequest, TranslationInfo } from './spec';

export interface Upload {
  readonly key: string;
  readonly caption: string;
  readonly from: Domain;
  /** size x size x 3 values in [-1, 1] (the worker has its own copy). */
  readonly pixels: Float32Array;
}

interface UploadsState {
  /** The side the uploads were scaled to: another run's size starts the list afresh. */
  readonly size: number | null;
  readonly uploads: readonly Upload[];
}

/** Images translated at once: each is one row of the rendered grid. */
export const MAX_UPLOADS = 4;

export const uploads = familyState<UploadsState>('translation', { size: null, uploads: [] });

export function onTranslationExperiment(info: TranslationInfo<string>): void {
  if (uploads.get().size !== info.imageSize) uploads.reset({ size: info.imageSize });
}

export function translateRequest(): TranslateRequest | null {
  const list = uploads.get().uploads;
  return list.length === 0
    ? null
    : { kind: 'translate', inputs: list.map(({ key, from }) => ({ key, from })) };
}

const update = (change: (s: UploadsState) => Partial<UploadsState>) => {
  uploads.set(change);
  requestRender();
};

/** An uploaded image: sent to the worker once, then named by its key in every request. */
export function addUpload(upload: Upload): void {
  send({ type: 'renderInput', key: upload.key, pixels: upload.pixels.slice() });
  update((s) => ({ uploads: [...s.uploads, upload].slice(-MAX_UPLOADS) }));
}

export const setFrom = (key: string, from: Domain) =>
  update((s) => ({ uploads: s.uploads.map((u) => (u.key === key ? { ...u, from } : u)) }));

export const removeUpload = (key: string) =>
  update((s) => ({ uploads: s.uploads.filter((u) => u.key !== key) }));
