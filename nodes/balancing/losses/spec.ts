/**
 * How a batch's per-example losses ℓ_i combine into the loss that is differentiated:
 * Σ_i c_i ℓ_i. A loss is a small stateful object (gDRO keeps its q) built from a JSON spec.
 */
export interface LossSpec {
  readonly kind: string;
  readonly usesAttributes: boolean;
  readonly eta?: number;
}

export interface BatchWeighting {
  /**
   * Fill `coef[0..batch)` with the c_i of this batch and return the batch loss Σ c_i ℓ_i.
   * `groups[i]` is example i's group id.
   */
  coefficients(losses: Float64Array, groups: Int32Array, batch: number, coef: Float64Array): number;
  /** internal state worth recording (gDRO's q) */
  state(): readonly number[] | undefined;
}

export type LossFactory = (spec: LossSpec, nGroups: number) => BatchWeighting;
