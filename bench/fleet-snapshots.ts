// Writes restic snapshot files without a restic process per snapshot, for the fleet benchmark:
// 730,000 snapshots made one `restic backup` at a time would take days here (scrypt and process
// start cost ~0.4 s each). restic's own format, as internal/crypto and internal/repository
// define it:
// - keys/<id> is JSON {kdf:"scrypt", N, r, p, salt, data}; scrypt(password, salt) gives 64 bytes:
//   [0,32) the AES-256 key, [32,48) the MAC's AES-128 key k, [48,64) the Poly1305 r. `data`
//   (sealed with those) is the JSON master key {mac:{k,r}, encrypt}.
// - a sealed file is IV(16) || AES-256-CTR(plaintext) || Poly1305-AES(ciphertext), where the
//   Poly1305 one-time key is r || AES-128_k(IV); the MAC covers the ciphertext only.
// - an unpacked file (snapshot) is named by the sha256 of the sealed bytes; a v2 repository
//   accepts plain JSON (first byte `{`) as well as zstd, so no compression is needed (Node 20 has
//   no zstd: the template snapshots are read with `restic snapshots --json` instead).
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MasterKey {
  encrypt: Buffer;
  macK: Buffer;
  macR: Buffer;
}

const P1305 = (1n << 130n) - 5n;
const CLAMP = 0x0ffffffc0ffffffc0ffffffc0fffffffn;

function littleEndian(bytes: Buffer): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function toLittleEndian16(n: bigint): Buffer {
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i += 1) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** Poly1305-AES as restic computes it (golang.org/x/crypto/poly1305 clamps r itself). */
function poly1305Aes(message: Buffer, nonce: Buffer, key: Pick<MasterKey, 'macK' | 'macR'>): Buffer {
  const aes = createCipheriv('aes-128-ecb', key.macK, null);
  aes.setAutoPadding(false);
  const s = littleEndian(aes.update(nonce));
  const r = littleEndian(key.macR) & CLAMP;
  let h = 0n;
  for (let offset = 0; offset < message.length; offset += 16) {
    const block = message.subarray(offset, Math.min(offset + 16, message.length));
    h = ((h + littleEndian(block) + (1n << BigInt(8 * block.length))) * r) % P1305;
  }
  return toLittleEndian16((h + s) & ((1n << 128n) - 1n));
}

export function seal(key: MasterKey, plaintext: Buffer): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-ctr', key.encrypt, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, poly1305Aes(ciphertext, iv, key)]);
}

export function open(key: MasterKey, sealed: Buffer): Buffer {
  const iv = sealed.subarray(0, 16);
  const ciphertext = sealed.subarray(16, sealed.length - 16);
  const mac = sealed.subarray(sealed.length - 16);
  // A wrong key or a wrong MAC construction must stop the benchmark, not write files restic rejects.
  if (!timingSafeEqual(poly1305Aes(ciphertext, iv, key), mac)) throw new Error('restic ciphertext verification failed');
  const decipher = createDecipheriv('aes-256-ctr', key.encrypt, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

interface KeyFile {
  kdf: string;
  N: number;
  r: number;
  p: number;
  salt: string;
  data: string;
}

/** The repository's master key, from its (first) key file and password, as `restic` derives it. */
export async function readMasterKey(repoDir: string, password: string): Promise<MasterKey> {
  const [name] = await readdir(join(repoDir, 'keys'));
  if (!name) throw new Error(`no key file in ${repoDir}`);
  const file = JSON.parse(await readFile(join(repoDir, 'keys', name), 'utf8')) as KeyFile;
  if (file.kdf !== 'scrypt') throw new Error(`unsupported kdf ${file.kdf}`);
  const derived = scryptSync(password, Buffer.from(file.salt, 'base64'), 64, { N: file.N, r: file.r, p: file.p, maxmem: 256 * file.N * file.r + 16 * 1024 * 1024 });
  const userKey: MasterKey = { encrypt: derived.subarray(0, 32), macK: derived.subarray(32, 48), macR: derived.subarray(48, 64) };
  const master = JSON.parse(open(userKey, Buffer.from(file.data, 'base64')).toString('utf8')) as { mac: { k: string; r: string }; encrypt: string };
  return { encrypt: Buffer.from(master.encrypt, 'base64'), macK: Buffer.from(master.mac.k, 'base64'), macR: Buffer.from(master.mac.r, 'base64') };
}

/** Seals one snapshot JSON and stores it where rest-server serves it; returns its id. */
export async function writeSnapshot(repoDir: string, key: MasterKey, snapshot: Record<string, unknown>): Promise<string> {
  const sealed = seal(key, Buffer.from(JSON.stringify(snapshot)));
  const id = createHash('sha256').update(sealed).digest('hex');
  await writeFile(join(repoDir, 'snapshots', id), sealed);
  return id;
}
