import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { exportBackrest, importBackrest } from './backrest-io.js';
import { identityKey, isSecretRef, resolveHookSecrets, restoreExtraSecrets, splitExtraSecrets, stripExtraSecrets, urlCarriesCredentials } from './extra-secrets.js';
import { moveSecretsOut, redactConfig } from './repo-secrets.js';
import { ConfigStore } from './store.js';
import { parseConfig } from './validate.js';

const config = parseConfig({
  version: 6,
  instance: 'pc',
  repos: [{
    id: 'r1',
    uri: '/srv/r1',
    hooks: [
      { conditions: ['CONDITION_ANY_ERROR'], actionGotify: { baseUrl: 'https://gotify.example', token: 'gotify-token' } },
      { conditions: ['CONDITION_ANY_ERROR'], actionWebhook: { webhookUrl: 'https://hooks.example/backup', method: 'POST' } },
      { conditions: ['CONDITION_ANY_ERROR'], actionWebhook: { webhookUrl: 'https://hooks.example/backup?key=query-secret' } },
      { conditions: ['CONDITION_ANY_ERROR'], actionWebhook: { webhookUrl: 'https://user:userinfo-secret@hooks.example/b' } },
    ],
  }],
  plans: [{
    id: 'p1',
    repo: 'r1',
    paths: ['/a'],
    hooks: [
      { conditions: ['CONDITION_SNAPSHOT_END'], actionTelegram: { botToken: 'telegram-token', chatId: '42' } },
      { conditions: ['CONDITION_SNAPSHOT_END'], actionSlack: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/slack-secret' } },
      { conditions: ['CONDITION_SNAPSHOT_END'], actionShoutrrr: { shoutrrrUrl: 'ntfy://:shoutrrr-secret@ntfy.sh/topic' } },
    ],
  }],
  sync: {
    identity: { keyId: 'ed25519.k', ed25519priv: 'private-key-pem', ed25519pub: 'public-key-pem' },
    pairingTokens: [{ label: 'ti', secret: 'pairing-secret' }],
    knownHosts: [{ instanceId: 'srv', keyId: 'ed25519.srv' }],
  },
});
const secretValues = ['gotify-token', 'query-secret', 'userinfo-secret', 'telegram-token', 'slack-secret', 'shoutrrr-secret', 'private-key-pem', 'pairing-secret'];

describe('hook and multihost secrets', () => {
  it('moves every hook credential, the private key and pairing secrets out, leaving references', () => {
    const { config: clean, secrets } = splitExtraSecrets(config);
    const text = JSON.stringify(clean);
    for (const secret of secretValues) expect(text).not.toContain(secret);
    expect(Object.values(secrets).sort()).toEqual([
      'https://hooks.example/backup?key=query-secret',
      'https://hooks.slack.com/services/T0/B0/slack-secret',
      'https://user:userinfo-secret@hooks.example/b',
      'gotify-token', 'ntfy://:shoutrrr-secret@ntfy.sh/topic', 'pairing-secret', 'private-key-pem', 'telegram-token',
    ].sort());
    // A plain webhook URL without credentials stays readable; public key material stays.
    expect(clean.repos[0]?.hooks[1]?.actionWebhook?.webhookUrl).toBe('https://hooks.example/backup');
    expect(JSON.stringify(clean)).toContain('public-key-pem');
    expect(secrets[identityKey]).toBe('private-key-pem');
    expect(isSecretRef(clean.plans[0]?.hooks[0]?.actionTelegram?.botToken)).toBe(true);
    // Splitting again moves nothing: references are not secrets.
    expect(splitExtraSecrets(clean).secrets).toEqual({});
  });

  it('restores values for an export with secrets, and gives hooks their real token', async () => {
    const store = new MemorySecretStore();
    const { config: clean } = await moveSecretsOut(config, store);
    expect(await restoreExtraSecrets(clean, store)).toEqual(config);
    const hooks = await resolveHookSecrets(clean.plans[0]!.hooks, store);
    expect(hooks[0]?.actionTelegram?.botToken).toBe('telegram-token');
    // The stored config itself is untouched.
    expect(isSecretRef(clean.plans[0]?.hooks[0]?.actionTelegram?.botToken)).toBe(true);
  });

  it('leaves no value in a plain export: hook secrets empty, identity and pairing tokens out', () => {
    const stripped = stripExtraSecrets(splitExtraSecrets(config).config);
    const text = JSON.stringify(stripped);
    for (const secret of secretValues) expect(text).not.toContain(secret);
    expect(text).not.toContain('cofre-secret:');
    expect(stripped['sync']).toEqual({ pairingTokens: [], knownHosts: [{ instanceId: 'srv', keyId: 'ed25519.srv' }] });
    expect(stripped.repos[0]?.hooks[0]?.actionGotify).toEqual({ baseUrl: 'https://gotify.example', token: '' });
  });

  it('faces see references, never values, and a config saved back from a face keeps its secrets', async () => {
    const store = new MemorySecretStore();
    const { config: clean } = await moveSecretsOut(config, store);
    expect(redactConfig(clean)).toEqual(clean);
    expect(JSON.stringify(redactConfig(config))).not.toMatch(/gotify-token|private-key-pem/);
  });

  it('regression: a no-secrets export no longer carries the Gotify token, Telegram bot token, private key or pairing secret', async () => {
    const store = new MemorySecretStore();
    const { config: imported } = await importBackrest(JSON.stringify(config), store);
    const out = await exportBackrest(imported, store, { includeSecrets: false });
    for (const secret of secretValues) expect(out).not.toContain(secret);
    const full = await exportBackrest(imported, store, { includeSecrets: true });
    for (const secret of secretValues) expect(full).toContain(secret);
  });

  it('regression (issue 15): webhook credentials typed without a scheme or in a fragment are not exported without --include-secrets', async () => {
    const urls = ['bob:schemeless-secret@ntfy.example.org/topic', 'ntfy.example.org/topic?auth=schemeless-query', 'https://ntfy.example.org/t#tok=fragment-secret', ' HTTPS://eve:spaced-secret@h.example/'];
    const withUrls = parseConfig({
      version: 6, instance: 'pc',
      repos: [{ id: 'r1', uri: '/srv/r1', hooks: urls.map((webhookUrl) => ({ conditions: ['CONDITION_ANY_ERROR'], actionWebhook: { webhookUrl, method: 'POST' } })) }],
      plans: [{ id: 'p1', repo: 'r1', paths: ['/a'], hooks: [{ conditions: ['CONDITION_ANY_ERROR'], actionGotify: { baseUrl: 'gotify-user:gotify-basic@gotify.example', token: 't' } }] }],
    });
    const store = new MemorySecretStore();
    const { config: imported } = await importBackrest(JSON.stringify(withUrls), store);
    const plain = await exportBackrest(imported, store, { includeSecrets: false });
    for (const secret of ['schemeless-secret', 'schemeless-query', 'fragment-secret', 'spaced-secret', 'gotify-basic']) {
      expect(plain).not.toContain(secret);
      expect(JSON.stringify(imported)).not.toContain(secret); // not in config.json either
    }
    const full = await exportBackrest(imported, store, { includeSecrets: true });
    for (const url of urls) expect(full).toContain(JSON.stringify(url));
    // A plain URL stays as it is: nothing to hide, and the hook keeps working after import.
    expect(urlCarriesCredentials('https://ntfy.example.org/topic')).toBe(false);
  });

  it('a save never loses them, and forgets those of a removed hook', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-extra-'));
    try {
      const store = new MemorySecretStore();
      const configStore = new ConfigStore({ path: path.join(dir, 'config.json'), secrets: store, locale: 'en' });
      await configStore.load();
      await configStore.update(config, 0);
      const before = (await store.keys()).filter((k) => k.startsWith('hook/'));
      expect(before).toHaveLength(6);
      // Reordering and an unrelated edit keep every secret attached to its hook.
      await configStore.update((c) => {
        c.plans[0]!.hooks.reverse();
        c.plans[0]!.paths.push('/b');
      }, 1);
      const saved = configStore.get();
      expect((await resolveHookSecrets(saved.plans[0]!.hooks, store))[2]?.actionTelegram?.botToken).toBe('telegram-token');
      // Removing the Telegram hook forgets its token, and only it.
      await configStore.update((c) => {
        c.plans[0]!.hooks = c.plans[0]!.hooks.filter((h) => !h.actionTelegram);
      }, 2);
      const after = (await store.keys()).filter((k) => k.startsWith('hook/'));
      expect(after).toHaveLength(5);
      expect(after.some((k) => k.endsWith('actionTelegram.botToken'))).toBe(false);
      const disk = await fs.readFile(path.join(dir, 'config.json'), 'utf8');
      for (const secret of secretValues) expect(disk).not.toContain(secret);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
