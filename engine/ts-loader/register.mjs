// Registers the TypeScript hooks (hooks.mjs) in this thread's module loader. `sourceExports`: a
// development checkout, where `import … from 'featureflow'` means the TS sources. tsx's own
// register() would also turn on source maps; so does this, so a failing node's stack names the
// line of its .ts file.
import { register } from 'node:module';

// Registered from the compiled package (dist/engine/ts-loader/), its dist/ folder is JavaScript
// that needs no compiler, wherever it lives (under node_modules, or linked there)
const compiledPackage = /\/dist\/engine\/ts-loader\/register\.m?js$/.test(import.meta.url) ? new URL('../../', import.meta.url).href : undefined;

export function registerTypeScript({ sourceExports = false } = {}) {
  process.setSourceMapsEnabled(true);
  register('./hooks.mjs', { parentURL: import.meta.url, data: { sourceExports, compiledPackage } });
}
