// A computer managed by IT: the policy defines the repository and the plan, locks them, and protects
// the settings with a technician password. The user cannot change the locked settings; a wrong
// technician password is refused and the right one opens the settings, still locked where IT said.
import { expect, screenshotPath, test } from './support/cofre.js';

const technicianPassword = 'tecnico-Batatais-2040';

test.describe('a computer managed by a machine policy', () => {
  test.use({
    cofreOptions: {
      technicianPassword,
      policy: ({ repoUri, documents, restUser, restPassword, repoPassword }) => ({
        branding: { organization: 'Prefeitura Municipal de Batatais', supportContact: 'Departamento de TI — ramal 2040' },
        capabilities: { openSettings: false, overwriteOnRestore: false },
        locked: ['repos', 'plans'],
        managed: {
          repos: [{
            id: 'servidor-prefeitura',
            uri: repoUri,
            password: repoPassword,
            env: [`RESTIC_REST_USERNAME=${restUser}`, `RESTIC_REST_PASSWORD=${restPassword}`],
            autoInitialize: true,
          }],
          plans: [{ id: 'documentos', repo: 'servidor-prefeitura', paths: [documents], schedule: { cron: '0 12 * * 1-5', clock: 'CLOCK_LOCAL' } }],
        },
      }),
    },
  });

  test('locked settings cannot be changed and the technician password gate works', async ({ page, cofre }) => {
    await page.goto(cofre.url);

    // Branding from the policy in the header; the plan card says IT manages it.
    await expect(page.getByRole('link', { name: /Prefeitura Municipal de Batatais/ })).toBeVisible();
    await expect(page.getByText('Gerenciado pela sua organização')).toBeVisible();

    await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
    await expect(page.getByRole('heading', { name: 'Acesso do técnico' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Repositórios' })).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('settings-gate') });

    // A wrong password is refused, in Portuguese.
    await page.getByLabel('Senha do técnico').fill('chute-errado');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Senha do técnico incorreta.' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Repositórios' })).toHaveCount(0);

    // The right one opens the settings.
    await page.getByLabel('Senha do técnico').fill(technicianPassword);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page.getByRole('tab', { name: 'Repositórios' })).toBeVisible();

    // The managed repository is shown locked, with the reason.
    await expect(page.getByText('Este repositório é definido pela política da sua organização e não pode ser alterado aqui.')).toBeVisible();
    const uri = page.getByRole('textbox', { name: 'Endereço do repositório' });
    await expect(uri).toHaveValue(cofre.repoUri);
    await expect(uri).toBeDisabled();
    await expect(page.getByLabel('Senha do repositório')).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Adicionar repositório' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Salvar configurações' })).toBeDisabled();
    await page.screenshot({ path: screenshotPath('settings-locked') });

    // The managed plan too.
    await page.getByRole('tab', { name: 'Planos' }).click();
    await expect(page.getByText('Este plano é definido pela política da sua organização e não pode ser alterado aqui.')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Pastas para o backup' })).toBeDisabled();

    // And the agent refuses a change sent behind the UI's back (the script session is no technician).
    const refused = await fetch(`${cofre.origin}/api/getConfig`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cofre.token}` },
      body: '{}',
    });
    expect(refused.status).toBe(403);
  });
});
