// Issue 10, diagnostics at import and secrets in settings: a Backrest file written from the
// Prefeitura's guide (REST_RESTIC_USERNAME / REST_RESTIC_PASSWORD, names restic never reads) shows
// what will not work in the import preview, before anything is saved; and the healthchecks URL
// of an imported hook, kept in the secret store, reads "(guardado com segurança)" in the hooks
// table instead of the `cofre-secret:` reference config.json holds.
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

const pingUrl = 'https://hc-ping.com/11111111-2222-4333-8444-555555555555';

function guideFile(cofre: Cofre): string {
  return JSON.stringify({
    modno: 4,
    version: 4,
    instance: 'pc-compras-07',
    repos: [{
      id: 'compras',
      uri: cofre.rest.repoUri('compras'),
      password: 'senha-do-repositorio-compras',
      env: [`REST_RESTIC_USERNAME=${cofre.restUser}`, 'REST_RESTIC_PASSWORD=senha-do-nginx-compras'],
      autoInitialize: true,
    }],
    plans: [{
      id: 'compras-docs',
      repo: 'compras',
      paths: [cofre.documents],
      schedule: { disabled: true },
      hooks: [{ conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionHealthchecks: { webhookUrl: pingUrl, template: '{{ .Summary }}' } }],
    }],
    auth: { disabled: true },
  });
}

test('the import preview lists what will not work; a hook URL kept securely is not shown as a reference', async ({ page, cofre }) => {
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Importar / exportar' }).click();
  // Cofre's own translated file button opens the chooser (not the browser's "Choose File").
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Arquivo config.json' }).click();
  await (await chooser).setFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(guideFile(cofre)) });

  const warnings = page.getByTestId('import-diagnostics');
  await expect(warnings.getByText('O arquivo é válido, mas 2 configurações não vão funcionar como esperado:')).toBeVisible();
  await expect(warnings.getByText(/REST_RESTIC_USERNAME/).first()).toBeVisible();
  await expect(warnings.getByText(/RESTIC_REST_PASSWORD/).first()).toBeVisible();
  expect(await page.locator('body').innerText()).not.toContain('senha-do-nginx-compras');
  await warnings.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('import-diagnostics') });

  await page.getByRole('button', { name: 'Importar', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Importação concluída' })).toBeVisible();

  await page.getByRole('tab', { name: 'Ganchos' }).click();
  const table = page.locator('table');
  await expect(table.getByText('(guardado com segurança)')).toBeVisible();
  const shown = await page.locator('body').innerText();
  expect(shown).not.toContain('cofre-secret:');
  expect(shown).not.toContain(pingUrl);

  // Export for the Backrest the machine runs: version 4 for 1.9-1.12, no secret, no reference.
  await page.getByRole('tab', { name: 'Importar / exportar' }).click();
  await page.getByLabel('Para qual Backrest').selectOption('1.10');
  await page.getByRole('button', { name: 'Exportar', exact: true }).click();
  const exported = JSON.parse(await page.getByLabel('Configuração exportada').inputValue()) as { version: number; plans: Array<{ hooks: Array<{ actionHealthchecks: { webhookUrl: string } }> }> };
  expect(exported.version).toBe(4);
  expect(exported.plans[0]?.hooks[0]?.actionHealthchecks.webhookUrl).toBe('');
  expect(JSON.stringify(exported)).not.toContain('cofre-secret:');
});
