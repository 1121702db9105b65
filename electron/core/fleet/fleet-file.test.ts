import { describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { parseFleetFile } from './fleet-file.js';

const repo = { id: 'fin', department: 'Financeiro', uri: 'rest:https://backup@h/fin/', password: { env: 'FROTA_FIN' } };

function problems(content: unknown): Array<{ path: string; message: string }> {
  try {
    parseFleetFile(JSON.stringify(content), '/etc/cofre/fleet.json', 'pt-BR');
  } catch (error) {
    expect(error).toBeInstanceOf(CofreError);
    return (error as CofreError).fields ?? [];
  }
  throw new Error('expected the fleet file to be refused');
}

describe('fleet file', () => {
  it('takes a minimal file and fills the defaults (working days, São Paulo, 10 snapshots of trend)', () => {
    const fleet = parseFleetFile(JSON.stringify({ version: 1, repositories: [repo] }), 'f');
    expect(fleet.defaults).toMatchObject({ frequency: 'workdays', timezone: 'America/Sao_Paulo', trendLength: 10, dropAlertPercent: 30, overdueAfterMissed: 2 });
  });

  it('refuses a password written in the file, unknown fields, a bad time zone and duplicate ids, naming each field in Portuguese', () => {
    const found = problems({
      version: 1,
      defaults: { timezone: 'Brasil/Batatais', frequency: { everyHours: 0 } },
      repositories: [{ ...repo, password: 'segredo' }, { ...repo, extra: true }],
    });
    const paths = found.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['defaults.timezone', 'defaults.frequency.everyHours', 'repositories[0].password', 'repositories[1].extra']));
    expect(found.find((p) => p.path === 'defaults.timezone')!.message).toContain('fuso horário');
    expect(JSON.stringify(found)).not.toContain('segredo');
    const duplicate = problems({ version: 1, repositories: [repo, { ...repo, department: 'Saúde' }] });
    expect(duplicate).toEqual([{ path: 'repositories[1].id', message: 'outro repositório já tem este id' }]);
  });

  it('says which file is not JSON', () => {
    expect(() => parseFleetFile('{ nope', '/etc/cofre/fleet.json', 'pt-BR')).toThrow(/fleet/);
    try {
      parseFleetFile('{ nope', '/etc/cofre/fleet.json', 'pt-BR');
    } catch (error) {
      expect((error as CofreError).toPayload('pt-BR').message).toBe('O arquivo da frota /etc/cofre/fleet.json não é um JSON válido.');
    }
  });
});
