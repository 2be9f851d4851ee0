/**
 * The TypeScript door to the addon: the CommonJS loader through createRequire (so it works from
 * ESM, tsx and vitest alike) with its declared types.
 */
import { createRequire } from 'node:module';
import type * as NativeModule from './index.cjs';

export type * from './index.cjs';

export const native = createRequire(import.meta.url)('./index.cjs') as typeof NativeModule;
