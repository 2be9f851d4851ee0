/**
 * Input checks shared by the tests. By default every problem is a named error; `nanPolicy`
 * 'propagate' and 'omit' give scipy's behaviour instead (a NaN result with the reason, or the
 * NaNs dropped) for callers who want it.
 */
import { GroupTooSmallError, NonFiniteValueError, TooFewGroupsError, ZeroVarianceError } from './errors.ts';

export type NanPolicy = 'raise' | 'propagate' | 'omit';

export interface TestOptions {
  /** 'raise' (default): named errors; 'propagate': NaN result; 'omit': drop NaN values */
  readonly nanPolicy?: NanPolicy;
}

export type Samples = ReadonlyArray<ArrayLike<number>>;

export type PreparedSamples =
  | { readonly ok: true; readonly groups: Float64Array[] }
  | { readonly ok: false; readonly reason: string };

function isConstant(g: Float64Array): boolean {
  for (let i = 1; i < g.length; i++) if (g[i] !== g[0]) return false;
  return true;
}

/**
 * @param constant which constant groups make the statistic undefined: 'any' (a weight 1/s² is
 *   infinite) or 'all' (Welch's t is defined while one of its two groups varies)
 */
export function prepareSamples(test: string, samples: Samples, options: TestOptions, constant: 'any' | 'all' = 'any'): PreparedSamples {
  const policy = options.nanPolicy ?? 'raise';
  if (samples.length < 2) throw new TooFewGroupsError(test, samples.length);
  const groups: Float64Array[] = [];
  let nanIn: number | undefined;
  for (let gi = 0; gi < samples.length; gi++) {
    const raw = samples[gi]!;
    if (raw.length < 2) throw new GroupTooSmallError(test, gi, raw.length);
    const values: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      const v = Number(raw[i]);
      if (Number.isNaN(v)) {
        if (policy === 'raise') throw new NonFiniteValueError(test, gi, i, v);
        nanIn ??= gi;
        if (policy === 'omit') continue;
      } else if (!Number.isFinite(v)) {
        // scipy refuses infinities whatever the policy
        throw new NonFiniteValueError(test, gi, i, v);
      }
      values.push(v);
    }
    if (policy === 'omit' && values.length < 2) throw new GroupTooSmallError(test, gi, values.length);
    groups.push(Float64Array.from(values));
  }
  if (policy === 'propagate' && nanIn !== undefined) return { ok: false, reason: `group ${nanIn} contains NaN (nanPolicy 'propagate')` };
  const constants = groups.map((g, i) => (isConstant(g) ? i : -1)).filter((i) => i >= 0);
  const undefinedByConstants = constant === 'any' ? constants.length > 0 : constants.length === groups.length;
  if (undefinedByConstants) {
    const gi = constants[0]!;
    if (policy === 'raise') throw new ZeroVarianceError(test, gi, groups[gi]![0]!);
    return { ok: false, reason: `group ${gi} is constant (zero variance)` };
  }
  return { ok: true, groups };
}
