// Every count-bearing message, rendered with 0, 1 and 2 in both languages: the number agrees with
// its noun ("1 anual", "2 anuais", "1 repositório"), never "1 anuais" / "1 repositórios".
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';
import { countOf, formatBytes, formatPast, locales, tPlural, type Locale } from './index.js';

const pluralForms = /\.(zero|one|two|few|many|other)$/;

/** Plural nouns and adjectives that must never follow a bare number outside a plural family. */
const pluralWords = [
  'repositórios', 'planos', 'segredos', 'arquivos', 'itens', 'backups', 'snapshots', 'ajustes', 'segundos', 'minutos', 'horas', 'dias',
  'operações', 'diários', 'semanais', 'mensais', 'anuais', 'versões', 'pastas', 'senhas',
  'repositories', 'plans', 'secrets', 'files', 'items', 'settings', 'seconds', 'minutes', 'hours', 'days', 'operations', 'versions', 'folders', 'passwords',
];
const numberThenPlural = new RegExp(`\\{\\w+\\}\\s+(${pluralWords.join('|')})\\b`, 'u');

/**
 * Messages where a bare number precedes a plural word on purpose, each with why it cannot be "1 …":
 * the schedule has its own messages for 1 ("Every hour", "Once a day", "Every minute").
 */
const onlyForTwoOrMore = new Set([
  'schedule.describe.everyMinutes', 'schedule.describe.everyHours', 'schedule.describe.everyHoursAtMinute', 'schedule.describe.everyDays',
]);

const hasOne = (key: string) => `${key.replace(pluralForms, '')}.one` in catalog.en;

function families(): string[] {
  const bases = new Set<string>();
  // A family is a base with a `.one` form (`config.type.other` alone is the word "other", not a plural).
  for (const key of Object.keys(catalog.en)) if (key.endsWith('.one')) bases.add(key.slice(0, -'.one'.length));
  return [...bases].sort();
}

/** Fills every placeholder but {count} with a neutral value, so the sentence renders completely. */
function otherParams(template: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name] of template.matchAll(/\{(\w+)\}/g)) if (name !== 'count') params[name!] = 'X';
  return params;
}

describe('plurals', () => {
  it('no message outside a plural family puts a bare number before a plural word', () => {
    const offenders: string[] = [];
    for (const locale of locales) {
      for (const [key, template] of Object.entries(catalog[locale])) {
        if ((pluralForms.test(key) && hasOne(key)) || onlyForTwoOrMore.has(key)) continue;
        if (numberThenPlural.test(template)) offenders.push(`${locale} ${key}: ${template}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every family has .one and .other in both languages, and the .one form never says a plural word after its number', () => {
    for (const base of families()) {
      for (const locale of locales) {
        const messages = catalog[locale] as Record<string, string>;
        expect(messages[`${base}.one`], `${locale} ${base}.one`).toBeTruthy();
        expect(messages[`${base}.other`], `${locale} ${base}.other`).toBeTruthy();
        expect(messages[`${base}.one`], `${locale} ${base}.one`).not.toMatch(numberThenPlural);
      }
    }
  });

  it.each(locales)('renders every count-bearing message with 0, 1 and 2 in %s by the Intl plural rules', (locale: Locale) => {
    const rules = new Intl.PluralRules(locale);
    const bases = families();
    expect(bases.length).toBeGreaterThan(30);
    for (const base of bases) {
      for (const count of [0, 1, 2]) {
        const form = rules.select(count);
        const template = (catalog[locale] as Record<string, string>)[`${base}.${form}`] ?? (catalog[locale] as Record<string, string>)[`${base}.other`]!;
        const text = tPlural(base, count, otherParams(template), locale);
        expect(text, `${locale} ${base} ${count}`).not.toMatch(/\{count\}/);
        if (template.includes('{count}')) expect(text, `${locale} ${base} ${count}`).toContain(String(count));
        // The singular form is chosen exactly when the language says so (pt: 0 and 1; en: 1 only).
        const one = (catalog[locale] as Record<string, string>)[`${base}.one`]!;
        const other = (catalog[locale] as Record<string, string>)[`${base}.other`]!;
        if (one !== other) expect(text === tPlural(base, count, otherParams(one), locale) && form === 'one' ? 'one' : form, `${locale} ${base} ${count}`).toBe(form);
      }
    }
  });

  it('the examples of the issue read right', () => {
    expect(tPlural('agent.retentionPart.yearly', 1, {}, 'pt-BR')).toBe('1 anual');
    expect(tPlural('agent.retentionPart.yearly', 2, {}, 'pt-BR')).toBe('2 anuais');
    expect(tPlural('agent.retentionLastN', 1, {}, 'pt-BR')).toBe('Manter o último backup');
    expect(countOf('repositories', 1, 'pt-BR')).toBe('1 repositório');
    expect(countOf('plans', 2, 'pt-BR')).toBe('2 planos');
    expect(countOf('repositories', 1, 'en')).toBe('1 repository');
    expect(tPlural('ui.history.count', 1, {}, 'en')).toBe('1 operation');
    expect(tPlural('ui.history.count', 0, {}, 'en')).toBe('0 operations');
    expect(formatBytes(0, 'en')).toBe('0 bytes');
  });
});

describe('past times', () => {
  const now = new Date('2026-11-27T14:30:00');
  it('are never in the future: a server clock ahead of this window reads "agora há pouco"', () => {
    expect(formatPast(new Date(now.getTime() + 13_000), now, 'pt-BR')).toBe('agora há pouco');
    expect(formatPast(new Date(now.getTime() + 13_000), now, 'en')).toBe('just now');
    expect(formatPast(new Date(now.getTime() + 10 * 60_000), now, 'pt-BR')).toBe('agora há pouco');
    expect(formatPast(new Date(now.getTime() - 20_000), now, 'pt-BR')).toBe('agora há pouco');
    expect(formatPast(new Date(now.getTime() - 15 * 60_000), now, 'pt-BR')).toBe('há 15 minutos');
    expect(formatPast(new Date(now.getTime() - 2 * 3_600_000), now, 'en')).toBe('2 hours ago');
  });
});
