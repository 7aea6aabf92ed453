import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLASSIFIER_FILES,
  classifierFromFiles,
  type LoadedClassifier,
} from '../metrics/faceClassifierFiles';

/** The face classifier shipped in public/models, read from disk (for Node tests and scripts). */
export function loadShippedClassifier(root = 'public/models'): LoadedClassifier {
  const manifest = readFileSync(join(root, CLASSIFIER_FILES.manifest), 'utf8');
  const bytes = readFileSync(join(root, CLASSIFIER_FILES.weights));
  return classifierFromFiles(
    manifest,
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}
