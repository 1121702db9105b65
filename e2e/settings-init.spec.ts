// "Inicializar" on a repository imported from a Backrest config.json, in the four ways the field
// meets it: already initialised, not yet initialised (the file still carries the guid Backrest
// wrote), unreachable, and with its password only in the imported file. Every click ends with a
// visible result next to the button: done, "já existia", or the cause in plain words.
import { freePort, rawRestic, restRepoEnv, resticBinary } from '../test/fixtures/index.js';
import type { Locator, Page } from '@playwright/test';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

async function clickInit(page: Page, cofre: Cofre) {
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Repositórios' }).click();
  await page.getByRole('button', { name: 'Inicializar' }).click();
}

/** The technician actually sees it: inside the window and not under the fixed save bar. */
async function expectSeen(page: Page, result: Locator) {
  await expect(result).toBeInViewport({ ratio: 1 });
  const [box, bar] = await Promise.all([result.boundingBox(), page.locator('.save-bar').boundingBox()]);
  expect(box!.y + box!.height, 'the result is hidden under the save bar').toBeLessThanOrEqual(bar!.y + 1);
}

function fieldStyle(cofre: Cofre, patch: Record<string, unknown>): string {
  const file = JSON.parse(cofre.backrestConfig({ autoInitialize: false })) as { repos: Array<Record<string, unknown>> };
  Object.assign(file.repos[0]!, patch);
  return JSON.stringify(file);
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 380, height: 560 });
});

test('an imported repository that is already initialised says so', async ({ page, cofre }) => {
  const restic = resticBinary('0.18');
  await rawRestic(restic.bin, ['init'], { ...restRepoEnv(restic, cofre.repoUri, { user: cofre.restUser, password: cofre.restPassword }), RESTIC_PASSWORD: cofre.repoPassword });
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  await clickInit(page, cofre);
  const result = page.getByRole('status').filter({ hasText: 'O repositório já existia; nada foi alterado.' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expectSeen(page, result);
  await page.screenshot({ path: screenshotPath('settings-init-already') });
});

test('an imported repository not initialised yet, with the guid Backrest wrote, is initialised', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: fieldStyle(cofre, { guid: 'a'.repeat(64) }) });
  await clickInit(page, cofre);
  const result = page.getByRole('status').filter({ hasText: 'Repositório inicializado.' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expectSeen(page, result);
});

test('an unreachable imported repository says the server cannot be reached', async ({ page, cofre }) => {
  const port = await freePort();
  await cofre.api('importBackrest', { content: fieldStyle(cofre, { uri: `rest:http://127.0.0.1:${port}/ninguem` }) });
  await clickInit(page, cofre);
  const started = Date.now();
  const result = page.getByRole('alert').filter({ hasText: 'Não foi possível conectar ao servidor de backup.' });
  await expect(result).toBeVisible({ timeout: 90_000 });
  await expectSeen(page, result);
  expect(Date.now() - started).toBeLessThan(60_000);
  // The button runs once: the notice says to click again, not that Cofre will retry by itself.
  await expect(result.getByText('Verifique a conexão de rede e o endereço do repositório e clique de novo.')).toBeVisible();
  await expect(result.getByText(/tentará de novo automaticamente/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Inicializar' })).toBeEnabled();
  await page.screenshot({ path: screenshotPath('settings-init-unreachable') });
});

test('an imported repository whose password was only in the file is initialised with it', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false, repoPassword: 'so-no-arquivo-importado-5K' }) });
  await clickInit(page, cofre);
  const result = page.getByRole('status').filter({ hasText: 'Repositório inicializado.' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expectSeen(page, result);
  // The repository really has that password: restic opens it with the file's password.
  const restic = resticBinary('0.18');
  await rawRestic(restic.bin, ['cat', 'config'], { ...restRepoEnv(restic, cofre.repoUri, { user: cofre.restUser, password: cofre.restPassword }), RESTIC_PASSWORD: 'so-no-arquivo-importado-5K' });
});

test('imported through Configurações into a fresh Cofre, then "Inicializar" shows its result', async ({ page, cofre }) => {
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Importar / exportar' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Arquivo config.json' }).click();
  await (await chooser).setFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(cofre.backrestConfig()) });
  await page.getByRole('button', { name: 'Importar', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Importação concluída' })).toBeVisible();
  await page.getByRole('tab', { name: 'Repositórios' }).click();
  await page.getByRole('button', { name: 'Inicializar' }).click();
  const result = page.getByRole('status').filter({ hasText: /Repositório inicializado\.|O repositório já existia; nada foi alterado\./ });
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expectSeen(page, result);
  await page.screenshot({ path: screenshotPath('settings-init-after-ui-import') });
});
