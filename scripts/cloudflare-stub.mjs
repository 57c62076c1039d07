/**
 * A Node module hook (`module.register`) for running the Worker bundle outside workerd, as
 * scripts/check-bundle.ts does: the bundle keeps `cloudflare:*` imports external (workerd provides them) and
 * Node has no such scheme (ERR_UNSUPPORTED_ESM_URL_SCHEME). `cloudflare:workers` resolves to the small module
 * below: the base classes a Worker's exported entrypoints extend (our TuningWorkflow extends
 * WorkflowEntrypoint), keeping `ctx` and `env` as workerd's do, and an empty `env`. Enough to load the bundle
 * and answer HTTP requests; nothing here runs a Workflow (check-bundle sends no binding, to the bundle and to
 * the source app alike). Any other `cloudflare:` module is refused by name rather than stubbed silently.
 */
const workers = `
class Entrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }
export class WorkerEntrypoint extends Entrypoint {}
export class WorkflowEntrypoint extends Entrypoint {}
export class DurableObject extends Entrypoint {}
export class RpcTarget {}
export const env = {};
`;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'cloudflare:workers')
    return { url: `data:text/javascript,${encodeURIComponent(workers)}`, shortCircuit: true };
  if (specifier.startsWith('cloudflare:'))
    throw new Error(`${specifier} has no stand-in for Node in scripts/cloudflare-stub.mjs; add one there`);
  return nextResolve(specifier, context);
}
