// The application frame: header with branding and navigation, then the screen named by the hash.
import { t, type MessageKey } from '../../electron/core/i18n/index.js';
import { ErrorNotice, Spinner } from './components/common.js';
import { useRoute } from './components/route.js';
import { hrefOf, type Route } from './logic/route.js';
import { useStore } from './state/store.js';
import { policyBroken } from './logic/status-model.js';
import { StatusView } from './views/StatusView.js';
import { RestoreView } from './views/RestoreView.js';
import { HistoryView } from './views/HistoryView.js';
import { SettingsView } from './views/SettingsView.js';
import { FirstRunView } from './views/FirstRunView.js';

const navRoutes: Route[] = ['status', 'restore', 'history', 'settings'];

export function App() {
  // Subscribing to the locale re-renders the whole tree when the language changes.
  useStore((s) => s.locale);
  const route = useRoute();
  const appInfo = useStore((s) => s.appInfo);
  const loadError = useStore((s) => s.loadError);
  const connection = useStore((s) => s.connection);
  const refresh = useStore((s) => s.refresh);

  const visible = navRoutes.filter((r) => {
    if (!appInfo) return r === 'status';
    if (r === 'restore') return appInfo.capabilities.restore;
    return true;
  });

  return (
    <div className={`app route-${route}`}>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('ui.skipLink')}</a>
      <header className="app-header">
        <a className="brand" href={hrefOf('status')}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('ui.app.name')}</span>
          {appInfo?.branding.organization ? <span className="brand-org">{appInfo.branding.organization}</span> : null}
        </a>
        <nav className="app-nav" aria-label={t('ui.nav.label')}>
          <ul>
            {visible.map((r) => (
              <li key={r}>
                <a href={hrefOf(r)} aria-current={route === r ? 'page' : undefined}>
                  {t(`ui.nav.${r}` as MessageKey)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {connection === 'reconnecting' ? (
        <div className="connection-lost" role="status">
          {t('ui.connection.reconnecting')}
        </div>
      ) : null}
      {policyBroken(appInfo) ? (
        <div className="notice notice-warning policy-broken" role="status">
          <p className="notice-title">{t('ui.policy.broken')}</p>
          <p className="notice-action">{t('ui.policy.broken.action')}</p>
        </div>
      ) : null}
      <main className="app-main" id="main" tabIndex={-1}>
        {connection === 'unauthorized' ? (
          // The old agent's state (a green "protegidos") must not stay on screen as if it were live.
          <div className="notice notice-error token-changed" role="alert">
            <p className="notice-title">{t('ui.connection.tokenChanged')}</p>
            <p className="notice-action">{t('ui.connection.tokenChanged.action')}</p>
          </div>
        ) : appInfo ? (
          <Screen route={route} />
        ) : loadError ? (
          <ErrorNotice error={loadError} onRetry={() => void refresh()} />
        ) : (
          <div className="loading">
            <Spinner label={t('ui.common.loading')} />
          </div>
        )}
      </main>
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route) {
    case 'restore':
      return <RestoreView />;
    case 'history':
      return <HistoryView />;
    case 'settings':
      return <SettingsView />;
    case 'first-run':
      return <FirstRunView />;
    default:
      return <StatusView />;
  }
}
