import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerFastCpuKernels } from '../engine/kernels/cpu';
import { registerReductionGradients } from '../engine/kernels/gradients';

// Unit tests run on TF.js's pure-JS CPU backend: the same kernels on every machine.
registerFastCpuKernels();
registerReductionGradients();
await tf.setBackend('cpu');
