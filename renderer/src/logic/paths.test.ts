import { describe, expect, it } from 'vitest';
import { folderAndAncestors, groupByMonth, middleEllipsis } from './paths.js';

describe('folderAndAncestors', () => {
  it('lists the folder, then each parent up to the root', () => {
    expect(folderAndAncestors('/home/ana/Documentos/Ofícios')).toEqual(['/home/ana/Documentos/Ofícios', '/home/ana/Documentos', '/home/ana', '/home', '/']);
  });
});

describe('groupByMonth', () => {
  it('groups 88 backups into their months, newest first', () => {
    const start = new Date(2026, 10, 30, 12).getTime();
    const items = Array.from({ length: 88 }, (_, i) => ({ time: new Date(start - i * 26 * 3600_000).toISOString() }));
    const groups = groupByMonth(items);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    expect(groups.length).toBeLessThanOrEqual(5);
    expect(groups.reduce((n, g) => n + g.items.length, 0)).toBe(88);
    expect(groups[0]!.month).toBe('2026-11');
    expect(groups[0]!.items[0]!.time).toBe(items[0]!.time);
  });
});

describe('middleEllipsis', () => {
  const a = '/home/ana/Documentos/Prefeitura/Secretaria de Obras/2025/Ofícios';
  const b = '/home/ana/Documentos/Prefeitura/Secretaria de Obras/2026/Ofícios';
  it('keeps short paths whole', () => {
    expect(middleEllipsis('/home/ana', 40)).toBe('/home/ana');
  });
  it('cuts the middle, never the end, and keeps where two paths differ', () => {
    const shortA = middleEllipsis(a, 40, [a, b]);
    const shortB = middleEllipsis(b, 40, [a, b]);
    expect(shortA.length).toBeLessThanOrEqual(40);
    expect(shortA).toContain('2025/Ofícios');
    expect(shortB).toContain('2026/Ofícios');
    expect(shortA).not.toBe(shortB);
    expect(shortA).toContain('…');
    expect(shortA.startsWith('/home')).toBe(true);
  });
  it('keeps the last folder when nothing else fits', () => {
    expect(middleEllipsis('/a/b/c/d/e/f/g/h/Uma pasta com nome bem comprido', 20).endsWith('comprido')).toBe(true);
    expect(middleEllipsis('/a/b/c/d/e/f/g/h/Uma pasta com nome bem comprido', 20).length).toBeLessThanOrEqual(20);
  });
});

describe('middleEllipsis on one long path', () => {
  it('keeps the start and the last folders, cutting whole folders in the middle', () => {
    const out = middleEllipsis('/tmp/cofre-test-e2e-TrN4Ff/home/maria/Documentos/Ofícios', 34);
    expect(out).toBe('/tmp/…/maria/Documentos/Ofícios');
  });
});
