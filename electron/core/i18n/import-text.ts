// Sentences about an import preview, shared by the CLI and the settings screen (renderer-safe:
// i18n and contract types only). Plurals are `.one` / `.other` keys.
import type { ApiOutput } from '../api.js';
import { t, type Locale, type MessageKey, type MessageParams } from './index.js';

export type ImportPreviewData = ApiOutput<'previewImport'>;

export function pluralText(base: string, count: number, locale: Locale, params: MessageParams = {}): string {
  return t(`${base}.${count === 1 ? 'one' : 'other'}` as MessageKey, { count, ...params }, locale);
}

/** `password` (first) is shown as "senha do repositório"; env names as they are. */
export function secretNames(names: string[], locale: Locale): string {
  const ordered = [...names.filter((n) => n === 'password'), ...names.filter((n) => n !== 'password')];
  return ordered.map((n) => (n === 'password' ? t('import.secretName.password', undefined, locale) : n)).join(', ');
}

export function nothingChanges(preview: ImportPreviewData): boolean {
  const { repos, plans } = preview;
  return repos.added.length + repos.updated.length + repos.removed.length + plans.added.length + plans.updated.length + plans.removed.length === 0
    && !preview.instance.changes && preview.settings.length === 0;
}

export function instanceLine(preview: ImportPreviewData, locale: Locale): string {
  const { current, file, changes } = preview.instance;
  if (!changes) return t(current === file ? 'import.instance.same' : 'import.instance.kept', { current, file }, locale);
  return t(preview.fresh ? 'import.instance.adopted' : 'import.instance.taken', { current, file }, locale);
}

/** "1 repositório adicionado, 2 planos adicionados" (what an import did), or "nada mudou". */
export function importSummary(preview: ImportPreviewData, locale: Locale): string {
  const parts: string[] = [];
  const add = (base: string, count: number) => {
    if (count > 0) parts.push(pluralText(base, count, locale));
  };
  add('import.done.reposAdded', preview.repos.added.length);
  add('import.done.reposUpdated', preview.repos.updated.length);
  add('import.done.reposRemoved', preview.repos.removed.length);
  add('import.done.plansAdded', preview.plans.added.length);
  add('import.done.plansUpdated', preview.plans.updated.length);
  add('import.done.plansRemoved', preview.plans.removed.length);
  return parts.length > 0 ? parts.join(', ') : t('import.done.nothing', undefined, locale);
}
