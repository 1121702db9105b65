import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/validate.js';
import { expandEnrollment, sanitizeSegment } from './enrollment.js';
import { defaultPolicyPath, loadPolicy, resolvePolicyPath, validatePolicy } from './load.js';
import { isLocked, lockedChanges, mergePolicy, userConfigFromEdit } from './merge.js';
import { defaultPolicy, policySchema, restrictivePolicy } from './schema.js';
import { verifyTechnicianPassword } from './technician.js';

const examplePath = new URL('../../../resources/policy.example.json', import.meta.url);

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-policy-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const write = async (content: string) => {
  const file = path.join(dir, 'policy.json');
  await fs.writeFile(file, content);
  return file;
};

describe('resources/policy.example.json', () => {
  it('is a valid policy whose technician hash matches the documented password', async () => {
    const result = await loadPolicy(fileURLToPath(examplePath), 'en');
    expect(result.problem).toBeUndefined();
    expect(result.source).toBe('file');
    expect(result.policy.branding?.organization).toBe('Prefeitura Municipal de Batatais');
    expect(result.policy.capabilities).toMatchObject({ quit: false, restoreOutsideHome: false, backupNow: true });
    expect(result.policy.managed.repos[0]?.id).toBe('financeiro');
    expect(await verifyTechnicianPassword('troque-esta-senha', result.policy.technicianPasswordHash!)).toBe(true);
    const uri = expandEnrollment(result.policy.enrollment!.uriTemplate, { hostname: 'PC-FIN-03', username: 'maria' });
    expect(uri).toBe('rest:https://backup.batatais.sp.gov.br/PC-FIN-03/');
  });
});

describe('loadPolicy', () => {
  it('a missing file means no policy: defaults, nothing locked', async () => {
    const result = await loadPolicy(path.join(dir, 'absent.json'));
    expect(result.source).toBe('none');
    expect(result.problem).toBeUndefined();
    expect(result.policy).toEqual(defaultPolicy());
    expect(result.policy.capabilities).toEqual({ backupNow: true, pause: true, quit: true, restore: true, restoreOutsideHome: false, overwriteOnRestore: true, openSettings: true });
    expect(result.policy.overdueAfterDays).toBe(3);
  });

  it('damaged JSON gives a translated problem and restrictive defaults, never a throw', async () => {
    const result = await loadPolicy(await write('{"locked": ['), 'pt-BR');
    expect(result.source).toBe('invalid');
    expect(result.problem?.code).toBe('policy.notJson');
    expect(result.problem?.message).toMatch(/A política da máquina .* está danificada/);
    expect(isLocked(result.policy, 'plans')).toBe(true);
    expect(result.policy.capabilities).toMatchObject({ backupNow: true, restore: true, quit: false, openSettings: false, overwriteOnRestore: false });
  });

  it('names wrong fields, typos included, in the user language', async () => {
    const file = await write(JSON.stringify({ capabilites: { quit: false }, overdueAfterDays: 0, technicianPasswordHash: 'md5$abc', capabilities: { quit: 'no' } }));
    const en = await loadPolicy(file, 'en');
    expect(en.problem?.code).toBe('policy.invalid');
    expect(Object.fromEntries(en.problem!.fields!.map((f) => [f.path, f.message]))).toEqual({
      capabilites: 'is not a known field',
      overdueAfterDays: 'must be at least 1',
      technicianPasswordHash: 'must look like scrypt$N$r$p$salt$hash',
      'capabilities.quit': 'must be true or false',
    });
    const pt = await loadPolicy(file, 'pt-BR');
    expect(pt.problem?.fields?.find((f) => f.path === 'capabilites')?.message).toBe('não é um campo conhecido');
  });

  it('checks managed repos and plans with the config rules', () => {
    const result = validatePolicy({
      managed: { repos: [{ id: 'r', uri: 'file:///etc' }], plans: [{ id: 'p', repo: 'other', paths: ['/x'], schedule: { cron: 'daily' } }] },
    }, 'en');
    expect(result.policy).toBeUndefined();
    expect(result.fields.map((f) => f.path)).toEqual(['managed.repos[0].uri', 'managed.plans[0].repo', 'managed.plans[0].schedule.cron']);
  });

  it('finds the file at the platform path unless overridden', () => {
    expect(defaultPolicyPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Cofre\\policy.json');
    expect(defaultPolicyPath('linux', {})).toBe('/etc/cofre/policy.json');
    expect(resolvePolicyPath(undefined, { COFRE_POLICY: '/tmp/p.json' })).toBe('/tmp/p.json');
    expect(resolvePolicyPath('/explicit.json', { COFRE_POLICY: '/tmp/p.json' })).toBe('/explicit.json');
  });
});

describe('mergePolicy and locks', () => {
  const user = parseConfig({
    version: 6,
    instance: 'pc',
    modno: 7,
    repos: [{ id: 'pessoal', uri: '/mnt/usb/restic' }, { id: 'financeiro', uri: '/mnt/old' }],
    plans: [{ id: 'fotos', repo: 'pessoal', paths: ['/home/maria/Fotos'] }],
  });
  const policy = policySchema.parse({
    locked: ['language', 'plans.fotos.schedule'],
    managed: {
      repos: [{ id: 'financeiro', uri: 'rest:https://backup.example/financeiro', password: 'from-policy' }],
      plans: [{ id: 'sistema', repo: 'financeiro', paths: ['C:\\Financeiro'] }],
    },
  });

  it('puts managed repos and plans over the user config', () => {
    const merged = mergePolicy(user, policy);
    expect(merged.managedRepoIds).toEqual(['financeiro']);
    expect(merged.managedPlanIds).toEqual(['sistema']);
    expect(merged.config.repos.map((r) => [r.id, r.uri])).toEqual([
      ['financeiro', 'rest:https://backup.example/financeiro'],
      ['pessoal', '/mnt/usb/restic'],
    ]);
    expect(merged.config.plans.map((p) => p.id)).toEqual(['sistema', 'fotos']);
    expect(merged.config.modno).toBe(7);
    expect(() => parseConfig(merged.config)).not.toThrow();
  });

  it('locks listed settings, their children, and every managed entry', () => {
    expect(isLocked(policy, 'language')).toBe(true);
    expect(isLocked(policy, 'notifications')).toBe(false);
    expect(isLocked(policy, 'plans.fotos.schedule')).toBe(true);
    expect(isLocked(policy, 'plans.fotos.schedule.cron')).toBe(true);
    expect(isLocked(policy, 'plans.fotos.paths')).toBe(false);
    expect(isLocked(policy, 'repos.financeiro.uri')).toBe(true);
    expect(isLocked(policy, 'plans.sistema')).toBe(true);
    expect(isLocked(policy, 'repos.pessoal')).toBe(false);
    expect(isLocked(policySchema.parse({ locked: ['repos'] }), 'repos.any.uri')).toBe(true);
    expect(isLocked(policySchema.parse({ locked: ['*'] }), 'anything')).toBe(true);
    expect(isLocked(defaultPolicy(), 'repos')).toBe(false);
  });

  it('detects edits that touch locked settings or managed entries', () => {
    const before = mergePolicy(user, policy).config;
    const ok = structuredClone(before);
    ok.plans[1]!.paths.push('/home/maria/Docs');
    ok.modno = 8;
    expect(lockedChanges(before, ok, policy)).toEqual([]);

    const bad = structuredClone(before);
    bad.plans[1]!.schedule = { cron: '0 1 * * *' };
    bad.repos[0]!.uri = '/tmp/elsewhere';
    bad.plans = bad.plans.filter((p) => p.id !== 'sistema');
    expect(lockedChanges(before, bad, policy).sort()).toEqual(['plans.fotos.schedule', 'plans.sistema', 'repos.financeiro']);
  });

  it('saves only the user part, restoring entries the policy shadowed', () => {
    const merged = mergePolicy(user, policy).config;
    const edited = structuredClone(merged);
    edited.plans[1]!.paths = ['/home/maria/Imagens'];
    const saved = userConfigFromEdit(edited, user, policy);
    expect(saved.repos).toEqual([user.repos[0], user.repos[1]]);
    expect(saved.plans.map((p) => [p.id, p.paths])).toEqual([['fotos', ['/home/maria/Imagens']]]);
    expect(JSON.stringify(saved)).not.toContain('from-policy');
  });
});

describe('expandEnrollment', () => {
  it('expands and sanitises hostname and username', () => {
    expect(expandEnrollment('rest:https://b.example/{hostname}/{username}/', { hostname: 'PC Financeiro 01', username: 'João da Silva' }))
      .toBe('rest:https://b.example/PC-Financeiro-01/Joao-da-Silva/');
    expect(sanitizeSegment('../../etc')).toBe('etc');
    expect(sanitizeSegment('..')).toBe('unknown');
    expect(sanitizeSegment('DOMINIO\\maria')).toBe('DOMINIO-maria');
    expect(sanitizeSegment('a/b?c#d@e')).toBe('a-b-c-d-e');
  });

  it('refuses unknown placeholders and templates that do not give a valid URI', () => {
    expect(() => expandEnrollment('rest:https://b/{user}/', { hostname: 'h', username: 'u' })).toThrow(expect.objectContaining({ code: 'policy.enrollmentPlaceholder' }));
    expect(() => expandEnrollment('javascript:{hostname}', { hostname: 'h', username: 'u' })).toThrow(expect.objectContaining({ code: 'policy.enrollmentUri' }));
  });
});

describe('restoreScope', () => {
  it("defaults to what the plans back up, may be narrowed to the home folder, and a damaged policy narrows it", () => {
    expect(defaultPolicy().restoreScope).toBe('plans');
    expect(policySchema.parse({ restoreScope: 'home' }).restoreScope).toBe('home');
    expect(policySchema.safeParse({ restoreScope: 'everything' }).success).toBe(false);
    expect(restrictivePolicy().restoreScope).toBe('home');
  });
});
