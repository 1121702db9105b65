import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseBackrestFile } from './backrest-io.js';
import { applyMigration006, contentBackrest110Lacks, contentNeedingVersion6, fillMissingGuids, guidFromRepoId, migrateTo, requiredVersion, upgradeOldVersion, versionForSave } from './migrate.js';
import { parseConfig } from './validate.js';

const v4 = (over: Record<string, unknown> = {}) => parseConfig({ version: 4, instance: 'pc', repos: [{ id: 'r', uri: '/r', guid: 'a'.repeat(64) }], ...over });

describe('Backrest config versions', () => {
  it('migration 004: hex sha256 of the repo id, only where there is neither guid nor autoInitialize', () => {
    expect(guidFromRepoId('financeiro')).toBe(createHash('sha256').update('financeiro').digest('hex'));
    const json = { repos: [{ id: 'a' }, { id: 'b', guid: '' }, { id: 'c', autoInitialize: true }, { id: 'd', guid: 'f'.repeat(64) }] };
    expect(fillMissingGuids(json)).toEqual(['a', 'b']);
    expect(json.repos.map((r) => (r as { guid?: string }).guid)).toEqual([guidFromRepoId('a'), guidFromRepoId('b'), undefined, 'f'.repeat(64)]);
  });

  it('regression: a version-3 file (Backrest <= 1.7, still loaded by 1.14) is read as Backrest does, not refused: 004 runs, version 4 is kept', () => {
    const file = { version: 3, instance: 'nas', repos: [{ id: 'nas', uri: 'rclone:x:y', password: 'p', prunePolicy: { schedule: { maxFrequencyDays: 30, clock: 'CLOCK_LOCAL' } } }], plans: [] };
    const parsed = parseBackrestFile(JSON.stringify(file), 'en');
    expect(parsed).toMatchObject({ sourceVersion: 4, upgradedFrom: 3 });
    expect(parsed.config.repos[0]?.guid).toBe(guidFromRepoId('nas'));
    // 003 is not run on a version-3 file: its clock stays.
    expect(parsed.config.repos[0]?.prunePolicy?.schedule?.clock).toBe('CLOCK_LOCAL');
  });

  it('migration 003 on a version-2 file: prune and check schedules of repos with a prune policy count from the last run', () => {
    const json = {
      version: 2,
      repos: [
        { id: 'a', prunePolicy: { schedule: { maxFrequencyDays: 7, clock: 'CLOCK_LOCAL' } }, checkPolicy: { schedule: { maxFrequencyDays: 30 } } },
        // Backrest's loop skips a repo without prune policy, check schedule included.
        { id: 'b', checkPolicy: { schedule: { maxFrequencyDays: 30, clock: 'CLOCK_LOCAL' } } },
      ],
    };
    expect(upgradeOldVersion(json)).toBe(2);
    expect(json.version).toBe(4);
    expect(json.repos[0]?.prunePolicy?.schedule.clock).toBe('CLOCK_LAST_RUN_TIME');
    expect(json.repos[0]?.checkPolicy?.schedule.clock).toBe('CLOCK_LAST_RUN_TIME');
    expect(json.repos[1]?.checkPolicy?.schedule.clock).toBe('CLOCK_LOCAL');
    expect(upgradeOldVersion({ version: 4 })).toBeNull();
    expect(upgradeOldVersion({ version: 1 })).toBeNull();
  });

  it('names the content that exists only from Backrest 1.13 (version 6)', () => {
    const config = v4({
      repos: [{ id: 'r', uri: '/r', guid: 'a'.repeat(64), shared: true, originInstanceId: 'srv', forgetPolicy: { schedule: { cron: '@daily' } } }],
      plans: [{ id: 'p', repo: 'r', paths: ['/a'], hooks: [{ conditions: [], actionTelegram: { botToken: 't', chatId: '1' } }] }],
      sync: { pairingTokens: [{ label: 'x' }], authorizedClients: [{ permissions: [{ type: 'PERMISSION_RECEIVE_SHARED_REPOS' }] }] },
    });
    expect(contentNeedingVersion6(config)).toEqual([
      'repos[0].shared', 'repos[0].originInstanceId', 'repos[0].forgetPolicy',
      'sync.pairingTokens', 'sync.authorizedClients[0].permissions[0].type',
    ]);
    expect(contentBackrest110Lacks(config)).toContain('plans[0].hooks[0].actionTelegram');
    expect(requiredVersion(config)).toBe(6);
    // Defaults a 1.13 file carries (false, "", [], absent) need nothing.
    const plain = v4({ repos: [{ id: 'r', uri: '/r', guid: 'a'.repeat(64), shared: false, originInstanceId: '' }], sync: { pairingTokens: [] } });
    expect(contentNeedingVersion6(plain)).toEqual([]);
    expect(requiredVersion(plain)).toBe(4);
    expect(versionForSave(plain)).toBe(plain);
  });

  it('regression: a Telegram hook (Backrest 1.12.1 has them and writes version 4) keeps a version-4 file at 4', () => {
    const config = v4({ plans: [{ id: 'p', repo: 'r', paths: ['/a'], hooks: [{ conditions: [], actionTelegram: { botToken: 't', chatId: '1' } }] }] });
    expect(requiredVersion(config)).toBe(4);
    expect(versionForSave(config)).toBe(config);
    expect(contentBackrest110Lacks(config)).toEqual(['plans[0].hooks[0].actionTelegram']);
  });

  it('migration 006 drops an identity that is not a complete ed25519 one, and nothing else', () => {
    const ecdsa = v4({ sync: { identity: { keyId: 'ecdsa.x', ed25519priv: 'pem', ed25519pub: 'pem' }, knownHosts: [{ instanceId: 'h' }] } });
    expect(applyMigration006(ecdsa)).toMatchObject({ droppedIdentity: true, config: { sync: { knownHosts: [{ instanceId: 'h' }] } } });
    expect(migrateTo(ecdsa, 6).config).toMatchObject({ version: 6, sync: { knownHosts: [{ instanceId: 'h' }] } });
    expect(migrateTo(ecdsa, 6).config['sync']).not.toHaveProperty('identity');
    expect(migrateTo(ecdsa, 5).config['sync']).toHaveProperty('identity');
    const ed = v4({ sync: { identity: { keyId: 'ed25519.x', ed25519priv: 'p', ed25519pub: 'q' } } });
    expect(applyMigration006(ed).droppedIdentity).toBe(false);
    expect(applyMigration006(v4({ sync: { identity: { keyId: 'ed25519.x' } } })).droppedIdentity).toBe(true);
  });
});
