// The technician in Configurações: an invalid plan name is refused and never saved, a password the
// connection test just refused is not saved without a warning, switching to a custom cron keeps
// the schedule, and "Inicializar" on an imported repository says what it did.
import { rawRestic, restRepoEnv, resticBinary } from '../test/fixtures/index.js';
import type { Page } from '@playwright/test';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Seções principais' });

async function openSettings(page: Page, cofre: Cofre, tab: 'Repositórios' | 'Planos') {
  await page.goto(cofre.url);
  await nav(page).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: tab }).click();
}

interface Loaded { config: { plans: Array<{ id: string; schedule?: { cron?: string } }> } }

test('a plan named "Meus Documentos" is refused and never saved; the field stays editable', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  await openSettings(page, cofre, 'Planos');
  await page.getByRole('button', { name: 'Adicionar plano' }).click();
  const id = page.getByRole('textbox', { name: 'Identificador técnico' });
  await id.fill('Meus Documentos');
  const save = page.getByRole('button', { name: 'Salvar configurações' });
  await expect(save).toBeDisabled();
  await expect(page.getByText(/Corrija-os para salvar; nada foi salvo/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('settings-invalid-plan-id') });

  // Going to another tab and back keeps what was typed, still refused, still editable.
  await page.getByRole('tab', { name: 'Repositórios' }).click();
  await page.getByRole('tab', { name: 'Planos' }).click();
  await page.getByRole('button', { name: /^plano/i }).click();
  await expect(id).toHaveValue('Meus Documentos');
  await expect(id).toBeEditable();
  await expect(save).toBeDisabled();
  await expect(page.getByText('Configurações salvas.')).toHaveCount(0);
  expect((await cofre.api<Loaded>('getConfig')).config.plans.map((p) => p.id)).toEqual(['documentos']);

  // A valid name saves, and only then.
  await id.fill('meus-documentos');
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page.getByText('Configurações salvas.')).toBeVisible();
  expect((await cofre.api<Loaded>('getConfig')).config.plans.map((p) => p.id).sort()).toEqual(['documentos', 'meus-documentos']);
});

test('switching the schedule to "Personalizado (cron)" keeps the time that was set', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  await openSettings(page, cofre, 'Planos');
  const mode = page.getByRole('combobox', { name: 'Frequência' });
  await mode.selectOption({ label: 'Todo dia' });
  // The time is Cofre's own hour and minute lists (they follow the app's language, not the browser's).
  await page.getByRole('combobox', { name: 'Hora', exact: true }).first().selectOption('9');
  await page.getByRole('combobox', { name: 'Minuto', exact: true }).first().selectOption('30');
  await mode.selectOption({ label: 'Personalizado (cron)' });
  await expect(page.getByRole('textbox', { name: 'Expressão cron' })).toHaveValue('30 9 * * *');
  await page.getByRole('button', { name: 'Salvar configurações' }).click();
  await expect(page.getByText('Configurações salvas.')).toBeVisible();
  expect((await cofre.api<Loaded>('getConfig')).config.plans[0]!.schedule?.cron).toBe('30 9 * * *');
});

test('saving a repository password the connection test just refused asks first', async ({ page, cofre }) => {
  const restic = resticBinary('0.18');
  await rawRestic(restic.bin, ['init'], { ...restRepoEnv(restic, cofre.repoUri, { user: cofre.restUser, password: cofre.restPassword }), RESTIC_PASSWORD: cofre.repoPassword });
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  await openSettings(page, cofre, 'Repositórios');
  await page.getByLabel(/^Senha do repositório/).fill('uma-senha-que-nao-e-a-certa');
  await page.getByRole('button', { name: 'Testar conexão' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /senha do repositório está errada/i }).first()).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Salvar configurações' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'O teste de conexão acabou de recusar a senha digitada para servidor.' });
  await expect(warning).toBeVisible();
  await page.screenshot({ path: screenshotPath('settings-refused-password') });
  await warning.getByRole('button', { name: 'Voltar e corrigir' }).click();
  await expect(page.getByText('Configurações salvas.')).toHaveCount(0);
  // The stored password is still the right one: a backup works.
  await cofre.backup('documentos');
});

test('"Inicializar" on an imported repository says what it did', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  await page.setViewportSize({ width: 380, height: 560 });
  await openSettings(page, cofre, 'Repositórios');
  await page.getByRole('button', { name: 'Inicializar' }).click();
  // The result appears where the technician is looking: next to the button, not below the diagnostics.
  const result = page.getByRole('status').filter({ hasText: 'Repositório inicializado.' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  const [button, note] = await Promise.all([page.getByRole('button', { name: 'Inicializar' }).boundingBox(), result.boundingBox()]);
  expect(note!.y - (button!.y + button!.height)).toBeLessThan(200);
  await page.screenshot({ path: screenshotPath('settings-init-result') });
  await page.getByRole('button', { name: 'Inicializar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'O repositório já existia; nada foi alterado.' })).toBeVisible({ timeout: 60_000 });
});

interface StatusView { plans: Array<{ planId: string; label?: string | null }> }

test('the technician names the plans in Configurações: the name is the title, the technical id stays and is shown small', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  await openSettings(page, cofre, 'Planos');
  const list = page.getByRole('list', { name: 'Planos' });
  await expect(list.getByRole('button').first().locator('.item-title')).toHaveText('Documentos');
  await page.getByRole('textbox', { name: 'Nome do plano' }).fill('Documentos da Secretaria');
  // A saved plan's id is not a field any more: it is a small technical line.
  await expect(page.getByRole('textbox', { name: 'Identificador técnico' })).toHaveCount(0);
  await expect(page.getByText('Identificador técnico: documentos')).toBeVisible();
  await expect(list.getByRole('button').first().locator('.item-title')).toHaveText('Documentos da Secretaria');

  // A new plan gets a name and an id before it is saved; the name follows the id as it is typed.
  await page.getByRole('button', { name: 'Adicionar plano' }).click();
  await page.getByRole('textbox', { name: 'Nome do plano' }).fill('Planilhas do RH');
  await page.getByRole('textbox', { name: 'Identificador técnico' }).fill('planilhas-rh');
  await page.getByRole('button', { name: 'Salvar configurações' }).click();
  await expect(page.getByText('Configurações salvas.')).toBeVisible();
  await expect(page.getByText('Todas as alterações estão salvas.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('settings-plan-labels') });

  const status = await cofre.api<StatusView>('getStatus');
  expect(status.plans.map((p) => [p.planId, p.label])).toEqual([['documentos', 'Documentos da Secretaria'], ['planilhas-rh', 'Planilhas do RH']]);
  expect((await cofre.api<Loaded>('getConfig')).config.plans.map((p) => p.id)).toEqual(['documentos', 'planilhas-rh']);
  await expect(list.getByRole('button', { name: /^Planilhas do RH planilhas-rh/ })).toBeVisible();
  await page.setViewportSize({ width: 380, height: 560 });
  await page.screenshot({ path: screenshotPath('settings-plan-labels-380') });

  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Estado' }).click();
  await expect(page.getByRole('article', { name: 'Documentos da Secretaria' })).toBeVisible();
});
