import { describe, expect, it } from 'vitest';
import { capabilitiesFor, parseVersion } from './version.js';

describe('parseVersion', () => {
  it('reads the version line of 0.14 and 0.18', () => {
    expect(parseVersion('restic 0.14.0 compiled with go1.19.8 on linux/amd64\n')).toEqual({ version: '0.14.0', major: 0, minor: 14, patch: 0 });
    expect(parseVersion('restic 0.18.0 compiled with go1.24.4 on linux/amd64').minor).toBe(18);
  });
  it('reads development builds', () => {
    expect(parseVersion('restic 0.17.3-dev (compiled manually) compiled with go1.23').version).toBe('0.17.3');
  });
  it('refuses text that is not restic', () => {
    expect(() => parseVersion('bash: restic: command not found')).toThrow();
  });
});

describe('capabilitiesFor', () => {
  const caps = (v: string) => capabilitiesFor(parseVersion(`restic ${v}`));
  it('0.14 has none of the newer features', () => {
    const c = caps('0.14.0');
    expect([c.restCredentialsEnv, c.restoreJson, c.skipIfUnchanged, c.exitCodes10and11, c.exitCode12, c.fullSnapshotIdInSummary, c.checkJson]).toEqual([
      false, false, false, false, false, false, false,
    ]);
  });
  it('follows the REFERENCE table boundaries', () => {
    expect(caps('0.15.0').fullSnapshotIdInSummary).toBe(true);
    expect(caps('0.16.0').restoreJson).toBe(true);
    expect(caps('0.16.0').restCredentialsEnv).toBe(false);
    expect(caps('0.16.1').restCredentialsEnv).toBe(true);
    expect(caps('0.17.0').exitCodes10and11).toBe(true);
    expect(caps('0.17.0').exitCode12).toBe(false);
    expect(caps('0.17.1').exitCode12).toBe(true);
    expect(caps('0.17.3').checkJson).toBe(false);
    expect(caps('0.18.0').checkJson).toBe(true);
    expect(caps('1.0.0').skipIfUnchanged).toBe(true);
  });
});
