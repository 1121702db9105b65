// The repository password in the settings is wrong (typo, or the server's repository was recreated).
// The user sees, in Portuguese, what is wrong and what to do: never a stack trace or restic's raw text.
import { rawRestic, restRepoEnv, resticBinary } from '../test/fixtures/index.js';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

async function initRepoWithRightPassword(cofre: Cofre): Promise<void> {
  const restic = resticBinary('0.18');
  const env = { ...restRepoEnv(restic, cofre.repoUri, { user: cofre.restUser, password: cofre.restPassword }), RESTIC_PASSWORD: cofre.repoPassword };
  await rawRestic(restic.bin, ['init'], env);
}

/** Text a person should never see in the window. */
const debugNoise = /\n\s+at \S+|\bError:|\.tsx?:\d+|node_modules|Fatal:|wrong password or no key found/;

test('a wrong repository password shows the translated cause and the action, not a stack trace', async ({ page, cofre }) => {
  await initRepoWithRightPassword(cofre);
  const wrong = 'senha-errada-123';
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ repoPassword: wrong, autoInitialize: false }) });

  await page.goto(cofre.url);
  await page.getByRole('button', { name: 'Fazer backup agora' }).click();

  const banner = page.getByRole('region', { name: 'O último backup falhou' });
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(banner.getByText('A senha do repositório está errada.')).toBeVisible();
  await expect(banner.getByText('Informe a senha com que o repositório foi criado (Configurações → Repositórios) e teste a conexão.')).toBeVisible();
  await expect(page.getByRole('article', { name: 'documentos' }).getByText('Falhou').first()).toBeVisible();
  // This window is the technician's (no technician password here): never "ask the technician".
  expect(await page.locator('main').innerText()).not.toMatch(/Peça ao técnico/);
  await page.screenshot({ path: screenshotPath('status-failed') });
  const statusText = await page.locator('body').innerText();
  expect(statusText).not.toMatch(debugNoise);
  expect(statusText).not.toContain(wrong);

  // The history row explains the same cause in its details.
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Histórico' }).click();
  await page.getByRole('row').filter({ hasText: 'Falhou' }).getByRole('button', { name: 'Detalhes' }).click();
  await expect(page.getByText('A senha do repositório está errada.').first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('history-failure') });

  // Testing the connection in the settings says the same, with the action.
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('button', { name: 'Testar conexão' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'A senha do repositório está errada.' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert.getByText('Informe a senha com que o repositório foi criado (Configurações → Repositórios) e teste a conexão.')).toBeVisible();
  const settingsText = await page.locator('body').innerText();
  expect(settingsText).not.toMatch(debugNoise);
  expect(settingsText).not.toContain(wrong);
});

test('an ordinary word typed earlier as a server password is not masked in later messages ("está errada", never "está ***")', async ({ page, cofre }) => {
  await initRepoWithRightPassword(cofre);
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ repoPassword: 'senha-errada-123', autoInitialize: false }) });
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();

  // The technician first tries the word "errada" as the server password: the server refuses it.
  const serverPassword = page.getByLabel('Senha do servidor');
  await serverPassword.fill('errada');
  await page.getByRole('button', { name: 'Testar conexão' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible({ timeout: 60_000 });

  // With the right server password the repository password is the problem, said in full words.
  await serverPassword.fill(cofre.restPassword);
  await page.getByRole('button', { name: 'Testar conexão' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'A senha do repositório está errada.' })).toBeVisible({ timeout: 60_000 });
  const text = await page.locator('main').innerText();
  expect(text).not.toContain('***');
  expect(text).not.toContain(cofre.restPassword);
});
