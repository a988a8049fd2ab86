/** The backend of a step's inputs (see backend.ts for what a backend is). */
import type { ModeContext } from '../context/context';
import type { Backend } from './backend';
import { batchBackend } from './batch';
import { stepFunctionsBackend } from './stepfunctions';

export type { Backend, BackendName, RunFacts } from './backend';

/**
 * The backend of the inputs: `target` and `executor`. The local executor and what it needs (the
 * Step Functions interpreter, a schema validator) are loaded only when it is chosen.
 */
export async function backendFor(ctx: ModeContext): Promise<Backend> {
  const { target, executor } = ctx.inputs;
  if (target === 'batch') return batchBackend() as Backend;
  if (executor === 'local') {
    const { localBackend } = await import('./local');
    return localBackend() as Backend;
  }
  return stepFunctionsBackend() as Backend;
}
