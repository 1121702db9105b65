// First run: a new computer. The user (or the technician beside them) connects Cofre to the
// organization's REST server: address, server user and password, repository password; tests the
// connection, initialises the repository and lands on the status screen with "not yet backed up".
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshotPath, test } from './support/cofre.js';

test('user connects Cofre to the server, tests the connection, initialises and sees "not yet backed up"', async ({ page, cofre }) => {
  await page.goto(cofre.url);
  await expect(page.getByRole('heading', { level: 1, name: 'O Cofre ainda não foi configurado' })).toBeVisible();
  await page.getByRole('link', { name: 'Configurar o Cofre' }).click();

  await expect(page.getByRole('heading', { name: 'Bem-vindo ao Cofre' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('first-run') });
  await page.getByRole('button', { name: /Conectar ao servidor da organização/ }).click();

  await page.getByRole('textbox', { name: 'Endereço do repositório' }).fill(cofre.repoUri);
  await page.getByRole('textbox', { name: 'Usuário do servidor' }).fill(cofre.restUser);
  await page.getByLabel('Senha do servidor').fill(cofre.restPassword);
  await page.getByLabel('Senha do repositório').fill(cofre.repoPassword);
  await page.getByRole('textbox', { name: /Pastas/ }).fill(cofre.documents);
  // Before saving, the wizard says what it will protect and for how long, and both can be changed.
  await expect(page.getByText(`O Cofre vai proteger ${cofre.documents} e guardar um ano: cada dia da última semana, cada semana do último mês, cada mês do último ano.`)).toBeVisible();
  await page.getByLabel('Por quanto tempo guardar os backups').selectOption({ label: 'Um mês: um backup de cada um dos últimos 30 dias' });
  await expect(page.getByText(`O Cofre vai proteger ${cofre.documents} e guardar um mês: um backup de cada um dos últimos 30 dias.`)).toBeVisible();

  await page.getByRole('button', { name: 'Testar conexão' }).click();
  await expect(page.getByText('A conexão funciona. O repositório ainda não existe e será criado quando você inicializá-lo.')).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('first-run-server') });

  await page.getByRole('button', { name: 'Salvar e inicializar' }).click();

  // Back on the status screen: configured, one plan, nothing backed up yet.
  await expect(page.getByRole('heading', { level: 1, name: 'O Cofre ainda não foi configurado' })).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Ainda sem backup' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'documentos' }).getByText('Ainda sem backup').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Fazer backup agora de Documentos' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('status-never') });

  // The repository really exists on the server now.
  const repoName = new URL(cofre.repoUri.replace(/^rest:/, '')).pathname.replace(/\//g, '');
  expect(existsSync(join(cofre.rest.dataDir, repoName, 'config'))).toBe(true);
  const { config } = await cofre.api<{ config: { repos: Array<{ uri: string; password?: string }>; plans: Array<{ paths: string[]; retention?: unknown }> } }>('getConfig', {});
  expect(config.plans[0]?.retention).toMatchObject({ policyTimeBucketed: { daily: 30 } });
  expect(config.repos.map((r) => r.uri)).toEqual([cofre.repoUri]);
  expect(config.repos[0]?.password).toBeUndefined(); // the password lives in the secret store
  expect(config.plans[0]?.paths).toEqual([cofre.documents]);
});

// Enrolling with what IT prepared: the wizard shows the folders and how long backups are kept
// before anything is saved, lets the person change them, and shows a setting IT locked as locked.
test.describe('enrolling with the organization’s configuration', () => {
  test.describe('IT locked how long backups are kept', () => {
    test.use({
      cofreOptions: {
        policy: ({ repoUri, restUser, restPassword }) => ({
          enrollment: { uriTemplate: repoUri, restUsername: restUser, restPassword, retention: { policyTimeBucketed: { daily: 10, monthly: 6 } } },
          locked: ['plans.documentos.retention'],
        }),
      },
    });

    test('the clerk sees what is protected and for how long, changes the folders, and cannot change the locked retention', async ({ page, cofre }) => {
      await page.goto(cofre.url);
      await page.getByRole('link', { name: 'Configurar o Cofre' }).click();
      await page.getByRole('button', { name: /Usar a configuração da minha organização/ }).click();

      const step = page.getByRole('group', { name: 'O que será protegido e por quanto tempo' });
      await expect(step).toBeVisible();
      // The locked retention is shown in words, with no control to change it.
      await expect(step.getByText('Como definido pelo técnico: manter 10 diários e 6 mensais', { exact: true })).toBeVisible();
      await expect(step.getByRole('combobox')).toHaveCount(0);
      await expect(step.getByText('Definido pelo técnico; não pode ser mudado aqui.')).toBeVisible();
      await expect(step.getByText(`O Cofre vai proteger ${cofre.home} e guardar como definido pelo técnico:`, { exact: false })).toBeVisible();

      const folders = step.getByRole('textbox', { name: /Pastas que entram no backup/ });
      await expect(folders).toBeEditable();
      await folders.fill(cofre.documents);
      await expect(step.getByText(`O Cofre vai proteger ${cofre.documents} e guardar`, { exact: false })).toBeVisible();
      await page.getByLabel('Senha do repositório').fill(cofre.repoPassword);
      await page.screenshot({ path: screenshotPath('first-run-enroll'), fullPage: true });
      await page.setViewportSize({ width: 380, height: 560 });
      await step.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('first-run-enroll-380') });

      await page.getByRole('button', { name: 'Conectar' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Ainda sem backup' })).toBeVisible({ timeout: 60_000 });
      const { config } = await cofre.api<{ config: { plans: Array<{ id: string; paths: string[]; retention?: unknown }> } }>('getConfig', {});
      expect(config.plans).toMatchObject([{ id: 'documentos', paths: [cofre.documents], retention: { policyTimeBucketed: { daily: 10, monthly: 6 } } }]);
    });
  });

  test.describe('nothing locked', () => {
    test.use({ cofreOptions: { policy: ({ repoUri, restUser, restPassword }) => ({ enrollment: { uriTemplate: repoUri, restUsername: restUser, restPassword, paths: ['{home}/Documentos'] } }) } });

    test('the clerk keeps backups for a month instead of the year IT proposed', async ({ page, cofre }) => {
      await page.goto(cofre.url);
      await page.getByRole('link', { name: 'Configurar o Cofre' }).click();
      await page.getByRole('button', { name: /Usar a configuração da minha organização/ }).click();
      const step = page.getByRole('group', { name: 'O que será protegido e por quanto tempo' });
      // IT's folders ({home} expanded) and the year IT's policy implies are what the wizard starts from.
      await expect(step.getByRole('textbox', { name: /Pastas que entram no backup/ })).toHaveValue(cofre.documents);
      await expect(step.getByText(`O Cofre vai proteger ${cofre.documents} e guardar um ano: cada dia da última semana, cada semana do último mês, cada mês do último ano.`)).toBeVisible();
      await step.getByLabel('Por quanto tempo guardar os backups').selectOption({ label: 'Um mês: um backup de cada um dos últimos 30 dias' });
      await expect(step.getByText(`O Cofre vai proteger ${cofre.documents} e guardar um mês: um backup de cada um dos últimos 30 dias.`)).toBeVisible();
      await page.getByLabel('Senha do repositório').fill(cofre.repoPassword);
      await page.getByRole('button', { name: 'Conectar' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Ainda sem backup' })).toBeVisible({ timeout: 60_000 });
      const { config } = await cofre.api<{ config: { plans: Array<{ paths: string[]; retention?: unknown }> } }>('getConfig', {});
      expect(config.plans[0]).toMatchObject({ paths: [cofre.documents], retention: { policyTimeBucketed: { daily: 30 } } });
    });
  });
});
