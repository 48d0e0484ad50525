// The console beyond the seed flow: bulk actions with their report, filters swapped in by
// htmx (focus and axe after the swap), internal notes told apart, and a reply sent with
// the keyboard alone.
import { test, expect } from './fixtures';
import { apiTicket, apiUser, apiWorkspace, signIn } from './helpers';

test('bulk actions change the selected tickets and report the rest', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const agent = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  const a = await apiTicket(request, bob.token, { subject: 'Mail is down', description: 'No mail since 9' });
  const b = await apiTicket(request, bob.token, { subject: 'VPN drops', description: 'Every hour' });
  await apiTicket(request, bob.token, { subject: 'New laptop', description: 'For Eve' });
  const closed = await request.patch(`/api/v1/tickets/${b.id}`, {
    headers: { Authorization: `Bearer ${agent.token}` },
    data: { status: 'CLOSED' },
  });
  expect(closed.status()).toBe(200);
  await signIn(page, agent.email, agent.password);
  await page.goto('/tickets?status=');
  await page.getByLabel(`Select ticket ${a.number}`).check();
  await page.getByLabel(`Select ticket ${b.number}`).check();
  await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Assign to me' });
  await page.getByRole('button', { name: 'Apply to selected' }).click();
  await expect(page.locator('#bulk-report')).toContainText('1 of 2 tickets changed.');
  await expect(page.locator('#bulk-report')).toContainText(`#${b.number}`);
  await expectNoAxeViolations(page, 'console after a bulk action');
  await page.goto('/tickets?view=mine');
  await expect(page.getByRole('link', { name: /Mail is down/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /New laptop/ })).toHaveCount(0);
});

test('filters swap the results in place and keep the URL', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const agent = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  await apiTicket(request, agent.token, { subject: 'Server on fire', description: 'Smoke', priority: 'URGENT', requester_id: bob.id });
  await apiTicket(request, agent.token, { subject: 'Mouse squeaks', description: 'Squeak', priority: 'LOW', requester_id: bob.id });
  await signIn(page, agent.email, agent.password);
  await page.goto('/tickets');
  await expectNoAxeViolations(page, 'console list');
  await page.locator('#f-priority').selectOption('URGENT');
  await expect(page).toHaveURL(/priority=URGENT/);
  await expect(page.getByRole('link', { name: /Server on fire/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Mouse squeaks/ })).toHaveCount(0);
  await expect(page.locator('#list-heading')).toBeFocused();
  await expectNoAxeViolations(page, 'console list after a filter swap');
  await page.locator('#f-q').fill('squeak');
  await page.locator('#f-priority').selectOption('');
  await expect(page.getByRole('link', { name: /Mouse squeaks/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: /Mouse squeaks/ })).toBeVisible();
});

test('internal notes are unmistakable, and a reply can be sent with the keyboard alone', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const agent = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  const t = await apiTicket(request, bob.token, { subject: 'Printer error', description: 'PC Load Letter' });
  await request.post(`/api/v1/tickets/${t.id}/messages`, {
    headers: { Authorization: `Bearer ${agent.token}` },
    data: { body: 'Tray 2 is jammed again\n> earlier: we replaced the roller', internal: true },
  });
  await signIn(page, agent.email, agent.password);
  await page.goto(`/tickets/${t.number}`);
  const note = page.locator('article.message.internal');
  await expect(note).toContainText('Internal note');
  await expect(note).toHaveAttribute('aria-label', /Internal note/);
  await expect(note.locator('details.quoted')).not.toHaveAttribute('open', '');
  await expectNoAxeViolations(page, 'ticket page with a note');

  // Keyboard only: Tab to the message box, type, Tab to Send, Enter.
  await page.locator('body').press('Tab');
  for (let i = 0; i < 60; i += 1) {
    if (await page.locator('#f-body').evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(page.locator('#f-body')).toBeFocused();
  await page.keyboard.type('Typed without a mouse');
  for (let i = 0; i < 10; i += 1) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => document.activeElement?.textContent?.trim());
    if (name === 'Send') break;
  }
  await page.keyboard.press('Enter');
  await expect(page.locator('#messages')).toContainText('Typed without a mouse');
});
