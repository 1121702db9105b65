import { describe, expect, it } from 'vitest';
import { AgentLog, ordinaryWords } from './log.js';

describe('AgentLog scrub', () => {
  it('masks secrets it was told about in log lines and in later messages', () => {
    const log = new AgentLog({ file: null });
    log.addSecrets(['senha-do-repositorio-9X', 'tokenXYZ123']);
    log.info('env RESTIC_PASSWORD=senha-do-repositorio-9X token tokenXYZ123');
    expect(log.scrub('senha-do-repositorio-9X')).toBe('***');
    return log.tail(5).then((lines) => {
      expect(lines.join('\n')).not.toContain('senha-do-repositorio-9X');
      expect(lines.join('\n')).not.toContain('tokenXYZ123');
    });
  });

  it('does not mask a word of its own messages typed earlier as a REST password', () => {
    // The REST password "errada" used to turn a later, unrelated message into "… está ***.".
    expect(ordinaryWords().has('errada')).toBe(true);
    const log = new AgentLog({ file: null });
    log.addSecrets(['errada', 'abc']);
    expect(log.scrub('A senha do repositório está errada.')).toBe('A senha do repositório está errada.');
    expect(log.scrub('Sem resposta de abc em 20 s')).toBe('Sem resposta de abc em 20 s');
    // In a URL the credentials are masked whatever they are.
    expect(log.scrub('rest:https://maria:errada@servidor/x')).toBe('rest:https://***:***@servidor/x');
  });
});
