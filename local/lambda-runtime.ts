/**
 * Loads the very handler modules the CDK app bundles and invokes them the way Lambda does. Each function is
 * built through its own composition root, `createHandler(createDeps(env, overrides))`, with the local
 * stack's environment and overrides instead of Lambda's process.env.
 *
 * Every invocation gets its own context (request id, function name, deadline) as in Lambda. The local stack runs all
 * functions concurrently in one process: each edge scopes its invocation's context (shared/adapters/lambda-edge.ts),
 * so every log line names its own function and request id even when invocations overlap.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functions, must, type FunctionId, type FunctionSpec } from '#infra/wiring.ts';
import type { DepsOverrides, Environment } from '#shared/adapters/composition.ts';

export type AnyHandler = (event: never, context: Context) => Promise<unknown>;

const repositoryRoot = join(import.meta.dirname, '..');

/** What every functions/<name>/handler.ts exports besides its Lambda `handler`. */
interface HandlerModule {
  readonly createHandler?: (deps: never) => AnyHandler;
  /** Absent for a function without dependencies. */
  readonly createDeps?: (env: Environment, overrides: DepsOverrides) => unknown;
}

export async function loadHandlers(env: Environment, overrides: DepsOverrides): Promise<Record<FunctionId, AnyHandler>> {
  const loaded = {} as Record<FunctionId, AnyHandler>;
  for (const [id, spec] of Object.entries<FunctionSpec>(functions)) {
    const module = (await import(pathToFileURL(join(repositoryRoot, spec.entry)).href)) as HandlerModule;
    if (typeof module.createHandler !== 'function') throw new Error(`${spec.entry} does not export createHandler`);
    loaded[id] = module.createHandler(module.createDeps?.(env, overrides) as never);
  }
  return loaded;
}

/**
 * The deployed timeout, multiplied by SELLEROPS_LOCAL_LAMBDA_TIMEOUT_FACTOR (default 1). The test suite sets a large
 * factor: on a loaded machine a handler is slow, not wrong, and middy's timeout guard would otherwise turn slowness
 * into a 500.
 */
function timeoutMs(spec: FunctionSpec): number {
  const factor = Number(process.env.SELLEROPS_LOCAL_LAMBDA_TIMEOUT_FACTOR ?? 1);
  return spec.timeoutSeconds * 1000 * (Number.isFinite(factor) && factor >= 1 ? factor : 1);
}

export function lambdaContext(id: FunctionId): Context {
  const spec: FunctionSpec = must(functions, id, 'function');
  const deadline = Date.now() + timeoutMs(spec);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `sellerops-${id}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:sellerops-${id}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/sellerops-${id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the Context type still declares the callbacks of old Node runtimes: present as no-ops
    done: () => undefined,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above
    fail: () => undefined,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above
    succeed: () => undefined,
  };
}

export async function invoke<T>(handlers: Record<FunctionId, AnyHandler>, id: FunctionId, event: unknown): Promise<T> {
  return (await must(handlers, id, 'handler')(event as never, lambdaContext(id))) as T;
}
