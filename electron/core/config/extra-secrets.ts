// Secrets outside the repositories: hook credentials and the multihost private key / pairing
// secrets. They move into the SecretStore like repository passwords, but unlike those they have
// no stable owner id (hooks are a list), so the config keeps a reference in place of the value:
//   "token": "cofre-secret:hook/3f9a0c1b2d4e/token"
// The reference survives reordering and editing of the hook; resolving it gives the hook runner
// the real value, a `--include-secrets` export writes the value back, a plain export writes no
// value at all. Secret slots:
// - actionGotify.token, actionTelegram.botToken;
// - the whole URL of actionDiscord / actionSlack / actionHealthchecks (the token is the path) and
//   actionShoutrrr (its URL carries the service credentials);
// - actionWebhook.webhookUrl and actionGotify.baseUrl when they carry user-info, a query string or a
//   fragment, also when typed without their scheme (urlCarriesCredentials);
// - sync.identity.ed25519priv (Backrest 1.9/1.10 kept their ECDSA PEM in the same field);
// - every string field of sync.pairingTokens[] whose name says secret or token.
import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store.js';
import { isSecretRef, secretRefPrefix, type Config, type Hook } from './backrest-schema.js';

export { isSecretRef, secretRefPrefix };

const hookPrefix = 'hook/';
const multihostPrefix = 'multihost/';
export const identityKey = `${multihostPrefix}identity/ed25519priv`;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);


const refKey = (ref: string) => ref.slice(secretRefPrefix.length);

/**
 * Whether a URL text carries a credential: user-info (`user:pass@`), a query string (`?token=`)
 * or a fragment. Read from the text itself, not only through `new URL`: a URL typed without its
 * scheme (`user:pass@ntfy.example.org/topic`) parses as scheme `user:` and would slip through.
 */
export function urlCarriesCredentials(value: string): boolean {
  const text = value.trim();
  if (text === '') return false;
  const rest = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  if (authority.includes('@')) return true;
  return /[?#]./.test(rest);
}

interface Slot {
  holder: Json;
  field: string;
  /** Prefix of the secret-store key for a value found here. */
  keyBase: string;
  /** What a plain export does with it: clear the value, or drop the owning entry. */
  onStrip: 'clear' | 'drop-identity' | 'drop-pairing-token';
}

const alwaysSecret: Record<string, string[]> = {
  actionGotify: ['token'],
  actionTelegram: ['botToken'],
  actionDiscord: ['webhookUrl'],
  actionSlack: ['webhookUrl'],
  actionHealthchecks: ['webhookUrl'],
  actionShoutrrr: ['shoutrrrUrl'],
};
const secretWhenCredentials: Record<string, string[]> = {
  actionWebhook: ['webhookUrl'],
  actionGotify: ['baseUrl'],
};

function hookSlots(hook: Json): Slot[] {
  const slots: Slot[] = [];
  for (const [action, value] of Object.entries(hook)) {
    if (!isObject(value)) continue;
    for (const field of alwaysSecret[action] ?? []) slots.push({ holder: value, field, keyBase: `${action}.${field}`, onStrip: 'clear' });
    for (const field of secretWhenCredentials[action] ?? []) {
      const current = value[field];
      if (isSecretRef(current) || (typeof current === 'string' && urlCarriesCredentials(current))) slots.push({ holder: value, field, keyBase: `${action}.${field}`, onStrip: 'clear' });
    }
  }
  return slots;
}

/** Every place of `config` (mutable, normally a clone) that holds or may hold an extra secret. */
function slotsOf(config: Config): Slot[] {
  const slots: Slot[] = [];
  for (const owner of [...config.repos, ...config.plans]) for (const hook of owner.hooks ?? []) slots.push(...hookSlots(hook as Json));
  const sync = config['sync'];
  if (isObject(sync)) {
    if (isObject(sync.identity)) slots.push({ holder: sync.identity, field: 'ed25519priv', keyBase: 'identity', onStrip: 'drop-identity' });
    if (Array.isArray(sync.pairingTokens)) {
      for (const token of sync.pairingTokens) {
        if (!isObject(token)) continue;
        for (const [field, value] of Object.entries(token)) {
          if (typeof value === 'string' && /secret|token/i.test(field)) slots.push({ holder: token, field, keyBase: `pairing.${field}`, onStrip: 'drop-pairing-token' });
        }
      }
    }
  }
  return slots;
}

const newId = () => randomBytes(6).toString('hex');

function keyFor(slot: Slot): string {
  if (slot.onStrip === 'drop-identity') return identityKey;
  if (slot.onStrip === 'drop-pairing-token') return `${multihostPrefix}pairing/${newId()}/${slot.field}`;
  return `${hookPrefix}${newId()}/${slot.keyBase}`;
}

/** Pure apart from fresh key ids: the config with references in place of values, and the values by key. */
export function splitExtraSecrets(config: Config): { config: Config; secrets: Record<string, string> } {
  const clean = structuredClone(config);
  const secrets: Record<string, string> = {};
  for (const slot of slotsOf(clean)) {
    const value = slot.holder[slot.field];
    if (typeof value !== 'string' || value === '' || isSecretRef(value)) continue;
    const key = keyFor(slot);
    secrets[key] = value;
    slot.holder[slot.field] = `${secretRefPrefix}${key}`;
  }
  return { config: clean, secrets };
}

export function hasExtraSecrets(config: Config): boolean {
  return slotsOf(structuredClone(config)).some((slot) => {
    const value = slot.holder[slot.field];
    return typeof value === 'string' && value !== '' && !isSecretRef(value);
  });
}

/** Secret-store keys the config refers to. */
export function referencedExtraKeys(config: Config): Set<string> {
  const keys = new Set<string>();
  for (const slot of slotsOf(structuredClone(config))) {
    const value = slot.holder[slot.field];
    if (isSecretRef(value)) keys.add(refKey(value));
  }
  return keys;
}

/** True for keys this module owns (so the store can forget them when nothing refers to them). */
export function isExtraSecretKey(key: string): boolean {
  return key.startsWith(hookPrefix) || key.startsWith(multihostPrefix);
}

/** The config with every reference replaced by its stored value (for an export with secrets). */
export async function restoreExtraSecrets(config: Config, secrets: SecretStore): Promise<Config> {
  const full = structuredClone(config);
  for (const slot of slotsOf(full)) {
    const value = slot.holder[slot.field];
    if (isSecretRef(value)) slot.holder[slot.field] = (await secrets.get(refKey(value))) ?? '';
  }
  return full;
}

/**
 * The config without any extra secret (plain export): hook secrets become empty (protojson's
 * "absent"), the multihost identity is left out (Backrest generates a new one when it has none)
 * and pairing tokens, useless without their secret, are left out.
 */
export function stripExtraSecrets(config: Config): Config {
  const clean = structuredClone(config);
  let dropIdentity = false;
  const dropTokens = new Set<Json>();
  for (const slot of slotsOf(clean)) {
    const value = slot.holder[slot.field];
    if (typeof value !== 'string' || value === '') continue;
    if (slot.onStrip === 'clear') slot.holder[slot.field] = '';
    else if (slot.onStrip === 'drop-identity') dropIdentity = true;
    else dropTokens.add(slot.holder);
  }
  const sync = clean['sync'];
  if (isObject(sync)) {
    if (dropIdentity) delete sync.identity;
    if (Array.isArray(sync.pairingTokens) && dropTokens.size > 0) sync.pairingTokens = sync.pairingTokens.filter((t) => !dropTokens.has(t as Json));
  }
  return clean;
}

/** For faces: plain values (e.g. from the machine policy) are emptied, references stay as they are. */
export function redactExtraSecrets(config: Config): Config {
  const clean = structuredClone(config);
  for (const slot of slotsOf(clean)) {
    const value = slot.holder[slot.field];
    if (typeof value === 'string' && value !== '' && !isSecretRef(value)) slot.holder[slot.field] = '';
  }
  return clean;
}

/** The hooks with their real secrets, for the hook runner. A reference to a missing value becomes empty. */
export async function resolveHookSecrets(hooks: readonly Hook[], secrets: SecretStore): Promise<Hook[]> {
  const resolved: Hook[] = [];
  for (const hook of hooks) {
    const copy = structuredClone(hook);
    for (const slot of hookSlots(copy as Json)) {
      const value = slot.holder[slot.field];
      if (isSecretRef(value)) slot.holder[slot.field] = (await secrets.get(refKey(value))) ?? '';
    }
    resolved.push(copy);
  }
  return resolved;
}
