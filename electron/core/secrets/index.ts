export { MemorySecretStore, deleteRepoSecrets, repoEnvKey, repoPasswordKey, repoSecretEnvNames } from './secret-store.js';
export type { SecretStore } from './secret-store.js';
export { EncryptedSecretStore, FileSecretStore } from './file-secret-store.js';
export type { StringEncryptor } from './file-secret-store.js';
export { adoptPlainSecrets } from './adopt.js';
