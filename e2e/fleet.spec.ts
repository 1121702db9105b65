// IT opens Configurações → Frota on a morning and sees which machine of which department has not
// backed up: two departments on the real rest-server, Educação with one machine whose last backup
// (raw restic `--time`) is six days old (vencido) and one 30 hours old (atrasado), Saúde with a
// repository whose password in the fleet file is wrong. The end user, without the technician password, never sees the screen.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { rawRestic, resticBinary, restRepoEnv } from '../test/fixtures/index.js';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

const restic = resticBinary('0.18');
const repoPassword = 'senha-da-frota-31';
const DAY = 86_400_000;

interface FleetRepo {
  name: string;
  department: string;
  /** host -> how long ago each of its backups was made, oldest first */
  hosts: Record<string, number[]>;
}

/** Real repositories on the spec's rest-server, made with raw restic as the machines would. */
async function makeFleet(cofre: Cofre, repos: FleetRepo[], wrongPasswordRepo: { name: string; department: string }): Promise<(name: string, host: string) => Promise<void>> {
  const secrets = join(cofre.dataDir, 'fleet-secrets');
  await mkdir(secrets, { recursive: true });
  const ref = async (name: string, value: string) => {
    const file = join(secrets, name);
    await writeFile(file, value, { mode: 0o600 });
    return { file };
  };
  const credentials = { user: cofre.restUser, password: cofre.restPassword };
  const env = (name: string) => ({ ...restRepoEnv(restic, cofre.rest.repoUri(name), credentials), RESTIC_PASSWORD: repoPassword, TZ: 'UTC' });
  const backup = async (name: string, host: string, agoMs = 0) => {
    const time = new Date(Date.now() - agoMs).toISOString().replace('T', ' ').slice(0, 19);
    await rawRestic(restic.bin, ['backup', '--host', host, '--time', time, '--tag', `plan:documentos,created-by:${host}`, cofre.documents], env(name));
  };
  await writeFile(join(cofre.documents, 'ata.txt'), 'Ata da reunião do conselho escolar\n');
  for (const repo of [...repos, { ...wrongPasswordRepo, hosts: { 'saude-arquivo-01': [0] } }]) {
    await rawRestic(restic.bin, ['init'], env(repo.name));
    for (const [host, agos] of Object.entries(repo.hosts)) {
      for (const [i, ago] of agos.entries()) {
        // Files come and go between backups, so the history line has a shape to draw.
        await writeFile(join(cofre.documents, `relatorio-${i}.txt`), `Relatório ${i}\n`);
        await backup(repo.name, host, ago);
      }
    }
  }
  const password = await ref('repo-password', repoPassword);
  const wrong = await ref('wrong-password', 'nao-e-esta-a-senha');
  const restUsername = await ref('rest-user', cofre.restUser);
  const restPassword = await ref('rest-password', cofre.restPassword);
  const entry = (name: string, department: string, pw: { file: string }) => ({ id: name, department, uri: cofre.rest.repoUri(name), password: pw, restUsername, restPassword });
  await writeFile(join(cofre.dataDir, 'fleet.json'), JSON.stringify({
    version: 1,
    // Every 24 h with 2 h of grace: 30 h old is late, six days is overdue, whatever the time of day.
    defaults: { frequency: { everyHours: 24 }, graceHours: 2 },
    repositories: [...repos.map((r) => entry(r.name, r.department, password)), entry(wrongPasswordRepo.name, wrongPasswordRepo.department, wrong)],
  }, null, 2));
  return (name, host) => backup(name, host);
}

async function openFleet(page: Page, cofre: Cofre) {
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Frota' }).click();
}

test('IT sees the overdue machine of Educação, the unreadable repository of Saúde, filters and refreshes', async ({ page, cofre }) => {
  test.setTimeout(180_000);
  const backupNow = await makeFleet(cofre, [
    { name: 'educacao', department: 'Educação', hosts: { 'edu-secretaria-01': [3 * DAY, 2 * DAY, DAY, 2 * 3_600_000], 'edu-biblioteca-02': [6 * DAY], 'edu-diretoria-03': [30 * 3_600_000] } },
    { name: 'saude', department: 'Saúde', hosts: { 'saude-recepcao-01': [3_600_000] } },
  ], { name: 'saude-arquivo', department: 'Saúde' });

  await openFleet(page, cofre);
  const summary = page.getByRole('region', { name: 'Por setor' });
  await expect(summary.getByText('Educação: 1 vencido, 1 atrasado, 1 em dia')).toBeVisible();
  await expect(summary.getByText('Saúde: 1 em dia, 1 repositório ilegível')).toBeVisible();

  const table = page.getByRole('table');
  const overdue = table.getByRole('row').filter({ hasText: 'edu-biblioteca-02' });
  await expect(overdue.getByText('há 6 dias')).toBeVisible();
  await expect(overdue.getByText('Vencido', { exact: true })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'edu-diretoria-03' }).getByText('Atrasado', { exact: true })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'edu-secretaria-01' }).getByText('Em dia', { exact: true })).toBeVisible();
  await expect(overdue.getByText('Histórico ainda curto')).toBeVisible();

  const unreadable = page.getByRole('region', { name: 'Repositórios que não deu para ler' });
  await expect(unreadable.getByText('Saúde · repositório saude-arquivo')).toBeVisible();
  await expect(unreadable.getByText('A senha do repositório está errada.')).toBeVisible();
  await expect(unreadable.getByText(/arquivo da frota/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('fleet-desktop'), fullPage: true });

  // Tray popover size: machines become stacked cards, nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 520 });
  await expect(overdue.getByText('Vencido', { exact: true })).toBeVisible();
  const widths = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  await page.screenshot({ path: screenshotPath('fleet-popover'), fullPage: true });
  await page.setViewportSize({ width: 1100, height: 760 });

  // Filters: only overdue machines, then only one department.
  await page.getByRole('combobox', { name: 'Situação' }).selectOption({ label: 'Vencido' });
  await expect(table.getByRole('row').filter({ hasText: 'edu-' })).toHaveCount(1);
  await expect(page.getByText('1 de 4 máquinas')).toBeVisible();
  await expect(unreadable).toBeHidden();
  await page.getByRole('combobox', { name: 'Situação' }).selectOption({ label: 'Todas' });
  await page.getByRole('combobox', { name: 'Setor' }).selectOption({ label: 'Saúde' });
  await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'saude-recepcao-01' })).toBeVisible();
  await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'edu-' })).toHaveCount(0);
  await expect(summary.getByText(/^Educação:/)).toHaveCount(0);
  await expect(unreadable.getByText('A senha do repositório está errada.')).toBeVisible();
  await page.getByRole('combobox', { name: 'Setor' }).selectOption({ label: 'Todos os setores' });

  // The library machine backs up now; "Atualizar" shows it without leaving the screen.
  await backupNow('educacao', 'edu-biblioteca-02');
  await page.getByRole('button', { name: 'Atualizar' }).click();
  await expect(summary.getByText('Educação: 1 atrasado, 2 em dia')).toBeVisible();
  const library = page.getByRole('table').getByRole('row').filter({ hasText: 'edu-biblioteca-02' });
  await expect(library.getByText('Em dia', { exact: true })).toBeVisible();
  // Two backups now: its history line is drawn and says what it shows.
  await expect(library.getByRole('img', { name: /^Backups recentes: 2 · arquivos: de .* a .*$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Atualizar' })).toBeEnabled();

});

test.describe('with a technician password on the machine', () => {
  const technicianPassword = 'tecnico-Batatais-2041';
  test.use({ cofreOptions: { technicianPassword } });
  test('the end user sees no fleet screen and cannot ask for the report; the technician, logged in, does', async ({ page, cofre }) => {
    await page.goto(cofre.url);
    await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
    await expect(page.getByLabel('Senha do técnico')).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Frota' })).toHaveCount(0);
    await expect(page.getByText('Backups de todas as máquinas')).toHaveCount(0);
    await expect(cofre.api('fleetReport', {})).rejects.toThrow(/technicianRequired/);

    await page.getByLabel('Senha do técnico').fill(technicianPassword);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page.getByRole('tab', { name: 'Frota' })).toBeVisible();
  });
});
