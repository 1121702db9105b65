import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyMigration006, contentNeedingVersion6, fillMissingGuids, guidFromRepoId, migrateTo, requiredVersion, versionForSave } from './migrate.js';
import { parseConfig } from './validate.js';

const v4 = (over: Record<string, unknown> = {}) => parseConfig({ version: 4, instance: 'pc', repos: [{ id: 'r', uri: '/r', guid: 'a'.repeat(64) }], ...over });

describe('Backrest config versions', () => {
  it('migration 004: hex sha256 of the repo id, only where there is neither guid nor autoInitialize', () => {
    expect(guidFromRepoId('financeiro')).toBe(createHash('sha256').update('financeiro').digest('hex'));
    const json = { repos: [{ id: 'a' }, { id: 'b', guid: '' }, { id: 'c', autoInitialize: true }, { id: 'd', guid: 'f'.repeat(64) }] };
    expect(fillMissingGuids(json)).toEqual(['a', 'b']);
    expect(json.repos.map((r) => (r as { guid?: string }).guid)).toEqual([guidFromRepoId('a'), guidFromRepoId('b'), undefined, 'f'.repeat(64)]);
  });

  it('names the content that exists only from Backrest 1.13 (version 6)', () => {
    const config = v4({
      repos: [{ id: 'r', uri: '/r', guid: 'a'.repeat(64), shared: true, originInstanceId: 'srv', forgetPolicy: { schedule: { cron: '@daily' } } }],
      plans: [{ id: 'p', repo: 'r', paths: ['/a'], hooks: [{ conditions: [], actionTelegram: { botToken: 't', chatId: '1' } }] }],
      sync: { pairingTokens: [{ label: 'x' }], authorizedClients: [{ permissions: [{ type: 'PERMISSION_RECEIVE_SHARED_REPOS' }] }] },
    });
    expect(contentNeedingVersion6(config)).toEqual([
      'repos[0].shared', 'repos[0].originInstanceId', 'repos[0].forgetPolicy', 'plans[0].hooks[0].actionTelegram',
      'sync.pairingTokens', 'sync.authorizedClients[0].permissions[0].type',
    ]);
    expect(requiredVersion(config)).toBe(6);
    // Defaults a 1.13 file carries (false, "", [], absent) need nothing.
    const plain = v4({ repos: [{ id: 'r', uri: '/r', guid: 'a'.repeat(64), shared: false, originInstanceId: '' }], sync: { pairingTokens: [] } });
    expect(contentNeedingVersion6(plain)).toEqual([]);
    expect(requiredVersion(plain)).toBe(4);
    expect(versionForSave(plain)).toBe(plain);
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
