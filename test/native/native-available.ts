/**
 * Whether the native suites run: they skip, saying why, when the addon was not built — unless
 * FEATUREFLOW_REQUIRE_NATIVE=1 (CI), where a missing addon fails instead of skipping.
 */
import { native } from '../../native/load.ts';

export const nativeLoad = native.loadNative();
export const nativeRequired = process.env.FEATUREFLOW_REQUIRE_NATIVE === '1';
export const skipNative = !nativeLoad.ok && !nativeRequired;
export const skipMessage = nativeLoad.ok ? '' : `native addon not built: install libopenblas-dev before npm ci — ${nativeLoad.reason}`;
/** short suite-title suffix; the full reason is in the availability test's title */
export const skipTitle = nativeLoad.ok ? '' : ' (skipped: native addon not built: install libopenblas-dev before npm ci)';

/** the addon, or a failure that names the reason (only reached when FEATUREFLOW_REQUIRE_NATIVE=1) */
export function addon(): import('../../native/load.ts').NativeAddon {
  if (!nativeLoad.ok) throw new Error(`FEATUREFLOW_REQUIRE_NATIVE=1 but ${skipMessage}`);
  return nativeLoad.addon;
}
