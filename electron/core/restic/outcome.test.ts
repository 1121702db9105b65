import { describe, expect, it } from 'vitest';
import { backupOutcome } from './engine.js';
import { sourceMissingWarning } from './error.js';

describe('backupOutcome: the same situation reads the same on every restic version', () => {
  it('a missing source folder is source-missing whether restic exits 0 (0.14/0.18) or 3 (0.19)', () => {
    expect(backupOutcome(0, 0, 1)).toBe('source-missing');
    expect(backupOutcome(3, 0, 1)).toBe('source-missing');
  });
  it('unreadable files stay partial, also together with a missing folder', () => {
    expect(backupOutcome(3, 2, 0)).toBe('partial');
    expect(backupOutcome(3, 1, 1)).toBe('partial');
    expect(backupOutcome(3, 0, 0)).toBe('partial');
  });
  it('nothing skipped is success', () => {
    expect(backupOutcome(0, 0, 0)).toBe('success');
  });
});

describe('sourceMissingWarning', () => {
  it('names the missing folders in plain words, with an action that fits', () => {
    const one = sourceMissingWarning(['/srv/setor']).toPayload('pt-BR');
    expect(one.cause).toBe('source-missing');
    expect(one.message).toBe('A pasta /srv/setor não existe mais neste computador; o restante foi salvo.');
    expect(one.action).not.toMatch(/feche|programas/i);
    const two = sourceMissingWarning(['D:\\Compras', 'D:\\RH']).toPayload('en');
    expect(two.message).toBe('The folders D:\\Compras, D:\\RH no longer exist on this computer; everything else was saved.');
    expect(two.action).toMatch(/plan/);
  });
});

describe('every failure cause can be told to a person', () => {
  it('has a message and an action in both languages, and the new causes say the right thing', async () => {
    const { failureCauses, CofreError } = await import('../errors.js');
    const { hasMessage, t } = await import('../i18n/index.js');
    for (const cause of failureCauses) {
      expect(hasMessage(`cause.${cause}`), cause).toBe(true);
      expect(hasMessage(`cause.${cause}.action`), cause).toBe(true);
      const payload = CofreError.fromCause(cause).toPayload('pt-BR');
      expect(payload.action, cause).toBeTruthy();
    }
    expect(t('cause.auth-missing', undefined, 'en')).toBe('The backup server asks for a user name and password, and none is configured.');
    expect(t('cause.source-missing', undefined, 'pt-BR')).toMatch(/não existe mais neste computador/);
    expect(t('cause.source-missing.action', undefined, 'pt-BR')).not.toMatch(/feche/i);
  });
});
