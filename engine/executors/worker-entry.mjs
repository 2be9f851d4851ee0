// Worker threads start here: register the TypeScript loader, then load the real worker.
import '../preload.mjs';
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
