/**
 * PyTorch checkpoints in the browser or Node, with no TF.js and no code execution:
 *
 *   const { format, root } = readTorchCheckpoint(new Uint8Array(await file.arrayBuffer()));
 *   const tensors = flattenTensors(root); // {'G/main.0.weight': TorchTensor, ...}
 *
 * reads torch.save's zip format (PyTorch >= 1.6), its legacy format (< 1.6, as the official
 * yunjey/stargan and clovaai/stargan-v2 checkpoints) and safetensors. Float tensors come back
 * as Float32Array, views into the input where the storage is aligned float32 (zip and
 * safetensors always; legacy with `inPlace: true`). Anything but a state_dict's own globals
 * is refused with a TorchCheckpointError naming it. writeTorchZip / writeSafetensors export a
 * flat record of float32 tensors; scripts/reference/torch_checkpoints.py --verify-export
 * checks that PyTorch 1.13 loads them.
 */
export { TorchCheckpointError } from './errors';
export {
  checkStateDict,
  formatShape,
  type OurTensor,
  permute4,
  withoutDataParallel,
} from './layout';
export {
  ALLOWED_GLOBALS,
  type CheckpointRecord,
  type CheckpointValue,
  flattenTensors,
  isRecord,
  type ReadOptions,
  readTorchCheckpoint,
  type TorchCheckpoint,
} from './read';
export { type TensorData, type TorchDType, TorchTensor } from './tensor';
export {
  type Float32StateDict,
  type Float32Tensor,
  writeSafetensors,
  writeTorchZip,
} from './write';
