// Where a destination really leads, and the no-follow check placing relies on.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CofreError } from '../errors.js';
import { assertNoLinkOnTheWay, realScope, resolveReal } from './real-path.js';
import { pathInScope } from './scope.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cofre-real-path-'));
  await mkdir(join(dir, 'dados', 'ana', 'Docs'), { recursive: true });
  await mkdir(join(dir, 'home'), { recursive: true });
  await mkdir(join(dir, 'etc'), { recursive: true });
  // A home folder that is itself a link, as some sites mount profiles.
  await symlink(join(dir, 'dados', 'ana'), join(dir, 'home', 'ana'));
  await symlink(join(dir, 'etc'), join(dir, 'dados', 'ana', 'atalho'));
  await writeFile(join(dir, 'dados', 'ana', 'nota.txt'), 'x');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const code = async (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => (e as CofreError).code);

describe('resolveReal', () => {
  it('follows links in the existing part and keeps the components still to be created', async () => {
    expect(await resolveReal(join(dir, 'home', 'ana', 'atalho', 'nova', 'pasta'))).toBe(join(dir, 'etc', 'nova', 'pasta'));
    expect(await resolveReal(join(dir, 'home', 'ana', 'nota.txt', 'sub'))).toBe(join(dir, 'dados', 'ana', 'nota.txt', 'sub'));
  });

  it('refuses a dangling link: where it would write is not known', async () => {
    await symlink(join(dir, 'nada-aqui'), join(dir, 'dados', 'ana', 'quebrado'));
    expect(await code(resolveReal(join(dir, 'home', 'ana', 'quebrado', 'x')))).toBe('restore.error.linkInWay');
  });
});

describe('realScope', () => {
  it('a home that is a link still holds what is written through it, and nothing through a link out of it', async () => {
    const scope = await realScope({ technician: false, hostname: 'pc', roots: [join(dir, 'home', 'ana')], home: join(dir, 'home', 'ana') }, 'linux');
    expect(pathInScope(scope, await resolveReal(join(dir, 'home', 'ana', 'Docs', 'carta.txt')))).toBe(true);
    expect(pathInScope(scope, await resolveReal(join(dir, 'home', 'ana', 'atalho', 'passwd')))).toBe(false);
  });
});

describe('assertNoLinkOnTheWay', () => {
  it('passes real folders and missing ones, stops at a link or a file', async () => {
    const root = join(dir, 'dados', 'ana');
    await expect(assertNoLinkOnTheWay(root, join(root, 'Docs', 'novo', 'a.txt'))).resolves.toBeUndefined();
    expect(await code(assertNoLinkOnTheWay(root, join(root, 'atalho', 'a.txt')))).toBe('restore.error.linkInWay');
    expect(await code(assertNoLinkOnTheWay(root, join(root, 'nota.txt', 'a.txt')))).toBe('restore.error.fileInWay');
    expect(await code(assertNoLinkOnTheWay(root, join(dir, 'etc', 'a.txt')))).toBe('restore.error.linkInWay');
  });
});
