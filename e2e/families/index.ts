import type { Page } from '@playwright/test';
import type { ExperimentKind } from '../../src/families';
import { check as cyclegan } from './cyclegan';
import { check as pix2pix } from './pix2pix';
import { check as stackgan } from './stackgan';
import { check as starganv2 } from './starganv2';
import { check as stylegan } from './stylegan';
import { check as unit } from './unit';

/**
 * A family's own end-to-end checks, run by families.spec.ts on the page it opened: the family at
 * its small size on WebGPU, trained at least two steps and paused. Sharing that page means each
 * family builds and compiles its shaders once per run, which on a software GPU is most of the
 * cost.
 */
export type FamilyCheck = (page: Page) => Promise<void>;

export const FAMILY_CHECKS: Partial<Record<ExperimentKind, FamilyCheck>> = {
  pix2pix,
  cyclegan,
  unit,
  starganv2,
  stackgan,
  stylegan,
};
