import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

// Unit tests run on TF.js's pure-JS CPU backend: the same kernels on every machine.
await tf.setBackend('cpu');
