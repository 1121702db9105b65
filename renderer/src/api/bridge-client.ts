// Client for the Electron renderer: everything goes through the preload's `window.cofre`.
import type { ApiEvent, ApiInput, ApiMethod, ApiOutput, CofreBridge } from '../../../electron/core/api.js';
import { t } from '../../../electron/core/i18n/index.js';
import { unwrapResult, type Client, type ConnectionState, type DesktopCapabilities } from './client.js';

declare global {
  interface Window {
    cofre?: CofreBridge;
  }
}

export function createBridgeClient(bridge: CofreBridge): Client {
  const desktop: DesktopCapabilities = {};
  if (typeof bridge.desktop?.pickFolder === 'function') desktop.pickFolder = () => bridge.desktop!.pickFolder();
  if (typeof bridge.desktop?.openPath === 'function') desktop.openPath = (path) => bridge.desktop!.openPath(path);
  return {
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      const fn = bridge.api[method] as unknown as (input: ApiInput<M>) => Promise<unknown>;
      if (typeof fn !== 'function') return unwrapResult<ApiOutput<M>>(null, () => ({ code: 'ui.error.protocol', message: t('ui.error.protocol') }));
      const result = await fn(input);
      return unwrapResult<ApiOutput<M>>(result, () => ({ code: 'ui.error.protocol', message: t('ui.error.protocol') }));
    },
    onEvent(listener: (event: ApiEvent) => void) {
      return bridge.onEvent(listener);
    },
    onConnection(listener: (state: ConnectionState) => void) {
      // IPC cannot drop like a network connection: the bridge is connected for the window's life.
      queueMicrotask(() => listener('connected'));
      return () => {};
    },
    ...(desktop.pickFolder || desktop.openPath ? { desktop } : {}),
  };
}
