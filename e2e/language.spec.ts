// Cofre speaks Brazilian Portuguese out of the box (no LANG from the machine), and a user who prefers
// English switches in Preferências -> Idioma: every screen changes at once and the choice sticks.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, screenshotPath, test } from './support/cofre.js';

test('the UI is in Portuguese by default and switches to English', async ({ page, cofre }) => {
  await writeFile(join(cofre.documents, 'Orçamento 2026.txt'), 'R$ 1.000,00\n');
  await cofre.api('importBackrest', { content: cofre.backrestConfig() });
  await cofre.backup('documentos');

  await page.goto(cofre.url);
  const nav = page.getByRole('navigation', { name: 'Seções principais' });
  await expect(page.getByRole('heading', { level: 1, name: 'Seus arquivos estão protegidos' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Estado' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Fazer backup agora' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');

  await nav.getByRole('link', { name: 'Configurações' }).click();
  await page.getByRole('tab', { name: 'Preferências' }).click();
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption({ label: 'English' });

  // Everything switches at once, without a reload.
  const navEn = page.getByRole('navigation', { name: 'Main sections' });
  await expect(navEn.getByRole('link', { name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Preferences' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Language' })).toHaveValue('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await navEn.getByRole('link', { name: 'Status' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your files are protected' })).toBeVisible();
  const card = page.getByRole('article', { name: 'documentos' });
  await expect(card.getByRole('button', { name: 'Back up now' })).toBeVisible();
  await expect(card.getByText('Last backup')).toBeVisible();
  await expect(card.getByText(/^(just now|\d+ minutes? ago)$/)).toBeVisible();
  await expect(page.getByText('Seus arquivos estão protegidos')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('status-english') });

  // The choice is the agent's preference: a new window opens in English too.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Your files are protected' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main sections' })).toBeVisible();
});
