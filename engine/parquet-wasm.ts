/**
 * parquet-wasm, loaded on first use: its Node build is CommonJS and instantiates its WebAssembly
 * synchronously (~50 ms), so only what reads or writes Parquet pays for it.
 */
import { createRequire } from 'node:module';

export type ParquetWasm = typeof import('parquet-wasm');

let parquet: ParquetWasm | undefined;

export function parquetWasm(): ParquetWasm {
  return (parquet ??= createRequire(import.meta.url)('parquet-wasm') as ParquetWasm);
}
