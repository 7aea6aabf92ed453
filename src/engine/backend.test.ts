import { describe, expect, it } from 'vitest';
import { candidatesFor, selectBackend } from './backend';

describe('backend choice', () => {
  it('prefers webgpu, then webgl, then cpu', () => {
    expect(candidatesFor('auto')).toEqual(['webgpu', 'webgl', 'cpu']);
    expect(candidatesFor('webgl')).toEqual(['webgl', 'cpu']);
    expect(candidatesFor('cpu')).toEqual(['cpu']);
  });

  it('falls back to the CPU in Node and says why each earlier backend failed', async () => {
    const info = await selectBackend('auto');
    expect(info.active).toBe('cpu');
    expect(info.adapter).toBeNull();
    expect(info.fallbacks.map((f) => f.backend)).toEqual(['webgpu', 'webgl']);
    expect(info.fallbacks[0]!.reason).toMatch(/navigator\.gpu/);
  });
});
