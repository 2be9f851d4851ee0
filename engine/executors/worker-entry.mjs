// Worker threads start here: register the TypeScript loader, enter worker mode (a `run()` that
// importing user code reaches starts nothing), then load the real worker.
import '../preload.mjs';
import { register } from 'tsx/esm/api';

register();
const { enterWorkerMode } = await import('../registry/worker-mode.ts');
enterWorkerMode();
const worker = await import('./worker.ts');
export default worker.default;
