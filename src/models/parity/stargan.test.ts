/**
 * Parity of StarGAN v1 with a PyTorch twin of yunjey/stargan's model.py and solver.py
 * (issue 13): G and D forward, D's adv/cls/gp terms, G's adv/cls/rec terms, and one Adam
 * step of each network. Fixture: scripts/reference/make_fixtures.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { domainClassificationLoss, type LabelBlock, StarGan, type StarGanBatch } from '../stargan';
import { STARGAN_DEFAULTS, type StarGanConfig } from '../stargan.config';
import {
  assign,
  compareAfterStep,
  decode,
  type Encoded,
  type EncodedMap,
  lossError,
  maxAbsDiff,
  NOISE_LIMIT,
  readFixture,
  report,
  type StepRecord,
  snapshot,
  variablesOf,
} from './fixture';

interface StarGanFixture {
  readonly config: Partial<StarGanConfig>;
  readonly cDim: number;
  readonly weights: EncodedMap;
  readonly inputs: {
    xReal: Encoded;
    labelOrg: Encoded;
    labelTrg: Encoded;
    alpha: Encoded;
    rafdOneHot: Encoded;
  };
  readonly forward: { G: Encoded; src: Encoded; cls: Encoded; rafdCls: number };
  readonly steps: { D: StepRecord; G: StepRecord };
}

describe('StarGAN matches its PyTorch twin', () => {
  it('forward, D adv/cls/gp, G adv/cls/rec and one Adam step of each network', async () => {
    const fixture = readFixture<StarGanFixture>('stargan');
    const config: StarGanConfig = { ...STARGAN_DEFAULTS, ...fixture.config };
    const { cDim } = fixture;
    const block: LabelBlock = { offset: 0, size: cDim, kind: 'attributes' };
    const labelOrg = decode(fixture.inputs.labelOrg) as tf.Tensor2D;
    const labelTrg = decode(fixture.inputs.labelTrg) as tf.Tensor2D;
    // CelebA mode: c is the attribute vector itself.
    const batch: StarGanBatch = {
      xReal: decode(fixture.inputs.xReal) as tf.Tensor4D,
      cOrg: labelOrg,
      cTrg: labelTrg,
      labelOrg,
      labelTrg,
      block,
    };
    const alpha = decode(fixture.inputs.alpha) as tf.Tensor4D;
    const build = () => new StarGan(config, cDim, cDim, new Rng(1));
    const errors: Record<string, number> = {};

    for (const step of ['forward', 'D', 'G'] as const) {
      const model = build();
      const variables = variablesOf(model.paramsG, model.paramsD);
      if (step === 'forward') {
        expect([...variables.keys()].sort()).toEqual(Object.keys(fixture.weights).sort());
      }
      assign(variables, fixture.weights);
      if (step === 'forward') {
        tf.tidy(() => {
          const { src, cls } = model.D(batch.xReal);
          errors.forwardG = maxAbsDiff(model.G(batch.xReal, batch.cTrg), fixture.forward.G);
          errors.forwardSrc = maxAbsDiff(src, fixture.forward.src);
          errors.forwardCls = maxAbsDiff(cls, fixture.forward.cls);
          // The one-of-N loss (RaFD) on the first three logits, against F.cross_entropy.
          const oneOf: LabelBlock = { offset: 0, size: 3, kind: 'oneOf' };
          const oneHot = decode(fixture.inputs.rafdOneHot) as tf.Tensor2D;
          const rafd = domainClassificationLoss(cls, oneHot, oneOf).dataSync()[0]!;
          errors.rafdCls = Math.abs(rafd - fixture.forward.rafdCls);
        });
      } else {
        const record = fixture.steps[step];
        assign(variables, record.start);
        const before = snapshot(variables);
        const losses = step === 'D' ? model.trainD(batch, alpha) : model.trainG(batch);
        errors[`loss${step}`] = await lossError(losses, record.losses);
        const after = compareAfterStep(variables, before, record.after, {
          trained: (name) => name.startsWith(`${step}/`),
        });
        const lr = step === 'D' ? config.lrD : config.lrG;
        errors[`step${step}/lr`] = after.weights / lr;
        errors[`step${step}Raw/lr`] = after.weightsRaw / lr;
        errors[`noise${step}/lr`] = after.noise / lr;
        errors[`noise${step}Count`] = after.noiseCount;
        errors[`untrained${step}`] = after.untrained;
        tf.dispose([losses, ...before.values()]);
      }
      model.dispose();
    }
    tf.dispose([batch.xReal, labelOrg, labelTrg, alpha]);
    report('stargan', errors);

    for (const key of ['forwardG', 'forwardSrc', 'forwardCls', 'rafdCls', 'lossD', 'lossG']) {
      expect(errors[key], key).toBeLessThan(1e-4);
    }
    expect(errors['stepD/lr']).toBeLessThan(1e-3);
    expect(errors['stepG/lr']).toBeLessThan(1e-3);
    expect(errors['noiseD/lr']).toBeLessThan(NOISE_LIMIT);
    expect(errors['noiseG/lr']).toBeLessThan(NOISE_LIMIT);
    expect(errors.untrainedD).toBe(0);
    expect(errors.untrainedG).toBe(0);
  });
});
