// The Prefeitura's guide names the REST credentials REST_RESTIC_USERNAME / REST_RESTIC_PASSWORD,
// which restic never reads. Under the repository editor the technician sees what to rename, and
// "Test connection" says the server asks for a user name and none is configured.
import { expect, screenshotPath, test } from './support/cofre.js';

test('the settings screen names the environment variables restic ignores and what to use instead', async ({ page, cofre }) => {
  const config = JSON.parse(cofre.backrestConfig()) as { repos: Array<{ env: string[] }> };
  config.repos[0]!.env = [`REST_RESTIC_USERNAME=${cofre.restUser}`, `REST_RESTIC_PASSWORD=${cofre.restPassword}`];
  await cofre.api('importBackrest', { content: JSON.stringify(config) });

  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  const checks = page.getByRole('region', { name: 'Verificações deste repositório' });
  await expect(checks).toBeVisible();
  await expect(checks.getByText('A variável REST_RESTIC_USERNAME do repositório "servidor" é ignorada pelo restic.')).toBeVisible();
  await expect(checks.getByText('Técnico: renomeie para RESTIC_REST_USERNAME (o nome que o restic lê).')).toBeVisible();
  await expect(checks.getByText('Técnico: renomeie para RESTIC_REST_PASSWORD (o nome que o restic lê).')).toBeVisible();

  await page.getByRole('button', { name: 'Testar conexão' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'O servidor de backup pede usuário e senha, e nenhum está configurado.' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await checks.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('settings-diagnostics') });
  expect(await page.locator('body').innerText()).not.toContain(cofre.restPassword);
});
