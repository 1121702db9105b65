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
  it('masks short secrets only as whole words, so logs stay readable', () => {
    expect(redact('value x1 set; max1x1 untouched')).toBe('value *** set; max1x1 untouched');
  });
  it('leaves text without secrets alone', () => {
    expect(redact('Fatal: wrong password or no key found')).toBe('Fatal: wrong password or no key found');
    expect(makeRedactor([])('a b')).toBe('a b');
  });
});
