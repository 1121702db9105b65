// Human output of `cofre config import-backrest` and `cofre config undo-import`: the preview of
// what an import does (or did), with correct plurals, and never a secret value.
import type { ApiOutput } from '../core/api.js';
import { formatDateTime, t, type Locale } from '../core/i18n/index.js';
import { importSummary, instanceLine, nothingChanges, pluralText, secretNames } from '../core/i18n/import-text.js';

type Preview = ApiOutput<'previewImport'>;
const plural = pluralText;

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
  if (preview.secretsFromFile > 0 && !nothingChanges(preview)) lines.push(`  ${plural('import.secretsFromFile', preview.secretsFromFile, locale)}`);
  lines.push(...diagnosticLines(preview, locale));
  return lines.join('\n');
}

/** What the file gets wrong although it loads, as `config validate` prints it. */
function diagnosticLines(preview: Preview, locale: Locale): string[] {
  const items = preview.diagnostics ?? [];
  if (items.length === 0) return [];
  return [
    `  ${plural('import.diagnostics', items.length, locale)}`,
    ...items.map((d) => `    ${t(d.severity === 'error' ? 'diag.cli.error' : 'diag.cli.warning', undefined, locale)} ${d.message}\n      ${d.action}`),
  ];
}

export function renderImportResult(result: ApiOutput<'importBackrest'>, locale: Locale): string {
  const { preview } = result;
  const lines = [t(preview.mode === 'replace' ? 'import.done.replace' : 'import.done.merge', { summary: importSummary(preview, locale) }, locale)];
  if (preview.mode === 'merge' && (preview.repos.untouched.length > 0 || preview.plans.untouched.length > 0)) lines.push(t('import.done.kept', undefined, locale));
  if (preview.instance.changes) lines.push(t('import.done.instance', { instance: result.instance }, locale));
  if (preview.secretsFromFile > 0) lines.push(plural('import.done.secrets', preview.secretsFromFile, locale));
  lines.push(...diagnosticLines(preview, locale));
  if (result.undoAvailable) lines.push(t('import.done.undoHint', undefined, locale));
  return lines.join('\n');
}

export function renderUndone(result: ApiOutput<'undoImport'>, locale: Locale): string {
  return t('import.undone', { when: formatDateTime(result.takenAt, locale) }, locale);
}
