// "Fazer backup agora": the user starts a backup from the status screen, sees it running with its
// progress, and then sees the protected state with the time of the backup.
import { generateTree } from '../test/fixtures/index.js';
import { expect, screenshotPath, test } from './support/cofre.js';

test('user backs up now, sees the backup running and then protected with the time', async ({ page, cofre }) => {
  // Enough data that restic runs for a moment, so the running state is visible.
  await generateTree(cofre.documents, { files: 400, dirs: 12, minSize: 40_000, maxSize: 200_000, seed: 7 });
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });

  await page.goto(cofre.url);
  const card = page.getByRole('article', { name: 'documentos' });
  await expect(card.getByText('Ainda sem backup').first()).toBeVisible();

  await card.getByRole('button', { name: 'Fazer backup agora' }).click();

  // Running: the progress bar of this plan and a way to cancel.
  await expect(page.getByRole('progressbar', { name: 'Progresso do backup de documentos' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Cancelar backup' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('status-running') });

  // Done: protected, the last backup is "agora" / "há N segundos", the result is a success.
  await expect(page.getByRole('heading', { level: 1, name: 'Seus arquivos estão protegidos' })).toBeVisible({ timeout: 90_000 });
  await expect(card.getByText(/^(agora há pouco|há \d+ minutos?)$/)).toBeVisible();
  await expect(card.getByText('Em dia')).toBeVisible();
  await expect(card.getByRole('button', { name: 'Fazer backup agora' })).toBeEnabled();
  await page.screenshot({ path: screenshotPath('status-ok') });

  // Pausing for an hour says so, and resuming brings the protected state back.
  await page.getByRole('button', { name: 'Pausar backups' }).click();
  await page.getByRole('menuitem', { name: 'Por 1 hora' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Os backups estão pausados' })).toBeVisible();
  await expect(page.getByText(/^Pausado até /)).toBeVisible();
  await page.screenshot({ path: screenshotPath('status-paused') });
  await page.getByRole('button', { name: 'Retomar backups' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Seus arquivos estão protegidos' })).toBeVisible();

  // The history lists the backup as a success.
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Histórico' }).click();
  const row = page.getByRole('row').filter({ hasText: 'documentos' }).first();
  await expect(row).toBeVisible();
  await expect(row.getByText('Sucesso')).toBeVisible();
  await page.screenshot({ path: screenshotPath('history') });
});
