// "A full local disk during restore is reported as the server's storage being full" (issue 15).
// restic restores into staging on a small real filesystem (tmpfs) and runs out of space there:
// the user must read that THIS computer's disk is full, with its own action, while a full server
// (HTTP 507) keeps the server message. Real restic (0.14 and the newest), a real REST server.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofreError } from '../../electron/core/errors.js';
import { restoreDiskCause } from '../../electron/core/restic/classify.js';
import { detectRestic, ResticEngine } from '../../electron/core/restic/index.js';
import { restoreSelection } from '../../electron/core/restore/restore-selection.js';
import type { RestoreScope } from '../../electron/core/restore/scope.js';
import { SnapshotIndex } from '../../electron/core/restore/snapshot-index.js';
import { hashTree, makeTempDir, rawRestic, removeDir, resticBinaries, startRestServer, type RestServer } from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';
import { canMount, mountTmpfs, unmount } from '../support/mounts.js';

const HOST = 'cofre-local-disk';
const versions = [resticBinaries[0]!, resticBinaries[resticBinaries.length - 1]!];

describe.each(versions)('a full local disk during restore (restic $label)', ({ label, bin }) => {
  let server: RestServer;
  let work: string;
  let home: string;
  let index: SnapshotIndex;
  let engine: ResticEngine;
  let snapshotId: string;
  const mounts: string[] = [];
  const user = (): RestoreScope => ({ technician: false, hostname: HOST, roots: [home], home });

  beforeAll(async () => {
    server = await startRestServer();
    work = await makeTempDir(`restore-disk-${label}`);
    home = join(work, 'home', 'ana');
    await mkdir(join(home, 'videos'), { recursive: true });
    // Incompressible: 3 x 8 MiB does not fit the 12 MiB volume below.
    for (let i = 0; i < 3; i++) await writeFile(join(home, 'videos', `aula-${i}.bin`), randomBytes(8 * 1024 * 1024));
    const env = { RESTIC_REPOSITORY: server.repoUri(`disk-${label}-${randomBytes(3).toString('hex')}`), RESTIC_PASSWORD: 'pw-disk', RESTIC_CACHE_DIR: join(work, 'cache') };
    await rawRestic(bin, ['init'], env);
    await rawRestic(bin, ['backup', '--host', HOST, home], env);
    const { capabilities } = await detectRestic(bin);
    engine = new ResticEngine({
      binary: bin, capabilities, cacheDir: join(work, 'cache'),
      repo: { id: 'disk', uri: env.RESTIC_REPOSITORY, password: 'pw-disk', env: {}, flags: [] },
      log: () => undefined,
    });
    const [snapshot] = await engine.snapshots({});
    snapshotId = snapshot!.id;
    index = new SnapshotIndex(join(work, 'index.sqlite'));
    await index.ensureIndexed(snapshot!, engine);
  }, 180_000);

  afterAll(async () => {
    index?.close();
    for (const m of mounts) unmount(m);
    await server?.close();
    if (work) await removeDir(work);
  });

  it.skipIf(!canMount())('restic running out of space on this computer: local-disk message, destination untouched', async () => {
    const vol = join(home, 'pendrive');
    await mkdir(vol, { recursive: true });
    mountTmpfs(vol, '12m');
    mounts.push(vol);
    await writeFile(join(vol, 'já-estava-aqui.txt'), 'conteúdo do usuário\n');
    const before = await hashTree(vol);
    const error = await restoreSelection(
      // The volume's free space is reported as plenty, so the up-front check lets restic start and hit the real ENOSPC.
      { index, source: engine, freeSpace: async () => 1024 ** 4 },
      { snapshotId, paths: [join(home, 'videos')], destination: { kind: 'folder', path: vol } },
      { scope: user(), allowReplace: false },
    ).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CofreError);
    const payload = (error as CofreError).toPayload('pt-BR');
    expect(payload.cause, JSON.stringify(payload)).toBe('local-disk-full');
    expect(payload.message).toMatch(/Não há espaço livre no disco deste computador para restaurar em/);
    expect(payload.action).toMatch(/Libere espaço no disco deste computador/);
    expect(`${payload.message} ${payload.action}`).not.toMatch(/servidor/);
    expect(await hashTree(vol)).toEqual(before);
    expect((await readdir(vol)).filter((n) => n.startsWith('.cofre-staging-'))).toEqual([]);
    recordFigure('faults', { name: `restore: local disk full mid-restore (restic ${label}) reported as local`, injected: 1, survived: 1 });
    recordFigure('hardening', { name: `restore: local disk full mid-restore (restic ${label}) is this computer's`, kind: 'fault', tried: 1, held: 1 });
  }, 120_000);

  it('the up-front space refusal says the local disk too, not the server', async () => {
    const error = await restoreSelection(
      { index, source: engine, freeSpace: async () => 1024 * 1024 },
      { snapshotId, paths: [join(home, 'videos')], destination: { kind: 'folder', path: join(home, 'copia') } },
      { scope: user(), allowReplace: false },
    ).then(() => null, (e: unknown) => e);
    const payload = (error as CofreError).toPayload('pt-BR');
    expect(payload.cause).toBe('local-disk-full');
    expect(`${payload.message} ${payload.action}`).not.toMatch(/servidor/);
  });
});

describe('which disk is full', () => {
  it('restic text from a restore: ENOSPC is this computer, a 507 stays the server', () => {
    expect(restoreDiskCause('storage-full', 'ignoring error for /x/a.bin: write /tmp/s/a.bin: no space left on device')).toBe('local-disk-full');
    expect(restoreDiskCause('unknown', 'Fatal: open /tmp/s/x: no space left on device')).toBe('local-disk-full');
    expect(restoreDiskCause('storage-full', 'Load(<data/ab12>) returned error, retrying after 1s: unexpected HTTP response (507): 507 Insufficient Storage')).toBe('storage-full');
    expect(restoreDiskCause('server-unreachable', 'dial tcp 127.0.0.1:1: connect: connection refused')).toBe('server-unreachable');
  });
});
