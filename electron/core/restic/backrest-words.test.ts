import { describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { expandBackrestEnv, expandRepoUri, flagEntriesToArgs, hasFilesFrom, referencedVariables, repoFlagArgs, splitShellWords } from './backrest-words.js';

const words = (input: string): string[] => {
  const result = splitShellWords(input);
  if (!result.ok) throw new Error(result.reason);
  return result.words;
};

describe('splitShellWords (google/shlex rules, as Backrest splits flags)', () => {
  it('splits on blanks', () => {
    expect(words('--limit-upload 4096')).toEqual(['--limit-upload', '4096']);
    expect(words('  --exclude *.csv\t-v ')).toEqual(['--exclude', '*.csv', '-v']);
    expect(words('--one-file-system')).toEqual(['--one-file-system']);
  });
  it('keeps empty and blank entries as no argument at all', () => {
    expect(words('')).toEqual([]);
    expect(words('   ')).toEqual([]);
  });
  it('single quotes keep everything literally', () => {
    expect(words(`--exclude '/home/ana/Meus Documentos/*.tmp'`)).toEqual(['--exclude', '/home/ana/Meus Documentos/*.tmp']);
    expect(words(`'a\\b "c"'`)).toEqual(['a\\b "c"']);
  });
  it('double quotes let a backslash escape any character', () => {
    expect(words(`--exclude "C:\\\\Users\\\\ana\\\\Temp"`)).toEqual(['--exclude', 'C:\\Users\\ana\\Temp']);
    expect(words(`"five \\"six\\""`)).toEqual(['five "six"']);
    expect(words(`"it's"`)).toEqual(["it's"]);
  });
  it('a backslash outside quotes escapes the next character (also a blank)', () => {
    expect(words('--exclude Meus\\ Documentos')).toEqual(['--exclude', 'Meus Documentos']);
  });
  it('quotes join with the surrounding word and an empty quoted word is an argument', () => {
    expect(words(`--tag="a b"c`)).toEqual(['--tag=a bc']);
    expect(words(`--host ""`)).toEqual(['--host', '']);
  });
  it('a # starting a word is a comment up to the end of the line; inside a word it is literal', () => {
    expect(words('--exclude a#b # a comment')).toEqual(['--exclude', 'a#b']);
    expect(words('# all comment\n--verbose')).toEqual(['--verbose']);
  });
  it('reports an unclosed quote or a trailing backslash instead of throwing', () => {
    expect(splitShellWords(`--exclude "abc`)).toEqual({ ok: false, reason: 'unclosed-quote' });
    expect(splitShellWords(`--exclude 'abc`)).toEqual({ ok: false, reason: 'unclosed-quote' });
    expect(splitShellWords('--exclude abc\\')).toEqual({ ok: false, reason: 'trailing-escape' });
  });
});

describe('flagEntriesToArgs', () => {
  it('splits every entry and keeps order', () => {
    expect(flagEntriesToArgs(['--exclude *.csv', '', '--limit-upload=100'], 'plans[p].backup_flags')).toEqual(['--exclude', '*.csv', '--limit-upload=100']);
  });
  it('a malformed entry is a translated config error naming the field', () => {
    let caught: unknown;
    try {
      flagEntriesToArgs(['--ok', '--exclude "x'], 'plans[docs].backup_flags');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CofreError);
    const payload = (caught as CofreError).toPayload('pt-BR');
    expect(payload.cause).toBe('invalid-input');
    expect(payload.message).toContain('plans[docs].backup_flags[1]');
    expect((caught as CofreError).toPayload('en').message).toContain('cannot be read');
  });
});

describe('${VAR} expansion (Backrest ExpandEnv)', () => {
  const env = { NAS: 'nas.local', REPO: 'financeiro', EMPTY: '' };
  it('expands only the braced form; unknown names become empty', () => {
    expect(expandBackrestEnv('rest:https://${NAS}/${REPO}', env)).toBe('rest:https://nas.local/financeiro');
    expect(expandBackrestEnv('$NAS ${NOPE}x', env)).toBe('$NAS x');
    expect(referencedVariables('a ${X} b ${Y-Z}')).toEqual(['X', 'Y-Z']);
  });
  it('repo flags are expanded, then split', () => {
    expect(repoFlagArgs({ id: 'r', flags: ['--limit-upload ${UP}', '-o "rest.connections=${C}"'] }, { UP: '4096', C: '2' })).toEqual([
      '--limit-upload', '4096', '-o', 'rest.connections=2',
    ]);
  });
  it('a URI whose variable is not set fails clearly instead of backing up somewhere else', () => {
    expect(expandRepoUri({ id: 'fin', uri: 'rest:https://${NAS}/${REPO}/' }, env)).toBe('rest:https://nas.local/financeiro/');
    for (const uri of ['rest:https://${NAS}/${MISSING}/', 'rest:https://${NAS}/${EMPTY}/']) {
      let caught: unknown;
      try {
        expandRepoUri({ id: 'fin', uri }, env);
      } catch (error) {
        caught = error;
      }
      expect(caught, uri).toBeInstanceOf(CofreError);
      const message = (caught as CofreError).toPayload('pt-BR').message;
      expect(message).toMatch(/MISSING|EMPTY/);
      expect(message).toContain('fin');
    }
  });
});

describe('hasFilesFrom', () => {
  it('sees every --files-from form', () => {
    expect(hasFilesFrom(['--files-from', '/x'])).toBe(true);
    expect(hasFilesFrom(['--files-from-verbatim=/x'])).toBe(true);
    expect(hasFilesFrom(['--files-from-raw', '/x'])).toBe(true);
    expect(hasFilesFrom(['--exclude', '--files-fromx'])).toBe(false);
  });
});
