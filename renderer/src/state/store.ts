// zustand store: a cache of what the agent reports (app info, status, running jobs), fed by the
// client's events and refreshed after every (re)connection. Views read from here and call the
// client for actions; they never keep their own copy of the agent's state.
import { create } from 'zustand';
import type { ApiEvent } from '../../../electron/core/api.js';
import { isLocale, setLocale, type Locale } from '../../../electron/core/i18n/index.js';
import { ApiError, type Client, type ConnectionState } from '../api/client.js';
import { applyEvent, emptyCache, type CacheState } from './cache.js';

export interface Store extends CacheState {
  connection: ConnectionState;
  locale: Locale;
  client: Client | null;
  refresh(): Promise<void>;
  setLanguage(locale: Locale): void;
}

export const useStore = create<Store>()((set, get) => ({
  ...emptyCache,
  connection: 'connecting',
  locale: 'pt-BR',
  client: null,
  async refresh() {
    const client = get().client;
    if (!client) return;
    try {
      const [appInfo, status] = await Promise.all([client.call('getAppInfo', {}), client.call('getStatus', {})]);
      set({ appInfo, status, loadError: null });
      get().setLanguage(appInfo.preferences.language);
    } catch (error) {
      if (error instanceof ApiError) set({ loadError: error.payload });
      else throw error;
    }
  },
  setLanguage(locale) {
    if (!isLocale(locale)) return;
    setLocale(locale);
    document.documentElement.lang = locale;
    if (get().locale !== locale) set({ locale });
  },
}));

/** Wires a client into the store: events update the cache, reconnections reload it. */
export function connectStore(client: Client): () => void {
  useStore.setState({ client });
  const offEvent = client.onEvent((event: ApiEvent) => {
    useStore.setState((state) => applyEvent(state, event));
    if (event.type === 'preferencesChanged') useStore.getState().setLanguage(event.data.language);
    // A config change can flip `configured`, locks or plans: reload the app info too.
    if (event.type === 'configChanged') void useStore.getState().refresh();
  });
  const offConnection = client.onConnection((connection) => {
    useStore.setState({ connection });
    if (connection === 'connected') void useStore.getState().refresh();
  });
  return () => {
    offEvent();
    offConnection();
  };
}

/** The client for actions; the app renders only after connectStore ran. */
export function useClient(): Client {
  const client = useStore((s) => s.client);
  if (!client) throw new Error('client not connected');
  return client;
}
