// The technician opens Configurações → Diagnóstico (as docs/deploy.md promises): restic's version
// and what it can do, the paths in use, the policy and its problems, the recent log, and a text
// for support that holds no secret value although the log saw passwords and a failed backup.
import type { Page } from '@playwright/test';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

async function openDiagnostics(page: Page, cofre: Cofre) {
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Diagnóstico' }).click();
}

test('the technician copies a diagnostics bundle for support with no secret in it', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');
  // A connection test with a typed (wrong) server password: the agent now knows that value too.
  const typed = 'outra-senha-do-servidor-42';
  const config = JSON.parse(cofre.backrestConfig()) as { repos: Array<Record<string, unknown>> };
  await cofre.api('testConnection', { repo: { ...config.repos[0], password: undefined, env: [] }, secrets: { password: cofre.repoPassword, restUsername: cofre.restUser, restPassword: typed } }).catch(() => undefined);

  await openDiagnostics(page, cofre);
  await expect(page.getByRole('heading', { name: 'restic' })).toBeVisible();
  await expect(page.getByText(/^0\.18\./)).toBeVisible();
  await expect(page.getByText('Sem política da máquina: tudo é escolhido aqui.')).toBeVisible();
  // Which agent answers (issue 13): here `cofre serve`.
  await expect(page.locator('.diag-agent')).toHaveText(/^Agente\s*cofre serve \(sem janela, pelo navegador\)$/);
  await expect(page.getByText(cofre.dataDir, { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Log recente (sem senhas)' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('diagnostics-desktop'), fullPage: true });

  await page.getByText('Texto para o suporte').click();
  const bundle = await page.getByRole('textbox', { name: 'Texto para o suporte' }).inputValue();
  expect(bundle).toContain('restic: 0.18');
  expect(bundle).toContain('agent: serve');
  expect(bundle).toContain('log:');
  expect(bundle.split('\n').length).toBeGreaterThan(10);
  for (const secret of [cofre.repoPassword, cofre.restPassword, typed]) expect(bundle).not.toContain(secret);
  await page.getByRole('button', { name: 'Copiar para o suporte' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Copiado|Não deu para copiar/ })).toBeVisible();

  await page.setViewportSize({ width: 380, height: 560 });
  const widths = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  await page.screenshot({ path: screenshotPath('diagnostics-tray') });
});

test.describe('on a computer managed by a machine policy', () => {
  const technicianPassword = 'tecnico-Batatais-2040';
  test.use({ cofreOptions: { technicianPassword, policy: { capabilities: { openSettings: false }, locked: ['repos'] } } });
  test('the technician, after logging in, sees the policy in effect and what it locks; the bundle has no technician password', async ({ page, cofre }) => {
    await page.goto(cofre.url);
    await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
    await page.getByLabel('Senha do técnico').fill(technicianPassword);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('tab', { name: 'Diagnóstico' }).click();
    await expect(page.getByText(/Política em vigor, lida de .*policy\.json\./)).toBeVisible();
    await expect(page.getByText(/Travado pela política: .*repos/)).toBeVisible();
    await page.getByText('Texto para o suporte').click();
    expect(await page.getByRole('textbox', { name: 'Texto para o suporte' }).inputValue()).not.toContain(technicianPassword);
    await page.screenshot({ path: screenshotPath('diagnostics-policy') });
  });
});
