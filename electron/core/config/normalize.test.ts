import { describe, expect, it } from 'vitest';
import { normalizeBackrestJson } from './normalize.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into arbitrary json
const norm = (json: unknown) => normalizeBackrestJson(json).json as Record<string, any>;
const repo = (fields: Record<string, unknown>) => ({ version: 6, instance: 'x', repos: [{ id: 'r', uri: '/r', ...fields }] });
const plan = (fields: Record<string, unknown>) => ({ version: 6, instance: 'x', plans: [{ id: 'p', repo: 'r', ...fields }] });

describe('normalizeBackrestJson (what protojson accepts, in canonical form)', () => {
  it('treats null as absent, at every level', () => {
    const out = norm({ ...repo({ commandPrefix: null, checkPolicy: { schedule: null, structureOnly: true } }), auth: null, plans: [{ id: 'p', retention: null }] });
    expect(out).not.toHaveProperty('auth');
    expect(out.repos[0]).not.toHaveProperty('commandPrefix');
    expect(out.repos[0].checkPolicy).toEqual({ structureOnly: true });
    expect(out.plans[0]).toEqual({ id: 'p' });
    expect(normalizeBackrestJson({ auth: null }).notes).toEqual([{ kind: 'null', path: 'auth' }]);
  });

  it('renames proto field names to json names, message by message', () => {
    const out = norm({
      version: 6,
      instance: 'x',
      repos: [{ id: 'r', prune_policy: { max_unused_percent: 5, schedule: { maxFrequencyDays: 1 } }, check_policy: { read_data_subset_percent: 2 }, auto_unlock: true, auto_initialize: true, command_prefix: { io_nice: 'IO_IDLE' } }],
      plans: [{ id: 'p', skip_if_unchanged: true, backup_flags: ['--x'], retention: { policy_time_bucketed: { keep_last_n: 2 } }, hooks: [{ on_error: 'ON_ERROR_FATAL', action_webhook: { webhook_url: 'https://h' } }] }],
      auth: { users: [{ name: 'a', password_bcrypt: 'h' }] },
      multihost: { identity: { keyid: 'ed25519.k' }, known_hosts: [{ instance_id: 'h', keyid: 'k', keyid_verified: true, instance_url: 'https://h' }], authorized_clients: [] },
    });
    expect(out.repos[0]).toEqual({ id: 'r', prunePolicy: { maxUnusedPercent: 5, schedule: { maxFrequencyDays: 1 } }, checkPolicy: { readDataSubsetPercent: 2 }, autoUnlock: true, autoInitialize: true, commandPrefix: { ioNice: 'IO_IDLE' } });
    expect(out.plans[0]).toEqual({ id: 'p', skipIfUnchanged: true, backup_flags: ['--x'], retention: { policyTimeBucketed: { keepLastN: 2 } }, hooks: [{ onError: 'ON_ERROR_FATAL', actionWebhook: { webhookUrl: 'https://h' } }] });
    expect(out.auth).toEqual({ users: [{ name: 'a', passwordBcrypt: 'h' }] });
    expect(out.sync).toEqual({ identity: { keyId: 'ed25519.k' }, knownHosts: [{ instanceId: 'h', keyId: 'k', keyIdVerified: true, instanceUrl: 'https://h' }], authorizedClients: [] });
    expect(out).not.toHaveProperty('multihost');
  });

  it('keeps the json name when both spellings are present (protojson refuses duplicates; the json name wins here)', () => {
    expect(norm(repo({ autoUnlock: true, auto_unlock: false })).repos[0]).toMatchObject({ autoUnlock: true, auto_unlock: false });
  });

  it('maps enum numbers to names with config.proto numbering', () => {
    const out = norm({
      ...repo({ commandPrefix: { ioNice: 1, cpuNice: 2 }, hooks: [{ conditions: [1, 7, 101, 202, 302], onError: 103, actionWebhook: { webhookUrl: 'https://h', method: 2 } }] }),
      plans: [{ id: 'p', schedule: { cron: '0 1 * * *', clock: 3 } }],
      sync: { knownHosts: [{ permissions: [{ type: 2 }] }] },
    });
    expect(out.repos[0].commandPrefix).toEqual({ ioNice: 'IO_BEST_EFFORT_LOW', cpuNice: 'CPU_LOW' });
    expect(out.repos[0].hooks[0]).toEqual({
      conditions: ['CONDITION_ANY_ERROR', 'CONDITION_SNAPSHOT_SKIPPED', 'CONDITION_PRUNE_ERROR', 'CONDITION_CHECK_SUCCESS', 'CONDITION_FORGET_SUCCESS'],
      onError: 'ON_ERROR_RETRY_EXPONENTIAL_BACKOFF',
      actionWebhook: { webhookUrl: 'https://h', method: 'POST' },
    });
    expect(out.plans[0].schedule).toEqual({ cron: '0 1 * * *', clock: 'CLOCK_LAST_RUN_TIME' });
    expect(out.sync.knownHosts[0].permissions[0].type).toBe('PERMISSION_READ_CONFIG');
    // An unknown number is left for the schema to report.
    expect(norm(plan({ schedule: { clock: 9 } })).plans[0].schedule.clock).toBe(9);
  });

  it('reads int32 and double values given as strings', () => {
    const out = norm({
      modno: '12',
      version: '4',
      instance: 'x',
      repos: [{ id: 'r', prunePolicy: { maxUnusedPercent: '12.5', maxUnusedBytes: '1024' }, checkPolicy: { readDataSubsetPercent: '5' } }],
      plans: [{ id: 'p', schedule: { maxFrequencyDays: '7' }, retention: { policyKeepLastN: '30' } }, { id: 'q', retention: { policyTimeBucketed: { daily: '7', weekly: ' 4 ' } } }],
    });
    expect(out).toMatchObject({ modno: 12, version: 4 });
    // int64 stays a string: that is its canonical protojson form.
    expect(out.repos[0].prunePolicy).toEqual({ maxUnusedPercent: 12.5, maxUnusedBytes: '1024' });
    expect(out.repos[0].checkPolicy).toEqual({ readDataSubsetPercent: 5 });
    expect(out.plans[0]).toMatchObject({ schedule: { maxFrequencyDays: 7 }, retention: { policyKeepLastN: 30 } });
    expect(out.plans[1].retention.policyTimeBucketed).toEqual({ daily: 7, weekly: 4 });
    expect(norm(plan({ schedule: { maxFrequencyDays: 'seven' } })).plans[0].schedule.maxFrequencyDays).toBe('seven');
  });

  it('treats an empty guid as no guid, and keeps an empty instance and unknown fields as they are', () => {
    const out = norm({ version: 6, instance: '', repos: [{ id: 'r', guid: '', futureField: { a: null } }], fromNewerBackrest: [null] });
    expect(out.repos[0]).toEqual({ id: 'r', futureField: { a: null } });
    expect(out.instance).toBe('');
    expect(out.fromNewerBackrest).toEqual([null]);
  });

  it('does not touch its input', () => {
    const input = repo({ prune_policy: null, guid: '' });
    const copy = structuredClone(input);
    normalizeBackrestJson(input);
    expect(input).toEqual(copy);
  });
});
