/**
 * Named errors of the statistics functions: a caller can tell "not enough groups" from "a group
 * is constant" by class, and every message says which group and what was wrong.
 */
export class StatsInputError extends Error {
  override name = 'StatsInputError';
}

export class TooFewGroupsError extends StatsInputError {
  override name = 'TooFewGroupsError';
  constructor(readonly test: string, readonly groups: number, readonly required = 2) {
    super(`${test}: needs at least ${required} groups, got ${groups}`);
  }
}

export class GroupTooSmallError extends StatsInputError {
  override name = 'GroupTooSmallError';
  constructor(readonly test: string, readonly group: number, readonly size: number) {
    super(`${test}: group ${group} has ${size} value${size === 1 ? '' : 's'}; each group needs at least 2`);
  }
}

export class NonFiniteValueError extends StatsInputError {
  override name = 'NonFiniteValueError';
  constructor(readonly test: string, readonly group: number, readonly index: number, readonly value: number) {
    super(`${test}: group ${group} value ${index} is ${value}; values must be finite (nanPolicy 'propagate' or 'omit' give scipy's handling of NaN)`);
  }
}

export class ZeroVarianceError extends StatsInputError {
  override name = 'ZeroVarianceError';
  constructor(readonly test: string, readonly group: number, readonly value: number) {
    super(`${test}: group ${group} is constant (every value is ${value}), so its variance is zero and the statistic is undefined`);
  }
}
