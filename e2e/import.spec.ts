// Issue 10, "Data loss": a technician imports a Backrest file into a Cofre that already backs up.
// The screen shows what will happen first (never the file's passwords), importing adds the file's
// repository and plan while the working ones stay, replacing everything asks first and lists what
// goes away, and "Desfazer importação" brings the previous configuration and passwords back.
import type { Page } from '@playwright/test';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

const filePassword = 'senha-do-financeiro-Backrest-77';
const fileRestPassword = 'rest-do-financeiro-Backrest-88';

function backrestMachine(cofre: Cofre): string {
  return JSON.stringify({
    modno: 12,
    version: 6,
    instance: 'backrest-financeiro',
    repos: [{
      id: 'financeiro',
      uri: cofre.rest.repoUri('financeiro'),
      password: filePassword,
      env: [`RESTIC_REST_USERNAME=${cofre.restUser}`, `RESTIC_REST_PASSWORD=${fileRestPassword}`],
      autoInitialize: true,
    }],
    plans: [{ id: 'planilhas', repo: 'financeiro', paths: [cofre.documents], schedule: { cron: '0 18 * * 1-5', clock: 'CLOCK_LOCAL' } }],
  });
}

interface ConfigView {
  config: { instance: string; repos: Array<{ id: string }>; plans: Array<{ id: string }> };
  secrets: Record<string, { password: boolean; restPassword: boolean }>;
}

async function chooseFile(page: Page, content: string, label = 'Arquivo config.json'): Promise<void> {
  // The chooser is Cofre's own translated button ("Escolher arquivo…"), not the browser's "Choose File".
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: label }).click();
  await (await chooser).setFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(content) });
}

test('a technician imports a Backrest file, keeps the working setup, replaces with confirmation, then undoes', async ({ page, cofre }) => {
  // A Cofre that already works: its repository "servidor" and plan "documentos", instance "e2e".
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  const file = backrestMachine(cofre);

  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Importar / exportar' }).click();
  await chooseFile(page, file);

  // The preview: what is added, what stays, the instance kept; the content itself is not shown.
  const preview = page.locator('.import-preview');
  await expect(preview.getByText('O que a importação vai fazer')).toBeVisible();
  await expect(preview.getByText('1 repositório será adicionado')).toBeVisible();
  await expect(preview.getByText('1 plano será adicionado')).toBeVisible();
  await expect(preview.getByText('1 repositório continua como está')).toBeVisible();
  await expect(preview.getByText('1 plano continua como está')).toBeVisible();
  await expect(preview.getByText('Nome da instância: continua "e2e" (o arquivo usa "backrest-financeiro").')).toBeVisible();
  await expect(preview.getByText('O arquivo traz 2 senhas: elas vão para o armazenamento protegido deste computador e não são mostradas.')).toBeVisible();
  await expect(page.getByLabel('Usar o nome de instância do arquivo')).not.toBeChecked();
  await expect(page.getByText(/Conteúdo carregado \(/)).toBeVisible();
  const shown = await page.locator('body').innerText();
  expect(shown).not.toContain(filePassword);
  expect(shown).not.toContain(fileRestPassword);
  expect(await page.locator('textarea').evaluateAll((boxes) => boxes.map((b) => (b as unknown as { value: string }).value).join(''))).not.toContain(filePassword);
  await page.screenshot({ path: screenshotPath('import-preview') });
  await page.setViewportSize({ width: 380, height: 560 });
  await preview.getByText('1 repositório será adicionado').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('import-preview-added-small') });
  await page.setViewportSize({ width: 1100, height: 760 });

  // Taking the file's instance name says what that costs; unchecking goes back.
  await page.getByLabel('Usar o nome de instância do arquivo').check();
  await expect(preview.getByText(/Nome da instância: muda de "e2e" para "backrest-financeiro"/)).toBeVisible();
  await page.getByLabel('Usar o nome de instância do arquivo').uncheck();
  await expect(preview.getByText(/Nome da instância: continua "e2e"/)).toBeVisible();

  await page.getByRole('button', { name: 'Importar', exact: true }).click();
  const done = page.getByRole('status').filter({ hasText: 'Importação concluída' });
  await expect(done.getByText('Importação concluída: 1 repositório adicionado, 1 plano adicionado.')).toBeVisible();
  await expect(done.getByText('Todo o resto continuou como estava.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Desfazer importação' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('import-done') });

  // The working repository and plan are still there, with their saved passwords; the instance too.
  let view = await cofre.api<ConfigView>('getConfig');
  expect(view.config.instance).toBe('e2e');
  expect(view.config.repos.map((r) => r.id)).toEqual(['servidor', 'financeiro']);
  expect(view.config.plans.map((p) => p.id)).toEqual(['documentos', 'planilhas']);
  expect(view.secrets.servidor).toMatchObject({ password: true, restPassword: true });
  await page.getByRole('tab', { name: 'Repositórios' }).click();
  const repoList = page.getByRole('list', { name: 'Repositórios' });
  await expect(repoList.getByRole('button', { name: /^servidor / })).toBeVisible();
  await expect(repoList.getByRole('button', { name: /^financeiro / })).toBeVisible();

  // Replacing everything asks first and lists what will be removed, with the saved passwords.
  await page.getByRole('tab', { name: 'Importar / exportar' }).click();
  await chooseFile(page, file);
  await expect(preview.getByText('1 repositório do arquivo já está igual')).toBeVisible();
  await page.getByRole('button', { name: 'Substituir toda a configuração…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Substituir toda a configuração?' });
  await expect(dialog.getByText('1 repositório será removido')).toBeVisible();
  await expect(dialog.getByText('servidor')).toBeVisible();
  await expect(dialog.getByText('2 senhas salvas serão apagadas (senha do repositório, RESTIC_REST_PASSWORD)')).toBeVisible();
  await expect(dialog.getByText('1 plano será removido')).toBeVisible();
  await expect(dialog.getByText('documentos')).toBeVisible();
  await page.screenshot({ path: screenshotPath('import-replace-confirm') });

  // Cancel first: nothing changed.
  await dialog.getByRole('button', { name: 'Cancelar' }).click();
  await expect(dialog).toHaveCount(0);
  expect((await cofre.api<ConfigView>('getConfig')).config.repos.map((r) => r.id)).toEqual(['servidor', 'financeiro']);

  await page.getByRole('button', { name: 'Substituir toda a configuração…' }).click();
  await dialog.getByRole('button', { name: 'Substituir e remover' }).click();
  await expect(page.getByText('Configuração substituída: 1 repositório removido, 1 plano removido.')).toBeVisible();
  view = await cofre.api<ConfigView>('getConfig');
  expect(view.config.repos.map((r) => r.id)).toEqual(['financeiro']);
  expect(view.secrets.servidor).toBeUndefined();

  // Undo: the configuration and the passwords from before the replacement come back.
  await page.getByRole('button', { name: 'Desfazer importação' }).click();
  await expect(page.getByText(/^Importação desfeita: a configuração e as senhas voltaram a ser como eram antes da importação de /)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Desfazer importação' })).toHaveCount(0);
  view = await cofre.api<ConfigView>('getConfig');
  expect(view.config.repos.map((r) => r.id)).toEqual(['servidor', 'financeiro']);
  expect(view.config.plans.map((p) => p.id)).toEqual(['documentos', 'planilhas']);
  expect(view.secrets.servidor).toMatchObject({ password: true, restPassword: true });
  await page.screenshot({ path: screenshotPath('import-undone') });

  // A small window: the preview and the confirmation still read well.
  await page.setViewportSize({ width: 380, height: 560 });
  await chooseFile(page, file);
  await expect(preview.getByText('1 repositório do arquivo já está igual')).toBeVisible();
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('import-preview-small') });
  await page.getByRole('button', { name: 'Substituir toda a configuração…' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('import-buttons-small') });
  await page.getByRole('button', { name: 'Substituir toda a configuração…' }).click();
  await expect(dialog.getByText('1 repositório será removido')).toBeVisible();
  await page.screenshot({ path: screenshotPath('import-replace-confirm-small') });
  await dialog.getByRole('button', { name: 'Cancelar' }).click();
});

test('in English, the preview speaks English with correct plurals', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.api('setPreferences', { language: 'en' });
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Main sections' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('tab', { name: 'Import / export' }).click();
  const two = JSON.parse(backrestMachine(cofre)) as { plans: Array<Record<string, unknown>> };
  two.plans.push({ ...two.plans[0], id: 'contratos' });
  // Pasted content is taken from the clipboard event and never shown in the box.
  await page.getByLabel('Or paste its content here').evaluate((box, text) => {
    // Runs in the page (DOM types are not in this project's tsconfig).
    const dom = globalThis as unknown as { DataTransfer: new () => { setData(type: string, value: string): void }; ClipboardEvent: new (type: string, init: object) => unknown };
    const data = new dom.DataTransfer();
    data.setData('text/plain', text);
    (box as unknown as { dispatchEvent(event: unknown): boolean }).dispatchEvent(new dom.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, JSON.stringify(two));
  await expect(page.getByText(/^Content loaded \(/)).toBeVisible();
  expect(await page.locator('body').innerText()).not.toContain(filePassword);
  const preview = page.locator('.import-preview');
  await expect(preview.getByText('1 repository will be added')).toBeVisible();
  await expect(preview.getByText('2 plans will be added')).toBeVisible();
  await expect(preview.getByText('Instance name: stays "e2e" (the file uses "backrest-financeiro").')).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Import finished: 1 repository added, 2 plans added.')).toBeVisible();
});

test('a file Cofre must refuse is refused with the field and the reason, and nothing is written', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Importar / exportar' }).click();
  const bad = JSON.parse(backrestMachine(cofre)) as { plans: Array<Record<string, unknown>> };
  bad.plans[0]!.repo = 'nao-existe';
  await chooseFile(page, JSON.stringify(bad));
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('listitem').filter({ hasText: 'plans[0].repo: indica o repositório "nao-existe", que não existe' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Importar', exact: true })).toBeDisabled();
  expect(await page.locator('body').innerText()).not.toContain(filePassword);
  await page.screenshot({ path: screenshotPath('import-refused') });
  const view = await cofre.api<ConfigView>('getConfig');
  expect(view.config.repos.map((r) => r.id)).toEqual(['servidor']);
});

