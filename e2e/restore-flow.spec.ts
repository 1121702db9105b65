// The clerk moving through time in Restore: she stays in Documentos/Ofícios when she picks last
// week's backup, the versions panel goes away when it no longer fits what she looks at, she
// brings back only the files that are missing, is told before starting that she cannot put files
// in /etc, and, with 88 backups, searches all of them while the search is still being prepared.
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { resticBinary } from '../test/fixtures/index.js';
import { expect, screenshotPath, test, type Cofre } from './support/cofre.js';

const run = promisify(execFile);

const nav = (page: Page) => page.getByRole('navigation', { name: 'Seções principais' });
const currentFolder = (page: Page) => page.getByRole('navigation', { name: 'Caminho da pasta' }).locator('[aria-current="location"]');

async function openRestore(page: Page, cofre: Cofre) {
  await page.goto(cofre.url);
  await nav(page).getByRole('link', { name: 'Restaurar' }).click();
}

/** No sideways scrolling at tray size: the page is never wider than the window. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
}

test('the clerk moves to an older backup and stays in Documentos/Ofícios', async ({ page, cofre }) => {
  const oficios = join(cofre.documents, 'Ofícios');
  await mkdir(oficios, { recursive: true });
  await writeFile(join(oficios, 'Ofício 12-2026.txt'), 'Ofício doze\n');
  await writeFile(join(oficios, 'Ofício 13-2026.txt'), 'Ofício treze\n');
  await writeFile(join(cofre.documents, 'Ata.txt'), 'Ata\n');
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  const older = await cofre.backup('documentos');
  await mkdir(join(cofre.documents, 'Novos'));
  await writeFile(join(cofre.documents, 'Novos', 'Rascunho.txt'), 'novo\n');
  await writeFile(join(oficios, 'Ofício 13-2026.txt'), 'Ofício treze, revisado\n');
  const newer = await cofre.backup('documentos');
  const snapshots = await cofre.api<Array<{ id: string; shortId: string }>>('listSnapshots', {});
  const olderButton = page.getByRole('button', { name: new RegExp(`\\(${snapshots.find((s) => s.id === older)!.shortId}\\)$`) });
  const newerButton = page.getByRole('button', { name: new RegExp(`\\(${snapshots.find((s) => s.id === newer)!.shortId}\\)$`) });

  await openRestore(page, cofre);
  // Each backup in the timeline names its plan the way people read it, never a snapshot id.
  const olderShortId = snapshots.find((s) => s.id === older)!.shortId;
  await expect(olderButton).toContainText('Documentos');
  await expect(olderButton).not.toContainText(olderShortId);
  await page.getByRole('button', { name: 'Ofícios', exact: true }).click();
  await expect(currentFolder(page)).toHaveText('Ofícios');

  // The versions panel of a file is open; choosing another date closes it and keeps the folder.
  await page.getByRole('button', { name: 'Versões de Ofício 13-2026.txt' }).click();
  await expect(page.getByRole('heading', { name: 'Versões de Ofício 13-2026.txt' })).toBeVisible();
  await olderButton.click();
  await expect(olderButton).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { name: 'Versões de Ofício 13-2026.txt' })).toBeHidden();
  await expect(currentFolder(page)).toHaveText('Ofícios');
  await expect(page.getByRole('checkbox', { name: 'Selecionar Ofício 12-2026.txt' })).toBeVisible();

  // A folder that does not exist in the older backup: she lands in its nearest parent.
  await newerButton.click();
  await page.getByRole('button', { name: 'Documentos', exact: true }).click();
  await page.getByRole('button', { name: 'Novos', exact: true }).click();
  await expect(currentFolder(page)).toHaveText('Novos');
  await page.getByRole('button', { name: 'Versões de Rascunho.txt' }).click();
  await olderButton.click();
  await expect(currentFolder(page)).toHaveText('Documentos');
  await expect(page.getByRole('heading', { name: 'Versões de Rascunho.txt' })).toBeHidden();

  // Opening another folder also closes the versions panel.
  await page.getByRole('button', { name: 'Versões de Ata.txt' }).click();
  await page.getByRole('button', { name: 'Ofícios', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Versões de Ata.txt' })).toBeHidden();

  // Select-all in the folder.
  await page.getByRole('checkbox', { name: 'Selecionar tudo nesta pasta' }).check();
  await expect(page.getByText('2 itens selecionados')).toBeVisible();
  await page.screenshot({ path: screenshotPath('restore-flow-desktop') });
  await page.getByRole('checkbox', { name: 'Selecionar tudo nesta pasta' }).uncheck();
  await expect(page.getByText('Marque os arquivos e pastas que você quer de volta.')).toBeVisible();
});

test('the clerk restores only the missing files, is told before starting what she may not do, and finds out what came back', async ({ page, cofre }) => {
  const oficios = join(cofre.documents, 'Ofícios');
  await mkdir(oficios, { recursive: true });
  for (const n of [1, 2, 3]) await writeFile(join(oficios, `Ofício ${n}.txt`), `Ofício ${n}\n`);
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');
  // Today: one file is gone, another was changed.
  await rm(join(oficios, 'Ofício 2.txt'));
  await writeFile(join(oficios, 'Ofício 3.txt'), 'Ofício 3, mudado hoje\n');

  await page.setViewportSize({ width: 380, height: 560 });
  await openRestore(page, cofre);
  await page.getByRole('checkbox', { name: 'Selecionar Ofícios' }).check();
  await page.getByRole('button', { name: 'Restaurar…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Restaurar arquivos' });

  // Another folder outside her own: refused inline as soon as she leaves the field; nothing lost.
  await dialog.getByRole('radio', { name: /Para outra pasta/ }).check();
  await dialog.getByRole('textbox', { name: 'Pasta de destino' }).fill('/etc');
  await dialog.getByRole('radio', { name: /Pular/ }).check();
  await dialog.getByRole('textbox', { name: 'Pasta de destino' }).blur();
  await expect(dialog.getByText(/Não é possível colocar os arquivos restaurados em \/etc/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Restaurar', exact: true })).toBeDisabled();
  await expect(dialog.getByRole('textbox', { name: 'Pasta de destino' })).toHaveValue('/etc');
  await expect(dialog.getByRole('radio', { name: /Pular/ })).toBeChecked();
  await dialog.getByText(/Não é possível colocar/).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('restore-flow-refused-tray') });

  // Back to the original place, only what is missing.
  await dialog.getByRole('radio', { name: /De volta ao lugar original/ }).check();
  await dialog.getByRole('checkbox', { name: /Só os arquivos que faltam/ }).check();
  await expect(dialog.getByText('Falta 1 arquivo, que vai voltar; os outros ficam como estão.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('restore-flow-missing-tray') });
  await dialog.getByRole('button', { name: 'Restaurar', exact: true }).click();

  const done = page.getByRole('dialog', { name: 'Restauração concluída' });
  await expect(done).toBeVisible({ timeout: 60_000 });
  await expect(done.getByRole('listitem').filter({ hasText: 'Ofício 2.txt' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('restore-flow-done-tray') });
  await done.getByRole('button', { name: 'Concluir' }).click();
  await expect(done).toBeHidden();
  // Focus lands on the sentence that says what came back, not on <body>.
  const note = page.getByText('"Ofício 2.txt" foi restaurado do backup de', { exact: false });
  await expect(note).toBeFocused();
  await expectNoSidewaysScroll(page);

  // On disk: the missing file is back, the changed one untouched, no "(date)" copies.
  expect((await readdir(oficios)).sort()).toEqual(['Ofício 1.txt', 'Ofício 2.txt', 'Ofício 3.txt']);
});

/** Snapshots made directly with restic at given times, tagged as Cofre's plan `documentos`. */
async function backupsAt(cofre: Cofre, times: Date[]) {
  const restic = resticBinary('0.18').bin;
  const env = {
    ...process.env,
    RESTIC_REPOSITORY: cofre.repoUri,
    RESTIC_PASSWORD: cofre.repoPassword,
    RESTIC_REST_USERNAME: cofre.restUser,
    RESTIC_REST_PASSWORD: cofre.restPassword,
    RESTIC_CACHE_DIR: join(cofre.dataDir, 'e2e-restic-cache'),
  };
  await run(restic, ['init'], { env }).catch(() => undefined);
  const pending = [...times];
  const worker = async () => {
    for (let time = pending.shift(); time; time = pending.shift()) {
      const stamp = time.toISOString().replace('T', ' ').slice(0, 19);
      await run(restic, ['backup', '--json', '--host', hostname(), '--time', stamp, '--tag', 'plan:documentos', '--tag', 'created-by:e2e', cofre.documents], { env });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

test('with 88 backups the timeline groups by month and the search of all backups does not wait for the index', async ({ page, cofre }) => {
  test.setTimeout(300_000);
  await mkdir(join(cofre.documents, 'Ofícios'), { recursive: true });
  for (let i = 0; i < 40; i += 1) await writeFile(join(cofre.documents, 'Ofícios', `Ofício ${i}.txt`), `Ofício ${i}\n`);
  await writeFile(join(cofre.documents, 'Planilha de custos.xlsx'), 'custos\n');
  const now = Date.now();
  // 88 backups over about three months, two or so a day (UTC timestamps as restic takes them).
  const times = Array.from({ length: 88 }, (_, i) => new Date(now - (i + 1) * 26 * 3600_000));
  await backupsAt(cofre, times);
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });

  await openRestore(page, cofre);
  const items = page.getByRole('button', { name: /^Backup de / });
  const months = page.locator('button.timeline-month');
  await expect(months.first()).toBeVisible();
  const monthCount = await months.count();
  expect(monthCount).toBeGreaterThanOrEqual(3);
  // Only the open month's backups are in the page, and the open month is one Tab stop.
  const visible = await items.count();
  expect(visible).toBeLessThan(40);
  await expect(items.first()).toHaveAttribute('aria-pressed', 'true');
  await items.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(items.nth(visible - 1)).toBeFocused();
  expect(await page.locator('button.timeline-item[tabindex="0"]').count()).toBe(1);
  await page.keyboard.press('Enter');
  await expect(items.nth(visible - 1)).toHaveAttribute('aria-pressed', 'true');
  // Tab leaves the month instead of walking through every backup.
  await page.keyboard.press('Tab');
  await expect(page.locator('button.timeline-item:focus')).toHaveCount(0);

  // Search all backups while the index is still being prepared: progress, partial results, cancel.
  await page.getByRole('checkbox', { name: 'Em todos os backups' }).check();
  await page.getByRole('searchbox', { name: 'Pesquisar arquivos' }).fill('planilha');
  await page.getByRole('button', { name: 'Pesquisar', exact: true }).click();
  const progress = page.getByText(/Preparando a busca: \d+ de 88 backups/);
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: screenshotPath('restore-flow-indexing-desktop') });
  await expect(page.getByText('1 arquivo encontrado')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Pesquisar', exact: true })).toBeEnabled();
  // The row says the file is in more backups than the one it names.
  await expect(page.getByText(/também em \d+ backups? anteriore?s?/)).toBeVisible();
  // Ticking the result moves the timeline to the backup it will come from (the newest one).
  await page.getByRole('checkbox', { name: 'Selecionar Planilha de custos.xlsx' }).check();
  await expect(items.first()).toHaveAttribute('aria-pressed', 'true');
  // Stopping keeps what is indexed and says how much the search covers.
  await page.getByRole('button', { name: 'Parar a preparação' }).click();
  await expect(progress).toBeHidden({ timeout: 30_000 });
  await expect(page.getByText(/A busca cobre \d+ de 88 backups/)).toBeVisible();
  const status = await cofre.api<{ indexed: number; total: number; running: boolean }>('indexStatus', {});
  expect(status.running).toBe(false);
  expect(status.indexed).toBeLessThan(88);

  await page.setViewportSize({ width: 360, height: 520 });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: screenshotPath('restore-flow-search-tray') });
  await page.getByRole('button', { name: 'Voltar às pastas' }).click();
  await page.getByRole('button', { name: 'Ofícios', exact: true }).click();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: screenshotPath('restore-flow-folder-tray') });
});

test('at tray size two search results in folders that differ late still show where they differ', async ({ page, cofre }) => {
  const base = join(cofre.documents, 'Secretaria Municipal de Educação', 'Correspondência oficial');
  for (const year of ['2025', '2026']) {
    await mkdir(join(base, `Ofícios recebidos ${year}`), { recursive: true });
    await writeFile(join(base, `Ofícios recebidos ${year}`, 'Ata.txt'), `Ata ${year}\n`);
  }
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');

  await page.setViewportSize({ width: 360, height: 520 });
  await openRestore(page, cofre);
  await expect(page.getByRole('button', { name: /^Backup de / }).first()).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('searchbox', { name: 'Pesquisar arquivos' }).fill('Ata');
  await page.getByRole('button', { name: 'Pesquisar', exact: true }).click();
  await expect(page.getByText('2 arquivos encontrados')).toBeVisible({ timeout: 60_000 });
  const hints = await page.locator('.search-results .path-hint').allInnerTexts();
  expect(hints).toHaveLength(2);
  // The long common part may be shortened; the part that tells them apart may not.
  expect(hints.some((h) => h.includes('2025'))).toBe(true);
  expect(hints.some((h) => h.includes('2026'))).toBe(true);
  expect(new Set(hints).size).toBe(2);
  // ...and it stays in its own column instead of running under the backup's date.
  const row = page.locator('.search-results tbody tr').first();
  const [hint, backupCell] = await Promise.all([row.locator('.path-hint').boundingBox(), row.locator('td.col-backup').boundingBox()]);
  expect(hint!.x + hint!.width).toBeLessThanOrEqual(backupCell!.x + 1);
  // Nothing of it is hidden under an ellipsis either.
  for (const clipped of await page.locator('.search-results .path-hint').evaluateAll((els) => els.map((el) => el.scrollWidth > el.clientWidth + 1))) expect(clipped).toBe(false);
  await expectNoSidewaysScroll(page);
  await page.mouse.wheel(0, 200);
  await page.screenshot({ path: screenshotPath('restore-search-paths-tray') });
});

test('new backups are indexed in the background, before anyone searches', async ({ page, cofre }) => {
  await writeFile(join(cofre.documents, 'Relatório anual.odt'), 'relatório\n');
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');
  await writeFile(join(cofre.documents, 'Relatório anual.odt'), 'relatório, revisto\n');
  await cofre.backup('documentos');
  // Nobody opened Restaurar or searched: the index still catches up with both backups by itself.
  await expect.poll(() => cofre.api<{ indexed: number; total: number; running: boolean }>('indexStatus', {}), { timeout: 90_000 }).toEqual({ indexed: 2, total: 2, running: false });

  await openRestore(page, cofre);
  await page.getByRole('checkbox', { name: 'Em todos os backups' }).check();
  await page.getByRole('searchbox', { name: 'Pesquisar arquivos' }).fill('relatório');
  await page.getByRole('button', { name: 'Pesquisar', exact: true }).click();
  await expect(page.getByText('1 arquivo encontrado')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Preparando a busca/)).toHaveCount(0);
});
