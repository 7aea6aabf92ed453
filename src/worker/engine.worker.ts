/// <reference lib="webworker" />
/**
 * The training worker: owns TensorFlow.js, and is nothing but a transport between the
 * protocol and the engine's Trainer.
 */
import { selectBackend } from '../engine/backend';
import { errorMessage } from '../engine/errors';
import { Trainer } from '../engine/trainer';
import { type FromWorker, type ToWorker, transferablesOf } from '../protocol/messages';

declare const self: DedicatedWorkerGlobalScope;

function post(message: FromWorker): void {
  self.postMessage(message, transferablesOf(message));
}

const trainer = new Trainer({
  experiment: (info, seed) => post({ type: 'experiment', info, seed }),
  progress: (update) => post({ type: 'progress', ...update }),
  notice: (level, message) => post({ type: 'notice', level, message }),
});

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init': {
      const info = await selectBackend(message.backend);
      post({ type: 'backend', info });
      trainer.setLive(message.live);
      await trainer.reset(message.experiment);
      return;
    }
    case 'play':
      trainer.play();
      return;
    case 'pause':
      await trainer.pause();
      return;
    case 'step':
      await trainer.stepOnce(message.phase);
      return;
    case 'reset':
      await trainer.reset(message.experiment);
      return;
    case 'live':
      trainer.setLive(message.live);
      return;
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((error: unknown) => {
    post({ type: 'notice', level: 'error', message: errorMessage(error) });
  });
};
