// Which frames may call the agent over IPC: only the top frame of our own pages, loaded from
// app://cofre/ (or, in development only, the exact Vite dev-server origin). A page that somehow
// navigated elsewhere, an iframe, or a devtools extension gets nothing. Mirrors GitHub Desktop's
// sender-frame check; the schema validation happens in the core.
import { appHost, appScheme } from './window-options.js';

export interface SenderFrameLike {
  url: string;
  /** `parent` is null for a top-level frame (WebFrameMain.parent). */
  parent: unknown;
}

export interface TrustOptions {
  /** e.g. 'http://localhost:5173' when running unpackaged with the Vite dev server; never when packaged. */
  devServerOrigin?: string | null;
}

export function isTrustedSender(frame: SenderFrameLike | null | undefined, options: TrustOptions = {}): boolean {
  if (!frame || frame.parent !== null) return false;
  return isTrustedUrl(frame.url, options);
}

export function isTrustedUrl(rawUrl: string, options: TrustOptions = {}): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  if (url.protocol === `${appScheme}:`) return url.hostname === appHost && !url.username && !url.password && !url.port;
  if (options.devServerOrigin) {
    const dev = new URL(options.devServerOrigin);
    return (dev.hostname === 'localhost' || dev.hostname === '127.0.0.1') && url.origin === dev.origin;
  }
  return false;
}
