// The one object the UI talks to. Two implementations (Electron bridge, HTTP + SSE) satisfy it;
// screens never know which one is behind it.
import type { ApiEvent, ApiInput, ApiMethod, ApiOutput } from '../../../electron/core/api.js';
import type { ErrorPayload } from '../../../electron/core/errors.js';

/** `unauthorized`: the agent no longer accepts this page's token (`cofre serve` restarted with a new one). */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

export interface DesktopCapabilities {
  pickFolder?: () => Promise<string | null>;
  openPath?: (path: string) => Promise<void>;
}

export interface Client {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** 'connected' fires again after every reconnection, so caches can refresh what they missed. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  desktop?: DesktopCapabilities;
}

/** A failed call: carries the agent's translated payload, never a stack trace. */
export class ApiError extends Error {
  readonly payload: ErrorPayload;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.payload = payload;
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return typeof value === 'object' && value !== null && typeof (value as ErrorPayload).code === 'string' && typeof (value as ErrorPayload).message === 'string';
}

/** Turns an ApiResult-like body into a value or an ApiError; anything else is a protocol error. */
export function unwrapResult<T>(body: unknown, fallback: () => ErrorPayload): T {
  if (typeof body === 'object' && body !== null && 'ok' in body) {
    const result = body as { ok: boolean; value?: unknown; error?: unknown };
    if (result.ok === true) return result.value as T;
    if (isErrorPayload(result.error)) throw new ApiError(result.error);
  }
  throw new ApiError(fallback());
}
