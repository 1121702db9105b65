// What a desktop face (the tray) needs from an agent, and the choice between the machine's
// service and an in-process Agent: the tray calls `openDesktopAgent` once and never asks again
// which it got. In service mode the tray's user is whoever the service identified; suspend and
// resume are the service's business (it keeps running while a user's session sleeps or ends).
import { api, isApiMethod, type ApiEvent, type ApiHost, type ApiInput, type ApiMethod, type ApiOutput, type ApiResult, type SessionRef } from '../api.js';
import { CofreError } from '../errors.js';
import type { AgentConnectionKind } from './client.js';
import { ServiceClient, serviceSocketToUse } from './client.js';

export interface DesktopAgent extends ApiHost {
  readonly connection: AgentConnectionKind;
  /** The in-process agent's log; a client of the service has none of its own. */
  readonly log?: { warn(message: string): void };
  call<M extends ApiMethod>(method: M, input: ApiInput<M>, session: SessionRef): Promise<ApiResult<ApiOutput<M>>>;
  call(method: string, input: unknown, session: SessionRef): Promise<ApiResult<unknown>>;
  createSession(): SessionRef;
  onResume(): void;
  onSuspend(): Promise<void>;
  shutdown(timeoutMs: number): Promise<void>;
}

/** The service seen through the desktop surface: the connection is the session. */
export function serviceDesktopAgent(client: ServiceClient): DesktopAgent {
  return {
    connection: 'service',
    call: (method: string, input: unknown) => checkedCall(client, method, input),
    subscribe: (listener: (event: ApiEvent) => void) => client.subscribe(listener),
    createSession: () => ({ id: 'service-connection' }),
    onResume: () => undefined,
    onSuspend: async () => undefined,
    shutdown: async () => client.close(),
  };
}

/**
 * The service when one runs on this machine and accepts this user, else `inProcess()`. A service
 * that exists but refuses (stopped, broken) is not silently replaced when IT asked for one:
 * COFRE_SERVICE=required makes that an error; otherwise the tray keeps working on its own.
 */
export async function openDesktopAgent<A extends Omit<DesktopAgent, 'connection'>>(
  inProcess: () => Promise<A>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DesktopAgent> {
  const socketPath = serviceSocketToUse(env);
  if (socketPath) {
    try {
      return serviceDesktopAgent(await ServiceClient.connect({ socketPath }));
    } catch (error) {
      if (env.COFRE_SERVICE === 'required') throw error;
    }
  }
  const agent = await inProcess();
  return Object.assign(agent, { connection: 'in-process' as const });
}

/**
 * The service's answers arrive over a socket: each value is parsed with its method's output schema
 * (the contract enforced on this side too), so the tray never acts on a shape it did not expect.
 */
async function checkedCall(client: ServiceClient, method: string, input: unknown): Promise<ApiResult<never>> {
  const result = await client.call(method, input);
  if (!result.ok || !isApiMethod(method)) return result as ApiResult<never>;
  const parsed = api[method].output.safeParse(result.value);
  if (parsed.success) return { ok: true, value: parsed.data as never };
  return { ok: false, error: new CofreError('error.internal', { detail: `service answer of ${method} does not match the contract` }).toPayload() };
}
