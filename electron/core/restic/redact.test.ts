import { describe, expect, it } from 'vitest';
import { makeRedactor } from './redact.js';

describe('makeRedactor', () => {
  const redact = makeRedactor(['s3cr3t pass', 'p@ss:w/rd', 'x1']);
  it('masks secrets raw, URL-encoded and JSON-escaped', () => {
    expect(redact('password s3cr3t pass here')).toBe('password *** here');
    expect(redact('rest:https://u:p%40ss%3Aw%2Frd@host/x')).not.toContain('p%40ss');
    expect(redact('{"v":"p@ss:w/rd"}')).toBe('{"v":"***"}');
  });
  it('masks URL user-info even when the secret is unknown', () => {
    expect(redact('Head "https://bob:hunter2@localhost:8000/repo/config": refused')).toBe('Head "https://***:***@localhost:8000/repo/config": refused');
    expect(redact('rest:http://alice:***@127.0.0.1:1/x/')).toBe('rest:http://***:***@127.0.0.1:1/x/');
  });
  it('never masks values too short to tell apart from words', () => {
    // Was: short values masked as whole words ("value *** set"), which shredded ordinary lines.
    expect(redact('value x1 set; max1x1 untouched')).toBe('value x1 set; max1x1 untouched');
    expect(makeRedactor(['12345'])('backup 12345 files')).toBe('backup 12345 files');
  });
  it('masks only the exact value, never inside a longer word', () => {
    const r = makeRedactor(['Kx93mPq2']);
    expect(r('password=Kx93mPq2 ok')).toBe('password=*** ok');
    expect(r('"Kx93mPq2"')).toBe('"***"');
    expect(r('AKx93mPq2B stays')).toBe('AKx93mPq2B stays');
  });
  it("does not mask ordinary words of Cofre's messages, even when a secret equals one", () => {
    const r = makeRedactor(['errada', 'senha-do-servidor-7Q'], { ordinaryWords: new Set(['errada', 'repositório']) });
    expect(r('A senha do repositório está errada.')).toBe('A senha do repositório está errada.');
    expect(r('RESTIC_REST_PASSWORD=senha-do-servidor-7Q')).toBe('RESTIC_REST_PASSWORD=***');
    // Without the word list the same value is a secret like any other.
    expect(makeRedactor(['errada'])('está errada.')).toBe('está ***.');
  });
  it('leaves text without secrets alone', () => {
    expect(redact('Fatal: wrong password or no key found')).toBe('Fatal: wrong password or no key found');
    expect(makeRedactor([])('a b')).toBe('a b');
  });
});
