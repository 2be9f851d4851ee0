/**
 * Deterministic per-class subsampling: the first N images of each label (in source order) for
 * training and the first M of each label from the test source, or — when train and test share a
 * source, as with the 10,000 digits of the `mnist` package — the next M after the training ones.
 */
export interface LabelledSource {
  /** byLabel[c]: source positions of the images of class c, in source order */
  readonly byLabel: readonly (readonly number[])[];
}

export interface SplitSelection {
  /** per class: the chosen source positions */
  readonly positions: readonly (readonly number[])[];
  readonly counts: readonly number[];
}

export function firstPerLabel(source: LabelledSource, perLabel: number, skip = 0): SplitSelection {
  const positions = source.byLabel.map((list) => list.slice(skip, skip + perLabel));
  return { positions, counts: positions.map((p) => p.length) };
}

export function groupByLabel(labels: ArrayLike<number>, classes: number): LabelledSource {
  const byLabel: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) byLabel[labels[i]!]!.push(i);
  return { byLabel };
}
