import { describe, expect, it } from 'vitest';
import { catalogDomains } from './catalog.js';
import { formatBytes, formatRelative, matchLocale, t } from './index.js';

describe('i18n', () => {
  it('has the same keys in Portuguese and English in every domain', () => {
    for (const domain of catalogDomains) {
      expect(Object.keys(domain['pt-BR']).sort()).toEqual(Object.keys(domain.en).sort());
      for (const value of Object.values(domain["pt-BR"]) as string[]) expect(value.trim()).not.toBe('');
    }
  });

  it('keeps the same placeholders in both languages', () => {
    for (const domain of catalogDomains) {
      for (const [key, en] of Object.entries(domain.en)) {
        const pt = (domain['pt-BR'] as Record<string, string>)[key] ?? '';
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(pt), key).toEqual(names(en as string));
      }
    }
  });

  it('speaks Portuguese by default and English on request', () => {
    expect(t('cause.wrong-password')).toBe('A senha do repositório está errada.');
    expect(t('cause.wrong-password', undefined, 'en')).toBe('The repository password is wrong.');
    expect(t('error.notFound', { what: 'x' }, 'en')).toBe('Not found: x');
  });

  it('formats sizes and relative times in the locale', () => {
    expect(formatBytes(1536, 'en')).toMatch(/1\.5\s?kB/);
    expect(formatBytes(1536, 'pt-BR')).toMatch(/1,5\s?kB/);
    const now = new Date('2026-11-27T12:00:00Z');
    expect(formatRelative(new Date('2026-11-27T10:00:00Z'), now, 'pt-BR')).toBe('há 2 horas');
    expect(formatRelative(new Date('2026-11-27T10:00:00Z'), now, 'en')).toBe('2 hours ago');
    expect(matchLocale('en_US.UTF-8')).toBe('en');
    expect(matchLocale(undefined)).toBe('pt-BR');
  });
});
