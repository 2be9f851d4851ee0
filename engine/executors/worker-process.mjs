// A worker process of the process pool: register the TypeScript loader, enter worker mode (a
// `run()` that importing user code reaches starts nothing), then serve tasks over IPC.
import '../preload.mjs';
import { registerTypeScript } from '../ts-loader/register.mjs';

// In a development checkout `import … from 'featureflow'` means the sources, as in the bin;
// scripts/build-dist.mjs sets this to false in dist/'s copy.
const FROM_SOURCES = true;
// installed, the engine is JavaScript: loaded before the hooks (with featureflow/core, which the
// user's node modules import), it never crosses to their thread
if (!FROM_SOURCES) await Promise.all([import('../registry/worker-mode.ts'), import('./process-worker.ts'), import('../../core.ts')]);
registerTypeScript({ sourceExports: FROM_SOURCES });
const { enterWorkerMode } = await import('../registry/worker-mode.ts');
enterWorkerMode();
const { serveTasks } = await import('./process-worker.ts');
serveTasks();
