import { BackendUnavailable } from './backends.ts';


// placeholder until this backend lands
export async function load(): Promise<never> {
  throw new BackendUnavailable('linalg-native', 'not built yet');
}
