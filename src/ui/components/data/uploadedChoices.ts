import type { DatasetSummary } from '../../../io/records';

const PREFIX = 'uploaded:';

/** Select options for uploaded data sets, keyed "uploaded:<id>" beside the built-in sets. */
export function uploadedOptions(
  datasets: readonly DatasetSummary[],
  current: string | null,
): [string, string][] {
  const options: [string, string][] = datasets.map((d) => [
    `${PREFIX}${d.id}`,
    `${d.name} (uploaded, ${d.count} images)`,
  ]);
  if (current && !datasets.some((d) => d.id === current)) {
    options.push([`${PREFIX}${current}`, 'An uploaded set not in this browser']);
  }
  return options;
}

export const uploadedKey = (datasetId: string | null) => `${PREFIX}${datasetId}`;

/** The data set id a choice names, or null for a built-in set. */
export const uploadedId = (choice: string) =>
  choice.startsWith(PREFIX) ? choice.slice(PREFIX.length) : null;
