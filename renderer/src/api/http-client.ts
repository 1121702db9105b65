// Client for a browser talking to `cofre serve`: POST /api/<method> with the bearer token, events
// over SSE read with fetch (EventSource cannot send headers), reconnecting with backoff.
import { http, type ApiEvent, type ApiInput, type ApiMethod, type ApiOutput } from '../../../electron/core/api.js';
import { t } from '../../../electron/core/i18n/index.js';
import { ApiError, unwrapResult, type Client, type ConnectionState } from './client.js';
import { SseParser, reconnectDelay } from './sse.js';

export interface HttpClientOptions {
  token: string | null;
  session: string;
  fetch?: typeof fetch;
}

export function createHttpClient(options: HttpClientOptions): Client {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const eventListeners = new Set<(event: ApiEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let started = false;

  const headers = (): Record<string, string> => ({
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    [http.sessionHeader]: options.session,
  });

  const setState = (next: ConnectionState) => {
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  async function streamEvents(): Promise<void> {
    let attempt = 0;
    for (;;) {
      try {
        const response = await doFetch(http.eventsPath, { headers: { ...headers(), accept: 'text/event-stream' }, cache: 'no-store' });
        // A new token means a new agent: reconnecting with the old one can never succeed.
        if (response.status === 401) {
          setState('unauthorized');
          return;
        }
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        attempt = 0;
        setState('connected');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) dispatch(message.data);
        }
      } catch {
        // Network errors are expected while the agent restarts; the state tells the UI.
      }
      setState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
      attempt += 1;
    }
  }

  function dispatch(data: string) {
    let event: ApiEvent;
    try {
      event = JSON.parse(data) as ApiEvent;
    } catch {
      return;
    }
    if (!event || typeof event.type !== 'string') return;
    for (const listener of eventListeners) listener(event);
  }

  function start() {
    if (started) return;
    started = true;
    void streamEvents();
  }

  return {
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      let response: Response;
      try {
        response = await doFetch(`${http.apiPrefix}${method}`, {
          method: 'POST',
          headers: { ...headers(), 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
      } catch (error) {
        throw new ApiError({ code: 'ui.error.agentUnreachable', message: t('ui.error.agentUnreachable'), action: t('ui.error.agentUnreachable.action'), detail: String(error) });
      }
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      if (response.status === 401 && !(body && typeof body === 'object' && 'ok' in body)) {
        setState('unauthorized');
        throw new ApiError({ code: 'ui.error.unauthorized', message: t('ui.error.unauthorized'), action: t('ui.error.unauthorized.action') });
      }
      return unwrapResult<ApiOutput<M>>(body, () => ({
        code: 'ui.error.protocol',
        message: t('ui.error.protocol'),
        detail: `HTTP ${response.status}`,
      }));
    },
    onEvent(listener) {
      eventListeners.add(listener);
      start();
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      start();
      if (state === 'connected') queueMicrotask(() => listener('connected'));
      return () => connectionListeners.delete(listener);
    },
  };
}
