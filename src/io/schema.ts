/**
 * Settings that arrive from outside (a bundle's manifest, a share link) are checked against
 * the families' own schemas, which their field tables generate: the ranges a file or link may
 * carry are the ranges the settings form allows, written once.
 */
import type { z } from 'zod';
import { type ExperimentConfig, experimentSchema, familyFor } from '../families';

/** The first problem zod found, as one sentence naming the field. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** An experiment config from outside, or a description of its first problem. */
export function checkExperiment(
  raw: unknown,
): { config: ExperimentConfig; problem: null } | { config: null; problem: string } {
  const result = experimentSchema.safeParse(raw);
  if (!result.success) return { config: null, problem: describeIssue(result.error) };
  const config = result.data as ExperimentConfig;
  const problem =
    familyFor(config).refine?.(config.model as unknown as Record<string, unknown>) ?? null;
  if (problem) return { config: null, problem: `model.${problem}` };
  return { config, problem: null };
}

export function parseExperiment(raw: unknown): ExperimentConfig {
  const { config, problem } = checkExperiment(raw);
  if (!config) throw new Error(`Invalid settings (${problem})`);
  return config;
}
