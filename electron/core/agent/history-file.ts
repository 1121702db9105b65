// The history file of this machine's operations, opened once at start. Rows a crashed run left
// "running" become "interrupted"; a file deleted or replaced under a running agent (issue 15: the
// data dir heals) is followed, and the user is told once, so every face sees the same history.
import { HistoryStore } from '../history/store.js';
import { t, type Locale } from '../i18n/index.js';
import type { LogPort, Notify } from './ports.js';

export function openHistory(file: string, deps: { log: Pick<LogPort, 'warn'>; locale: () => Locale; statusChanged: Notify }): HistoryStore {
  const { log } = deps;
  const history: HistoryStore = new HistoryStore(file, {
    onFileReplaced: (what) => {
      log.warn(`history: ${file} was ${what} while Cofre was running; switched to the file now there so every face sees the same history`);
      const at = new Date().toISOString();
      const id = history.record({ type: 'notice', repoId: '', trigger: 'api', status: 'running', startedAt: at });
      history.finish(id, { status: 'warning', endedAt: at, message: t(what === 'deleted' ? 'history.notice.fileDeleted' : 'history.notice.fileReplaced', { file }, deps.locale()) });
      deps.statusChanged();
    },
  });
  const interrupted = history.markInterrupted();
  if (interrupted > 0) log.warn(`history: ${interrupted} operation(s) were interrupted when Cofre stopped unexpectedly`);
  history.prune({ keepDays: 366, keepMax: 100_000 });
  return history;
}
