// What the status screen says, read as a clerk reads it: up to when her files are safe, what went
// wrong since, and what Cofre is doing about it, in plain words, at desktop and at tray size.
import type { Page } from '@playwright/test';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

const hhmm = /\d{2}:\d{2}/.source;
/** Words a clerk must never meet on the status screen. */
const jargon = /senha do repositório|Não existe repositório|auth-refused|invalid-input|wrong-password|server-unreachable|snapshot/i;

async function noHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const w = globalThis as unknown as { innerWidth: number; document: { scrollingElement: { scrollWidth: number } } };
    return { scrollWidth: w.document.scrollingElement.scrollWidth, innerWidth: w.innerWidth };
  });
  expect(scrollWidth, `page is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
}

// A clerk's computer: the settings are behind a technician password, so the window is not a technician's.
const technicianPassword = 'tecnico-Status-2041';
test.use({ cofreOptions: { technicianPassword } });

/** The test's own API session logs in as the technician to set Cofre up; the window stays a clerk's. */
async function asTechnician(cofre: Cofre): Promise<void> {
  await cofre.api('technicianLogin', { password: technicianPassword });
}

async function lastBackupEnded(cofre: Cofre): Promise<string> {
  const page = await cofre.api<{ items: Array<{ status: string; cause: string | null }> }>('listHistory', { type: 'backup', limit: 1 });
  return page.items[0]?.status ?? 'none';
}

test('the clerk sees that her files are safe up to the last backup although the later attempt failed', async ({ page, cofre }) => {
  await asTechnician(cofre);
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');
  // Later the stored key stops matching (the repository was recreated with another password).
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ repoPassword: 'outra-senha-qualquer-1', autoInitialize: false }) });

  await page.goto(cofre.url);
  const card = page.getByRole('article', { name: 'Documentos' });
  await card.getByRole('button', { name: 'Fazer backup agora de Documentos' }).click();
  await expect.poll(() => lastBackupEnded(cofre), { timeout: 60_000 }).toBe('failure');

  const sentence = new RegExp(`^Seus arquivos estão protegidos até hoje, ${hhmm} · a tentativa das ${hhmm} falhou: A chave de acesso aos backups guardada neste computador não está certa\\.$`);
  await expect(card.getByText(sentence)).toBeVisible();
  await expect(card.getByText('Avise o técnico: as configurações de backup deste computador precisam ser corrigidas.')).toBeVisible();
  // The relative time names the successful backup only, and it is in the past.
  await expect(card.getByText(/^(agora há pouco|há \d+ minutos?)$/)).toBeVisible();
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(jargon);
  expect(text).not.toMatch(/Para o técnico/);
  await page.screenshot({ path: screenshotPath('status-safe-until-failed-attempt'), fullPage: true });
  await page.setViewportSize({ width: 380, height: 560 });
  await noHorizontalScroll(page);
  await page.screenshot({ path: screenshotPath('status-safe-until-failed-attempt-380'), fullPage: true });
});

test('with the server down a backup says it keeps trying, then when it tries again; "Tentar agora" skips the wait and "Cancelar" stops it', async ({ page, cofre }) => {
  test.setTimeout(300_000);
  await asTechnician(cofre);
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');
  await cofre.rest.stop();

  await page.goto(cofre.url);
  const card = page.getByRole('article', { name: 'Documentos' });
  await card.getByRole('button', { name: 'Fazer backup agora de Documentos' }).click();

  // Inside the first attempt restic retries by itself: no "0 % · Iniciando…", no "Fazendo backup agora".
  await expect(card.getByText('O Cofre continua tentando falar com o servidor de backup (tentativa 1 de 5).')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Um backup está esperando para tentar de novo' })).toBeVisible();
  await expect(card.getByText('Motivo: Não foi possível conectar ao servidor de backup.')).toBeVisible();
  await expect(page.getByText('Iniciando…')).toHaveCount(0);
  await expect(page.getByText('Fazendo backup agora')).toHaveCount(0);
  await expect(card.getByText(new RegExp(`^Seus arquivos estão protegidos até hoje, ${hhmm}$`))).toBeVisible();
  await page.screenshot({ path: screenshotPath('status-server-down-trying'), fullPage: true });

  // The attempt gives up (about 2 min): the card says when the next one comes, and which it is.
  await page.setViewportSize({ width: 360, height: 520 });
  await expect(card.getByText(new RegExp(`^Tentando de novo às ${hhmm} \\(tentativa 2 de 5\\)$`))).toBeVisible({ timeout: 200_000 });
  await noHorizontalScroll(page);
  await page.screenshot({ path: screenshotPath('status-retrying-360'), fullPage: true });

  // "Tentar agora" starts attempt 2 at once instead of waiting out the 30 s backoff.
  const clicked = Date.now();
  await card.getByRole('button', { name: 'Tentar agora o backup de Documentos' }).click();
  await expect(card.getByText('O Cofre continua tentando falar com o servidor de backup (tentativa 2 de 5).')).toBeVisible({ timeout: 20_000 });
  expect(Date.now() - clicked).toBeLessThan(20_000);

  await card.getByRole('button', { name: /^Cancelar (o )?backup de Documentos$/ }).click();
  await expect(card.getByText(new RegExp(`· a tentativa das ${hhmm} foi cancelada$`))).toBeVisible({ timeout: 30_000 });
  await expect(card.getByRole('button', { name: 'Fazer backup agora de Documentos' })).toBeEnabled();
  await page.screenshot({ path: screenshotPath('status-retry-cancelled-360'), fullPage: true });
});

test.describe('after the last attempt', () => {
  // Two short attempts (5 s each, 2 s apart) instead of five over ten minutes: same code path, seconds.
  test.use({ cofreOptions: { technicianPassword, serveEnv: { COFRE_BACKUP_RETRY: 'attempts=2 delayMs=2000 giveUpMs=5000' } } });

  test('with the server still down after the last attempt, the card says Cofre stopped and when the next scheduled backup is', async ({ page, cofre }) => {
    await asTechnician(cofre);
    const file = JSON.parse(cofre.backrestConfig()) as { plans: Array<Record<string, unknown>> };
    file.plans[0]!.schedule = { cron: '0 12 * * *', clock: 'CLOCK_LOCAL' };
    await cofre.api('importBackrest', { content: JSON.stringify(file) });
    await cofre.backup('documentos');
    await cofre.rest.stop();

    await page.setViewportSize({ width: 360, height: 520 });
    await page.goto(cofre.url);
    const card = page.getByRole('article', { name: 'Documentos' });
    await card.getByRole('button', { name: 'Fazer backup agora de Documentos' }).click();
    await expect(card.getByText(/tentativa 2 de 2/).first()).toBeVisible({ timeout: 60_000 });

    await expect(card.getByText(/^O Cofre tentou 2 vezes e parou\. Próximo backup agendado: .*12:00\.$/)).toBeVisible({ timeout: 90_000 });
    // Still honest about what is safe, and no longer "trying again".
    await expect(card.getByText(new RegExp(`^Seus arquivos estão protegidos até hoje, ${hhmm} · a tentativa das ${hhmm} falhou`))).toBeVisible();
    await expect(card.getByText(/Tentando de novo/)).toHaveCount(0);
    // Nothing on the screen still promises an automatic retry that will not come.
    await expect(page.getByText(/tentará de novo automaticamente/)).toHaveCount(0);
    await expect(card.getByText('O Cofre não vai tentar de novo sozinho antes do próximo backup agendado. Quando o problema for resolvido, use “Fazer backup agora”.')).toBeVisible();
    await expect(card.getByRole('button', { name: 'Fazer backup agora de Documentos' })).toBeEnabled();
    expect(await page.locator('main').innerText()).not.toMatch(jargon);
    await noHorizontalScroll(page);
    await page.screenshot({ path: screenshotPath('status-gave-up-360'), fullPage: true });
  });
});

test('a backup that just ended never reads "em 13 segundos" when the server clock runs ahead of the browser', async ({ page, cofre }) => {
  await asTechnician(cofre);
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');
  // This window's clock is two minutes behind the agent's: the backup looks like it ends in the future.
  await page.clock.install({ time: new Date(Date.now() - 120_000) });
  await page.goto(cofre.url);
  const card = page.getByRole('article', { name: 'Documentos' });
  await expect(card.getByText('agora há pouco')).toBeVisible();
  await page.clock.runFor(31_000); // the relative clock refreshes every 30 s
  await expect(card.getByText('agora há pouco')).toBeVisible();
  expect(await card.innerText()).not.toMatch(/\bem \d+ (segundos?|minutos?)\b/);
  await page.screenshot({ path: screenshotPath('status-clock-skew') });
});

test('an old tab after "cofre serve" restarted says the page must be reopened instead of a green "protegidos"', async ({ page, cofre }) => {
  await asTechnician(cofre);
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');
  let restarted = false;
  // The first event stream ends as the agent stops; the restarted agent refuses the old token (401).
  await page.route('**/api/events', async (route) => {
    if (!restarted) {
      restarted = true;
      await route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: ': agent stopping\n\n' });
      return;
    }
    await route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'server.unauthorized', message: 'unauthorized' } }) });
  });
  await page.goto(cofre.url);
  await expect(page.getByRole('alert').getByText('O Cofre foi reiniciado e esta página não está mais ligada a ele.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/abra o Cofre de novo pelo novo endereço/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Seus arquivos estão protegidos' })).toHaveCount(0);
  await expect(page.getByText(/Reconectando/)).toHaveCount(0);
  await page.setViewportSize({ width: 380, height: 560 });
  await page.screenshot({ path: screenshotPath('status-token-changed-380') });
});

test('two plans: each "Fazer backup agora" names its plan, plans show their label, and a skip link leads to the content', async ({ page, cofre }) => {
  await asTechnician(cofre);
  const config = JSON.parse(cofre.backrestConfig({ planId: 'p' })) as { plans: Array<Record<string, unknown>> };
  config.plans.push({ ...config.plans[0], id: 'financeiro-2024' });
  await cofre.api('importBackrest', { content: JSON.stringify(config) });
  await cofre.api('setPlanLabel', { planId: 'p', label: 'Documentos da Secretaria' });

  await page.goto(cofre.url);
  await expect(page.getByRole('heading', { level: 2, name: 'Documentos da Secretaria' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Financeiro 2024' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'p', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Fazer backup agora de Documentos da Secretaria' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Fazer backup agora de Financeiro 2024' })).toHaveCount(1);
  // The test's API session is the technician; this window is not (sessions are per tab, never shared).
  await expect(page.getByRole('button', { name: /^Renomear / })).toHaveCount(0);
  expect((await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('cofre.session')))).toMatch(/^[0-9a-f]{32}$/);

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Pular para o conteúdo' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.screenshot({ path: screenshotPath('status-skip-link') });
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  // The id stays the key Backrest knows; only Cofre's sidecar holds the label.
  const exported = await cofre.api<{ content: string }>('exportBackrest', { includeSecrets: false });
  expect(JSON.parse(exported.content).plans.map((p: { id: string }) => p.id)).toEqual(['p', 'financeiro-2024']);
  expect(exported.content).not.toContain('Documentos da Secretaria');
});

test.describe('a broken machine policy', () => {
  test.use({ cofreOptions: { policy: { capabilities: 'todas', locked: 'tudo' } } });

  test('says the policy file is broken instead of "você ainda pode escolher o idioma"', async ({ page, cofre }) => {
    await page.goto(cofre.url);
    await expect(page.getByText('O arquivo de política deste computador (policy.json) está com defeito.')).toBeVisible();
    await expect(page.getByText(/o idioma e as notificações ficam bloqueados até o técnico corrigir o arquivo/)).toBeVisible();
    await page.setViewportSize({ width: 380, height: 560 });
    await noHorizontalScroll(page);
    await page.screenshot({ path: screenshotPath('status-policy-broken-380'), fullPage: true });
  });
});

// Issue 13: the window says which Cofre keeps the backups. Here it is `cofre serve`, so the quiet
// line under the plans names the windowless mode, never the machine's service.
test('the status screen says quietly that this Cofre runs windowless in the browser, at desktop and at tray size, in both languages', async ({ page, cofre }) => {
  await asTechnician(cofre);
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  expect((await cofre.api<{ agentMode: string }>('getAppInfo', {})).agentMode).toBe('serve');

  await page.goto(cofre.url);
  await expect(page.getByRole('article', { name: 'Documentos' })).toBeVisible();
  const line = page.locator('footer.support').getByText('Cofre no modo sem janela (aberto no navegador)', { exact: true });
  await expect(line).toBeVisible();
  await expect(page.getByText(/serviço Cofre deste computador|sessão de usuário/)).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('status-agent-mode-desktop'), fullPage: true });

  await page.setViewportSize({ width: 360, height: 520 });
  await line.scrollIntoViewIfNeeded();
  await expect(line).toBeInViewport({ ratio: 1 });
  await noHorizontalScroll(page);
  // What the popover shows once scrolled to the end (a full-page shot would paint the sticky header mid-page).
  await page.screenshot({ path: screenshotPath('status-agent-mode-360') });

  await cofre.api('setPreferences', { language: 'en' });
  await page.reload();
  await expect(page.locator('footer.support').getByText('Cofre in windowless mode (open in the browser)', { exact: true })).toBeVisible();
  await noHorizontalScroll(page);
});

for (const size of [{ width: 360, height: 520 }, { width: 380, height: 560 }]) {
  test(`at tray size ${size.width}x${size.height} status and history never scroll sideways; history is a list`, async ({ page, cofre }) => {
    await asTechnician(cofre);
    await cofre.api('importBackrest', { content: cofre.backrestConfig({ planId: 'documentos-da-secretaria-municipal-de-educacao' }) });
    await cofre.backup('documentos-da-secretaria-municipal-de-educacao');
    await cofre.api('importBackrest', { content: cofre.backrestConfig({ planId: 'documentos-da-secretaria-municipal-de-educacao', repoPassword: 'outra-senha-qualquer-1', autoInitialize: false }) });
    await cofre.api('runBackup', { planId: 'documentos-da-secretaria-municipal-de-educacao' });
    await expect.poll(() => lastBackupEnded(cofre), { timeout: 60_000 }).toBe('failure');

    await page.setViewportSize(size);
    await page.goto(cofre.url);
    await expect(page.getByRole('article', { name: 'Documentos da secretaria municipal de educacao' })).toBeVisible();
    await noHorizontalScroll(page);
    await page.screenshot({ path: screenshotPath(`tray-${size.width}-status`), fullPage: true });

    await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Histórico' }).click();
    await expect(page.locator('table.history').getByText('Sucesso')).toBeVisible();
    await page.getByRole('button', { name: 'Detalhes' }).first().click();
    await noHorizontalScroll(page);
    // Rows are stacked cards: each value carries its label, no column is cut.
    const row = page.locator('table.history tbody tr').first();
    const box = await row.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(size.width);
    await expect(page.getByText(/de dados novos enviados · .* nas pastas/).first()).toBeVisible();
    expect(await page.locator('main').innerText()).not.toMatch(jargon);
    await page.screenshot({ path: screenshotPath(`tray-${size.width}-history`), fullPage: true });
  });
}
