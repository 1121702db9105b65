// Under the repository editor: what the repository's settings get wrong (environment names
// restic ignores, credentials given twice, unset ${VAR}, flags that cannot be split), as the
// agent's diagnoseConfig finds them for the draft being edited. Re-checked as the draft changes.
import { useEffect, useState } from 'react';
import type { DiagnosticItem } from '../../../electron/core/api.js';
import type { Repo } from '../../../electron/core/config/backrest-schema.js';
import { t } from '../../../electron/core/i18n/index.js';
import { useClient } from '../state/store.js';

const debounceMs = 400;
const listStyle = { display: 'grid', gap: 8 } as const;
const warnStyle = { background: 'var(--warning-soft)', borderColor: '#f0d9a8', color: '#6b4400' } as const;

export function RepoDiagnostics({ repo }: { repo: Repo }) {
  const client = useClient();
  const [items, setItems] = useState<DiagnosticItem[] | null>(null);
  const key = JSON.stringify(repo);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      client
        .call('diagnoseConfig', { repo })
        .then((r) => !cancelled && setItems(r.diagnostics))
        .catch(() => !cancelled && setItems(null));
    }, debounceMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // `key` stands for the draft's content; the object itself changes identity on every render.
  }, [client, key]);

  if (items === null || items.length === 0) return null;
  return (
    <section className="notice" style={warnStyle} aria-label={t('diag.view.title')} data-testid="repo-diagnostics">
      <p className="notice-title">{t('diag.view.title')}</p>
      <ul style={listStyle}>
        {items.map((d, i) => (
          <li key={`${d.code}-${i}`} data-severity={d.severity}>
            <p>{d.message}</p>
            <p className="notice-action">{d.action}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
