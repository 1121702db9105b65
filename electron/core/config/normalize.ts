// What Backrest's loader (protojson.Unmarshal into v1.Config) accepts beyond the canonical form
// Backrest itself writes, rewritten into that canonical form before zod sees it:
// - `null` for any field means "absent";
// - a field may be spelled with its proto name (`prune_policy`) as well as its json_name
//   (`prunePolicy`); `backup_flags` is itself the json_name, and the multihost block's json_name
//   is `sync` (proto name `multihost`);
// - an enum may be given by its number (`"clock": 2`) instead of its name;
// - int32/double values may be JSON strings (`"maxFrequencyDays": "7"`);
// - proto3 scalars at their default: `"guid": ""` is the same as no guid.
// Field names and numbers are those of proto/v1/config.proto and crypto.proto (Backrest
// 1.10.1 - 1.14.1). Unknown keys are kept untouched (newer Backrest fields survive a round trip).
// Pure: returns a new value and a note per rewrite, never touches the input.

export type NormalizeNoteKind = 'null' | 'proto-name' | 'enum-number' | 'number-string' | 'empty-default';

export interface NormalizeNote {
  kind: NormalizeNoteKind;
  /** JSON path after the rewrite, e.g. `repos[0].prunePolicy`. */
  path: string;
}

type Scalar = 'int32' | 'double';

interface FieldDesc {
  /** The proto field name when it differs from the json_name. */
  proto?: string;
  message?: string;
  enum?: string;
  scalar?: Scalar;
  /** Dropped when it holds the proto3 default (empty string). */
  dropEmpty?: boolean;
}

const enums: Record<string, Record<number, string>> = {
  Clock: { 0: 'CLOCK_DEFAULT', 1: 'CLOCK_LOCAL', 2: 'CLOCK_UTC', 3: 'CLOCK_LAST_RUN_TIME' },
  Condition: {
    0: 'CONDITION_UNKNOWN',
    1: 'CONDITION_ANY_ERROR',
    2: 'CONDITION_SNAPSHOT_START',
    3: 'CONDITION_SNAPSHOT_END',
    4: 'CONDITION_SNAPSHOT_ERROR',
    5: 'CONDITION_SNAPSHOT_WARNING',
    6: 'CONDITION_SNAPSHOT_SUCCESS',
    7: 'CONDITION_SNAPSHOT_SKIPPED',
    100: 'CONDITION_PRUNE_START',
    101: 'CONDITION_PRUNE_ERROR',
    102: 'CONDITION_PRUNE_SUCCESS',
    200: 'CONDITION_CHECK_START',
    201: 'CONDITION_CHECK_ERROR',
    202: 'CONDITION_CHECK_SUCCESS',
    300: 'CONDITION_FORGET_START',
    301: 'CONDITION_FORGET_ERROR',
    302: 'CONDITION_FORGET_SUCCESS',
  },
  OnError: { 0: 'ON_ERROR_IGNORE', 1: 'ON_ERROR_CANCEL', 2: 'ON_ERROR_FATAL', 100: 'ON_ERROR_RETRY_1MINUTE', 101: 'ON_ERROR_RETRY_10MINUTES', 103: 'ON_ERROR_RETRY_EXPONENTIAL_BACKOFF' },
  Method: { 0: 'UNKNOWN', 1: 'GET', 2: 'POST' },
  IONiceLevel: { 0: 'IO_DEFAULT', 1: 'IO_BEST_EFFORT_LOW', 2: 'IO_BEST_EFFORT_HIGH', 3: 'IO_IDLE' },
  CPUNiceLevel: { 0: 'CPU_DEFAULT', 1: 'CPU_HIGH', 2: 'CPU_LOW' },
  PermissionType: { 0: 'PERMISSION_UNKNOWN', 1: 'PERMISSION_READ_OPERATIONS', 2: 'PERMISSION_READ_CONFIG', 3: 'PERMISSION_READ_WRITE_CONFIG' },
};

const schedule: FieldDesc = { message: 'Schedule' };
const hooks: FieldDesc = { message: 'Hook' };

const messages: Record<string, Record<string, FieldDesc>> = {
  Config: {
    modno: { scalar: 'int32' },
    version: { scalar: 'int32' },
    repos: { message: 'Repo' },
    plans: { message: 'Plan' },
    auth: { message: 'Auth' },
    sync: { proto: 'multihost', message: 'Multihost' },
  },
  Repo: {
    guid: { dropEmpty: true },
    prunePolicy: { proto: 'prune_policy', message: 'PrunePolicy' },
    checkPolicy: { proto: 'check_policy', message: 'CheckPolicy' },
    forgetPolicy: { proto: 'forget_policy', message: 'ForgetPolicy' },
    hooks,
    autoUnlock: { proto: 'auto_unlock' },
    autoInitialize: { proto: 'auto_initialize' },
    commandPrefix: { proto: 'command_prefix', message: 'CommandPrefix' },
    originInstanceId: { proto: 'origin_instance_id' },
  },
  Plan: {
    schedule,
    retention: { message: 'Retention' },
    hooks,
    skipIfUnchanged: { proto: 'skip_if_unchanged' },
  },
  CommandPrefix: {
    ioNice: { proto: 'io_nice', enum: 'IONiceLevel' },
    cpuNice: { proto: 'cpu_nice', enum: 'CPUNiceLevel' },
  },
  Retention: {
    policyKeepLastN: { proto: 'policy_keep_last_n', scalar: 'int32' },
    policyTimeBucketed: { proto: 'policy_time_bucketed', message: 'TimeBucketed' },
    policyKeepAll: { proto: 'policy_keep_all' },
  },
  TimeBucketed: {
    hourly: { scalar: 'int32' },
    daily: { scalar: 'int32' },
    weekly: { scalar: 'int32' },
    monthly: { scalar: 'int32' },
    yearly: { scalar: 'int32' },
    keepLastN: { proto: 'keep_last_n', scalar: 'int32' },
  },
  PrunePolicy: {
    schedule,
    maxUnusedBytes: { proto: 'max_unused_bytes' },
    maxUnusedPercent: { proto: 'max_unused_percent', scalar: 'double' },
  },
  CheckPolicy: {
    schedule,
    structureOnly: { proto: 'structure_only' },
    readDataSubsetPercent: { proto: 'read_data_subset_percent', scalar: 'double' },
  },
  ForgetPolicy: { schedule, retention: { message: 'Retention' } },
  Schedule: {
    maxFrequencyDays: { scalar: 'int32' },
    maxFrequencyHours: { scalar: 'int32' },
    clock: { enum: 'Clock' },
  },
  Hook: {
    conditions: { enum: 'Condition' },
    onError: { proto: 'on_error', enum: 'OnError' },
    actionCommand: { proto: 'action_command' },
    actionWebhook: { proto: 'action_webhook', message: 'Webhook' },
    actionDiscord: { proto: 'action_discord', message: 'UrlAction' },
    actionGotify: { proto: 'action_gotify', message: 'Gotify' },
    actionSlack: { proto: 'action_slack', message: 'UrlAction' },
    actionShoutrrr: { proto: 'action_shoutrrr', message: 'Shoutrrr' },
    actionHealthchecks: { proto: 'action_healthchecks', message: 'UrlAction' },
    actionTelegram: { proto: 'action_telegram', message: 'Telegram' },
  },
  Webhook: { webhookUrl: { proto: 'webhook_url' }, method: { enum: 'Method' } },
  UrlAction: { webhookUrl: { proto: 'webhook_url' } },
  Gotify: { baseUrl: { proto: 'base_url' }, titleTemplate: { proto: 'title_template' }, priority: { scalar: 'int32' } },
  Shoutrrr: { shoutrrrUrl: { proto: 'shoutrrr_url' } },
  Telegram: { botToken: { proto: 'bot_token' }, chatId: { proto: 'chat_id' } },
  Auth: { users: { message: 'User' } },
  User: { passwordBcrypt: { proto: 'password_bcrypt' } },
  Multihost: {
    identity: { message: 'PrivateKey' },
    knownHosts: { proto: 'known_hosts', message: 'Peer' },
    authorizedClients: { proto: 'authorized_clients', message: 'Peer' },
    pairingTokens: { proto: 'pairing_tokens' },
  },
  Peer: {
    instanceId: { proto: 'instance_id' },
    keyId: { proto: 'keyid', },
    keyIdVerified: { proto: 'keyid_verified' },
    instanceUrl: { proto: 'instance_url' },
    permissions: { message: 'Permission' },
  },
  Permission: { type: { enum: 'PermissionType' } },
  PrivateKey: { keyId: { proto: 'keyid' } },
};

function formatAt(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function convertScalar(value: unknown, scalar: Scalar): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (scalar === 'int32' ? /^-?\d+$/.test(text) : /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return value;
}

function convertEnum(value: unknown, name: string): unknown {
  const table = enums[name];
  if (typeof value === 'number' && table && table[value] !== undefined) return table[value];
  return value;
}

function normalizeValue(value: unknown, field: FieldDesc, path: (string | number)[], notes: NormalizeNote[]): unknown {
  const one = (item: unknown, at: (string | number)[]): unknown => {
    if (field.enum) {
      const out = convertEnum(item, field.enum);
      if (out !== item) notes.push({ kind: 'enum-number', path: formatAt(at) });
      return out;
    }
    if (field.scalar) {
      const out = convertScalar(item, field.scalar);
      if (out !== item) notes.push({ kind: 'number-string', path: formatAt(at) });
      return out;
    }
    if (field.message && isObject(item)) return normalizeMessage(item, field.message, at, notes);
    return item;
  };
  if (Array.isArray(value)) return value.map((item, i) => one(item, [...path, i]));
  return one(value, path);
}

function normalizeMessage(input: Record<string, unknown>, type: string, path: (string | number)[], notes: NormalizeNote[]): Record<string, unknown> {
  const fields = messages[type] ?? {};
  const byProto = new Map<string, string>();
  for (const [json, desc] of Object.entries(fields)) if (desc.proto) byProto.set(desc.proto, json);
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(input)) {
    const alias = byProto.get(rawKey);
    // protojson refuses a field given under both names; keep the json_name's value then.
    const key = alias && !(alias in input) ? alias : rawKey;
    if (key !== rawKey) notes.push({ kind: 'proto-name', path: formatAt([...path, key]) });
    if (value === null) {
      notes.push({ kind: 'null', path: formatAt([...path, key]) });
      continue;
    }
    const desc = fields[key];
    if (desc?.dropEmpty && value === '') {
      notes.push({ kind: 'empty-default', path: formatAt([...path, key]) });
      continue;
    }
    out[key] = desc ? normalizeValue(value, desc, [...path, key], notes) : value;
  }
  return out;
}

/** The config in Backrest's canonical json form, plus what was rewritten. Non-objects pass through. */
export function normalizeBackrestJson(json: unknown): { json: unknown; notes: NormalizeNote[] } {
  if (!isObject(json)) return { json, notes: [] };
  const notes: NormalizeNote[] = [];
  return { json: normalizeMessage(json, 'Config', [], notes), notes };
}
