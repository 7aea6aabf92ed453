/** Why a checkpoint file was refused: malformed, truncated, or asking for code to run. */
export class TorchCheckpointError extends Error {
  override readonly name = 'TorchCheckpointError';
}

/** Throws a TorchCheckpointError unless `condition` holds. */
export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) {
    throw new TorchCheckpointError(typeof message === 'function' ? message() : message);
  }
}
