// Human output of `cofre config import-backrest` and `cofre config undo-import`: the preview of
// what an import does (or did), with correct plurals, and never a secret value.
import type { ApiOutput } from '../core/api.js';
import { formatDateTime, t, type Locale, type MessageKey, type MessageParams } from '../core/i18n/index.js';

type Preview = ApiOutput<'previewImport'>;

function plural(base: string, count: number, locale: Locale, params: MessageParams = {}): string {
  return t(`${base}.${count === 1 ? 'one' : 'other'}` as MessageKey, { count, ...params }, locale);
}

function secretNames(names: string[], locale: Locale): string {
  return names.map((n) => (n === 'password' ? t('import.secretName.password', undefined, locale) : n)).join(', ');
}

function section(lines: string[], base: string, items: string[], locale: Locale): void {
  if (items.length === 0) return;
  lines.push(`  ${plural(base, items.length, locale)}:`);
  for (const item of items) lines.push(`    - ${item}`);
}

export function renderImportPreview(preview: Preview, locale: Locale): string {
  const lines = [t(preview.mode === 'replace' ? 'import.title.replace' : 'import.title.merge', undefined, locale)];
  const repoDetail = (r: { id: string; fields: string[]; secrets: string[] }) => {
    const parts = [];
    if (r.fields.length > 0) parts.push(t('import.changedFields', { fields: r.fields.join(', ') }, locale));
    if (r.secrets.length > 0) parts.push(t('import.newSecrets', { names: secretNames(r.secrets, locale) }, locale));
    return parts.length > 0 ? `${r.id} (${parts.join('; ')})` : r.id;
  };
  section(lines, 'import.repos.added', preview.repos.added.map((r) => r.id), locale);
  section(lines, 'import.repos.updated', preview.repos.updated.map(repoDetail), locale);
  section(lines, 'import.repos.removed', preview.repos.removed.map((r) =>
    r.secrets.length > 0 ? `${r.id} (${plural('import.savedSecrets', r.secrets.length, locale, { names: secretNames(r.secrets, locale) })})` : r.id), locale);
  section(lines, 'import.repos.unchanged', preview.repos.unchanged, locale);
  section(lines, 'import.repos.untouched', preview.repos.untouched, locale);
  section(lines, 'import.plans.added', preview.plans.added, locale);
  section(lines, 'import.plans.updated', preview.plans.updated.map((p) => `${p.id} (${t('import.changedFields', { fields: p.fields.join(', ') }, locale)})`), locale);
  section(lines, 'import.plans.removed', preview.plans.removed, locale);
  section(lines, 'import.plans.unchanged', preview.plans.unchanged, locale);
  section(lines, 'import.plans.untouched', preview.plans.untouched, locale);
  if (nothingChanges(preview)) lines.push(`  ${t('import.nothing', undefined, locale)}`);
  lines.push(`  ${instanceLine(preview, locale)}`);
  if (preview.settings.length > 0) lines.push(`  ${t('import.settings', { names: preview.settings.join(', ') }, locale)}`);
  if (preview.secretsFromFile > 0) lines.push(`  ${plural('import.secretsFromFile', preview.secretsFromFile, locale)}`);
  return lines.join('\n');
}

export function nothingChanges(preview: Preview): boolean {
  const { repos, plans } = preview;
  return repos.added.length + repos.updated.length + repos.removed.length + plans.added.length + plans.updated.length + plans.removed.length === 0
    && !preview.instance.changes && preview.settings.length === 0;
}

export function instanceLine(preview: Preview, locale: Locale): string {
  const { current, file, changes } = preview.instance;
  if (!changes) return t(current === file ? 'import.instance.same' : 'import.instance.kept', { current, file }, locale);
  return t(preview.fresh ? 'import.instance.adopted' : 'import.instance.taken', { current, file }, locale);
}

/** "1 repositório adicionado, 2 planos adicionados" (what an import did), or "nada mudou". */
export function importSummary(preview: Preview, locale: Locale): string {
  const parts: string[] = [];
  const add = (base: string, count: number) => {
    if (count > 0) parts.push(plural(base, count, locale));
  };
  add('import.done.reposAdded', preview.repos.added.length);
  add('import.done.reposUpdated', preview.repos.updated.length);
  add('import.done.reposRemoved', preview.repos.removed.length);
  add('import.done.plansAdded', preview.plans.added.length);
  add('import.done.plansUpdated', preview.plans.updated.length);
  add('import.done.plansRemoved', preview.plans.removed.length);
  return parts.length > 0 ? parts.join(', ') : t('import.done.nothing', undefined, locale);
}

export function renderImportResult(result: ApiOutput<'importBackrest'>, locale: Locale): string {
  const { preview } = result;
  const lines = [t(preview.mode === 'replace' ? 'import.done.replace' : 'import.done.merge', { summary: importSummary(preview, locale) }, locale)];
  if (preview.mode === 'merge' && (preview.repos.untouched.length > 0 || preview.plans.untouched.length > 0)) lines.push(t('import.done.kept', undefined, locale));
  if (preview.instance.changes) lines.push(t('import.done.instance', { instance: result.instance }, locale));
  if (preview.secretsFromFile > 0) lines.push(plural('import.done.secrets', preview.secretsFromFile, locale));
  if (result.undoAvailable) lines.push(t('import.done.undoHint', undefined, locale));
  return lines.join('\n');
}

export function renderUndone(result: ApiOutput<'undoImport'>, locale: Locale): string {
  return t('import.undone', { when: formatDateTime(result.takenAt, locale) }, locale);
}
