// Handlers of the contract's "history & snapshots" section.
import type { CatalogPort, Handlers, History } from './ports.js';

export interface HistoryHandlerDeps {
  history: Pick<History, 'list'>;
  catalog: Pick<CatalogPort, 'list'>;
}

export function historyHandlers(deps: HistoryHandlerDeps): Pick<Handlers, 'listHistory' | 'listSnapshots'> {
  return {
    async listHistory(input) {
      // The contract's shape: the owning process id is the store's own bookkeeping, and paging is by offset.
      const page = deps.history.list(input);
      return { items: page.items.map(({ pid: _pid, ...operation }) => operation), total: page.total };
    },

    async listSnapshots(input, session) {
      return deps.catalog.list(session, input);
    },
  };
}
