// Picks the host at start: the Electron preload bridge when present, otherwise HTTP to `cofre serve`.
import type { Client } from './client.js';
import { createBridgeClient } from './bridge-client.js';
import { createHttpClient } from './http-client.js';
import { sessionId, takeToken } from './token.js';

export function selectClient(): Client {
  if (window.cofre) return createBridgeClient(window.cofre);
  const token = takeToken(window.location, window.sessionStorage, (hash) => {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash || '#/status'}`);
  });
  const session = sessionId(window.sessionStorage, randomId);
  return createHttpClient({ token, session });
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
