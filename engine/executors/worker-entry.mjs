// Worker threads start here: register the TypeScript loader, enter worker mode (a `run()` that
// importing user code reaches starts nothing), then load the real worker.
import '../preload.mjs';
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

// In a development checkout `import … from 'featureflow'` means the sources, as in the bin
// (../source-exports.mjs); scripts/build-dist.mjs sets this to false in dist/'s copy.
const FROM_SOURCES = true;
if (FROM_SOURCES) registerHooks('../source-exports.mjs', import.meta.url);
register();
const { enterWorkerMode } = await import('../registry/worker-mode.ts');
enterWorkerMode();
const worker = await import('./worker.ts');
export default worker.default;
