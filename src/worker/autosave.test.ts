import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Trainer } from '../engine/trainer';
import * as runStore from '../io/runStore';
import type { FromWorker } from '../protocol/messages';
import { buildExperiment, TINY_EXPERIMENTS } from '../test/tinyConfigs';
import { Autosave } from './autosave';

const config = TINY_EXPERIMENTS[0]!;

async function setup() {
  const posted: FromWorker[] = [];
  const events = { experiment: () => {}, progress: () => {}, notice: () => {} };
  const trainer = new Trainer(events, buildExperiment);
  const autosave = new Autosave(trainer, (message) => posted.push(message));
  await trainer.reset(config);
  const run = autosave.begin(config, null, 0);
  return { trainer, autosave, posted, run };
}

describe('autosave', () => {
  afterEach(() => vi.restoreAllMocks());

  it('saves the full training state when the run moved on, and only then', async () => {
    const { trainer, autosave, posted, run } = await setup();
    await autosave.maybeSave(true);
    expect(posted).toEqual([]);
    await trainer.stepOnce('both');
    await trainer.stepOnce('both');
    await autosave.maybeSave(false);
    expect(posted).toEqual([]);
    await autosave.maybeSave(true);
    expect(posted).toEqual([
      { type: 'saved', run: expect.objectContaining({ id: run.id, step: 2 }) },
    ]);
    const [listed] = await runStore.listRuns();
    expect(listed).toMatchObject({ id: run.id, step: 2, model: '2D GAN (nonSaturating, ring)' });
    expect(listed!.bytes).toBe((await runStore.loadRunFile(run.id)).byteLength);

    const resumed = new Trainer(
      { experiment: () => {}, progress: () => {}, notice: () => {} },
      buildExperiment,
    );
    const manifest = await resumed.load(await runStore.loadRunFile(run.id));
    expect(manifest.flavour).toBe('full');
    expect(resumed.step).toBe(2);

    await runStore.renameRun(run.id, 'renamed');
    await runStore.deleteRun(run.id);
    expect(await runStore.listRuns()).toEqual([]);
    await Promise.all([trainer.dispose(), resumed.dispose()]);
  });

  it('stops with one message when storage is full, and training goes on', async () => {
    const { trainer, autosave, posted } = await setup();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await trainer.stepOnce('both');
    await autosave.maybeSave(true);
    await trainer.stepOnce('both');
    await autosave.maybeSave(true);
    expect(posted).toEqual([
      {
        type: 'notice',
        level: 'warning',
        message:
          'Browser storage is full, so this run is no longer autosaved. Delete saved runs or export this one to keep it.',
      },
    ]);
    expect(trainer.step).toBe(2);
    await trainer.dispose();
  });
});
