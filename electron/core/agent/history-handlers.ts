// Handlers of the contract's "history & snapshots" section.
import type { CatalogPort, Handlers, History } from './ports.js';

export interface HistoryHandlerDeps {
  history: Pick<History, 'list'>;
  catalog: Pick<CatalogPort, 'list'>;
}

export function historyHandlers(deps: HistoryHandlerDeps): Pick<Handlers, 'listHistory' | 'listSnapshots'> {
  return {
    async listHistory(input) {
      return deps.history.list(input);
    },

    async listSnapshots(input, session) {
      return deps.catalog.list(session, input);
    },
  };
}
