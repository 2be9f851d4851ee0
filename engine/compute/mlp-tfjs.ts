import { BackendUnavailable } from './backends.ts';

// placeholder until this backend lands
export async function load(flavor: string): Promise<never> {
  throw new BackendUnavailable(flavor, 'not built yet');
}
