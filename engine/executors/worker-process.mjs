// A worker process of the process pool: register the TypeScript loader, enter worker mode (a
// `run()` that importing user code reaches starts nothing), then serve tasks over IPC.
import '../preload.mjs';
import { register } from 'tsx/esm/api';

register();
const { enterWorkerMode } = await import('../registry/worker-mode.ts');
enterWorkerMode();
const { serveTasks } = await import('./process-worker.ts');
serveTasks();
