// Two agents on one ticket: each sees the other, live, and who is writing; the second to
// send is shown what changed, keeps the draft, and confirms by sending again. Axe on the
// held reply.
import { test, expect } from './fixtures';
import { apiTicket, apiUser, apiWorkspace, signIn, signedInPage } from './helpers';

test('agents see each other on a ticket, and a reply after another is confirmed first', async ({ page, browser, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const ann = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  const raj = await apiUser(request, ws, 'AGENT', 'Raj Agent');
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  const t = await apiTicket(request, bob.token, { subject: 'Printer jammed', description: 'Tray 2' });

  await signIn(page, ann.email, ann.password);
  await page.goto(`/tickets/${t.number}`);
  const rajPage = await signedInPage(browser, raj.email, raj.password);
  await rajPage.goto(`/tickets/${t.number}`);
  await expect(rajPage.locator('#presence')).toContainText('Ann Agent');
  // Raj's arrival reaches Ann's open page without a reload.
  await expect(page.locator('#presence')).toContainText('Raj Agent');

  await rajPage.getByLabel('Message').fill('Raj: I will drive over');
  await expect(page.locator('#presence')).toContainText('Raj Agent (writing a reply…)');

  await page.getByLabel('Message').fill('Ann: fixed it remotely');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#messages')).toContainText('Ann: fixed it remotely');

  // Raj's page shows Ann's reply live; his send is held, his text kept.
  await expect(rajPage.locator('#messages')).toContainText('Ann: fixed it remotely');
  await rajPage.getByRole('button', { name: 'Send' }).click();
  await expect(rajPage.locator('#form-errors')).toContainText('someone else replied to or changed this ticket');
  await expect(rajPage.getByLabel('Message')).toHaveValue('Raj: I will drive over');
  await expect(rajPage.locator('#messages')).toContainText('Ann: fixed it remotely');
  await expectNoAxeViolations(rajPage, 'a reply held after another agent replied');
  await rajPage.getByRole('button', { name: 'Send' }).click();
  await expect(rajPage.locator('#messages')).toContainText('Raj: I will drive over');
  await expect(rajPage.locator('#form-errors')).toHaveCount(0);
});
