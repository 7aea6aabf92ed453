/**
 * StarGAN's labels as people read them: the test grid's target columns (the reference's
 * combinations for the toy CelebA attributes, one column per label otherwise) and captions.
 */
import { EXPRESSIONS } from '../../data/faces';
import type { FaceDomain, LabelDomainInfo } from './spec';

/**
 * Test-grid targets for any labels: each member of the one-of-N group in turn, then each
 * other attribute flipped (the toy CelebA set also gets the paper's combinations).
 */
export function labelTargets(
  org: readonly number[],
  info: Pick<LabelDomainInfo, 'labels' | 'group'>,
): { title: string; labels: number[] }[] {
  const group = new Set(info.group);
  const oneHot = info.group.map((member) => ({
    title: info.labels[member]!.replaceAll('_', ' '),
    labels: org.map((v, i) => (group.has(i) ? Number(i === member) : v)),
  }));
  const flips = info.labels.flatMap((name, k) =>
    group.has(k)
      ? []
      : [{ title: name.replaceAll('_', ' '), labels: org.map((v, i) => (i === k ? 1 - v : v)) }],
  );
  return [...oneHot, ...flips];
}

/** The labels that are on, as a short caption. */
export function labelCaption(
  labels: readonly number[],
  info: Pick<LabelDomainInfo, 'labels'>,
): string {
  const on = info.labels.filter((_, i) => labels[i] === 1).map((name) => name.replaceAll('_', ' '));
  return on.length > 0 ? on.join(' · ') : 'none';
}

/**
 * Targets of the reference's test grid for a face with labels `org`: each hair colour set
 * one-hot, Male and Young flipped in turn, then hair + gender, hair + age, gender + age and all
 * three (hair moves to the next colour), as in the paper's multi-attribute figure.
 */
export function attributeTargets(org: readonly number[]): { title: string; labels: number[] }[] {
  const hair = org.slice(0, 3).indexOf(1);
  const withHair = (h: number, labels: number[]) =>
    labels.map((v, i) => (i < 3 ? Number(i === h) : v));
  const flip = (i: number, labels: number[]) => labels.map((v, k) => (k === i ? 1 - v : v));
  const next = (hair + 1) % 3;
  const base = [...org];
  return [
    { title: 'Black hair', labels: withHair(0, base) },
    { title: 'Blond hair', labels: withHair(1, base) },
    { title: 'Brown hair', labels: withHair(2, base) },
    { title: 'Gender', labels: flip(3, base) },
    { title: 'Age', labels: flip(4, base) },
    { title: 'Hair + gender', labels: flip(3, withHair(next, base)) },
    { title: 'Hair + age', labels: flip(4, withHair(next, base)) },
    { title: 'Gender + age', labels: flip(4, flip(3, base)) },
    { title: 'All three', labels: flip(4, flip(3, withHair(next, base))) },
  ];
}

/** A short label line for a face: "Blond · M · young", or the expression. */
export function caption(domain: FaceDomain, labels: readonly number[]): string {
  if (domain === 'rafd') return EXPRESSIONS[labels.indexOf(1)] ?? '?';
  const hair = ['Black', 'Blond', 'Brown'][labels.slice(0, 3).indexOf(1)] ?? '?';
  return `${hair} · ${labels[3] ? 'M' : 'F'} · ${labels[4] ? 'young' : 'old'}`;
}

export function expressionTargets(): { title: string; labels: number[] }[] {
  return EXPRESSIONS.map((title, k) => ({
    title,
    labels: EXPRESSIONS.map((_, j) => Number(j === k)),
  }));
}
