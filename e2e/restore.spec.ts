// "Preciso da versão de ontem desta planilha": the user picks the older backup, finds the document
// by searching (without typing the accent), restores it to its original place keeping both, and
// finds on disk today's file untouched and yesterday's beside it with the backup date in its name.
import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, screenshotPath, test } from './support/cofre.js';

const documentName = 'Relatório de vendas.txt';
const yesterdayText = 'Vendas de ontem: 1.234 unidades\n';
const todayText = 'Vendas de hoje: 987 unidades (revisado)\n';

/** The backup date as the restored copy carries it: `2026-11-25 14.30`, local time. */
function stamp(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}.${pad(d.getMinutes())}`;
}

test("user restores yesterday's version of a document and keeps today's", async ({ page, cofre }) => {
  const document = join(cofre.documents, documentName);
  await writeFile(join(cofre.documents, 'Ata da reunião.txt'), 'Presentes: Ana, João\n');
  await writeFile(document, yesterdayText);
  const yesterday = new Date(Date.now() - 26 * 3600_000);
  await utimes(document, yesterday, yesterday);
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  const older = await cofre.backup('documentos');
  await writeFile(document, todayText);
  const newer = await cofre.backup('documentos');
  expect(newer).not.toBe(older);
  const snapshots = await cofre.api<Array<{ id: string; shortId: string; time: string }>>('listSnapshots', {});
  const olderSnapshot = snapshots.find((s) => s.id === older)!;

  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Restaurar' }).click();

  // The timeline shows both backups; the newest is selected, the user picks the older one.
  const olderButton = page.getByRole('button', { name: new RegExp(`^Backup de .*\\(${olderSnapshot.shortId}\\)$`) });
  await expect(page.getByRole('button', { name: /^Backup de / })).toHaveCount(2);
  await olderButton.click();
  await expect(olderButton).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('checkbox', { name: `Selecionar ${documentName}` })).toBeVisible();
  await page.screenshot({ path: screenshotPath('restore-browser') });

  // Search without the accent, in this backup only.
  await page.getByRole('searchbox', { name: 'Pesquisar arquivos' }).fill('relatorio');
  await page.getByRole('button', { name: 'Pesquisar', exact: true }).click();
  await expect(page.getByText('1 arquivo encontrado')).toBeVisible();
  await page.getByRole('checkbox', { name: `Selecionar ${documentName}` }).check();
  await page.getByRole('button', { name: 'Restaurar…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Restaurar arquivos' });
  await expect(dialog.getByRole('radio', { name: /De volta ao lugar original/ })).toBeChecked();
  await expect(dialog.getByRole('radio', { name: /Manter os dois/ })).toBeChecked();
  await page.screenshot({ path: screenshotPath('restore-dialog') });
  await dialog.getByRole('button', { name: 'Restaurar', exact: true }).click();

  const done = page.getByRole('dialog', { name: 'Restauração concluída' });
  await expect(done).toBeVisible({ timeout: 60_000 });
  await expect(done.getByText('Mantidos os dois (arquivo atual intacto)')).toBeVisible();
  await page.screenshot({ path: screenshotPath('restore-result') });
  await done.getByRole('button', { name: 'Concluir' }).click();
  await expect(done).toBeHidden();

  // On disk: today's file untouched, yesterday's beside it with the backup date in its name.
  const keptName = `Relatório de vendas (${stamp(olderSnapshot.time)}).txt`;
  expect((await readdir(cofre.documents)).sort()).toEqual(['Ata da reunião.txt', documentName, keptName].sort());
  expect(await readFile(document, 'utf8')).toBe(todayText);
  expect(await readFile(join(cofre.documents, keptName), 'utf8')).toBe(yesterdayText);
});
