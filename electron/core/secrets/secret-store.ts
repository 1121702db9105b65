// Secrets (repository passwords, secret env values) live behind this small interface so the
// core never cares where they are kept: a 0600 file when headless, Electron safeStorage (DPAPI,
// Keychain, libsecret) in the tray app, memory in tests. config.json never holds them.
//
// Key convention, all scoped by repository id so renaming or deleting a repo is one prefix:
//   repo/<repoId>/password        the restic repository password (Backrest `repo.password`)
//   repo/<repoId>/env/<NAME>      the value of a secret env entry (Backrest `repo.env` "NAME=value")
//   hook/<id>/<action>.<field>    a hook credential (Gotify token, Telegram bot token, a webhook URL
//                                 with its token); config.json keeps `cofre-secret:<key>` in its place
//   multihost/identity/ed25519priv  the multihost private key (Backrest `sync.identity`)
//   multihost/pairing/<id>/<field>  a pairing token secret (Backrest `sync.pairingTokens[]`)
// (config/extra-secrets.ts owns the hook/ and multihost/ keys.)
// REST credentials follow restic's own convention: the user name stays in config as the env entry
// RESTIC_REST_USERNAME=<user>, the password is the secret env value RESTIC_REST_PASSWORD.

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

const repoPrefix = (repoId: string) => `repo/${repoId}/`;

export function repoPasswordKey(repoId: string): string {
  return `${repoPrefix(repoId)}password`;
}

export function repoEnvKey(repoId: string, name: string): string {
  return `${repoPrefix(repoId)}env/${name}`;
}

/** Names of the secret env values stored for a repository, e.g. ['AWS_SECRET_ACCESS_KEY']. */
export async function repoSecretEnvNames(secrets: SecretStore, repoId: string): Promise<string[]> {
  const prefix = `${repoPrefix(repoId)}env/`;
  return (await secrets.keys()).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)).sort();
}

/** Forgets every secret of a repository (used when the repository is removed from the config). */
export async function deleteRepoSecrets(secrets: SecretStore, repoId: string): Promise<void> {
  const prefix = repoPrefix(repoId);
  for (const key of await secrets.keys()) {
    if (key.startsWith(prefix)) await secrets.delete(key);
  }
}

/** Secret stores for tests and for drafts that must not touch disk. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(initial)) this.values.set(key, value);
  }

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async keys(): Promise<string[]> {
    return [...this.values.keys()].sort();
  }
}
