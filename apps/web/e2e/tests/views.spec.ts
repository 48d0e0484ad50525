// Saved views: an agent saves the filters shown (after an htmx filter swap) as a view of
// their own with chosen columns; an admin shares one, and another agent finds it in the
// sidebar with its count. Axe on the editor open, with an error, and on a saved view.
import { test, expect } from './fixtures';
import { apiTicket, apiUser, apiWorkspace, signIn, signedInPage } from './helpers';

test('a saved view keeps its filters and columns; a shared one appears for another agent', async ({ page, browser, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const ann = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  const ben = await apiUser(request, ws, 'AGENT', 'Ben Agent');
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  await apiTicket(request, ann.token, { subject: 'Server on fire', description: 'Smoke', priority: 'URGENT', requester_id: bob.id });
  await apiTicket(request, ann.token, { subject: 'Mouse squeaks', description: 'Squeak', priority: 'LOW', requester_id: bob.id });

  await signIn(page, ann.email, ann.password);
  await page.goto('/tickets');
  // The filter swaps the results and the editor with them: it saves what is shown.
  await page.locator('#f-priority').selectOption('URGENT');
  await expect(page).toHaveURL(/priority=URGENT/);
  await page.getByText('Save as a view').click();
  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page.locator('#e-name')).toBeVisible();
  await expect(page.getByLabel('View name')).toBeFocused();
  await expectNoAxeViolations(page, 'view editor with an error');
  await page.getByLabel('View name').fill('Fires');
  await page.getByRole('checkbox', { name: 'Assignee' }).uncheck();
  await page.getByRole('checkbox', { name: 'Created' }).check();
  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page).toHaveURL(/saved=/);
  await expect(page.locator('#list-heading')).toHaveText('Fires');
  await expect(page.getByRole('link', { name: /Server on fire/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Mouse squeaks/ })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Created' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Assignee' })).toHaveCount(0);
  const mine = page.locator('#views a[aria-current="page"]');
  await expect(mine).toContainText('Fires');
  await expect(mine.locator('.count')).toContainText('1');
  await expectNoAxeViolations(page, 'a saved view');
  // Ben does not see Ann's own view.
  const benPage = await signedInPage(browser, ben.email, ben.password);
  await benPage.goto('/tickets');
  await expect(benPage.locator('#views')).not.toContainText('Fires');

  // The admin shares one; Ben finds it under Team views, with its count, read-only.
  const admin = await signedInPage(browser, ws.admin.email, ws.admin.password);
  await admin.goto('/tickets?priority=URGENT');
  await admin.getByText('Save as a view').click();
  await admin.getByLabel('View name').fill('Team fires');
  await admin.getByRole('checkbox', { name: 'Share with the team' }).check();
  await expectNoAxeViolations(admin, 'view editor open (admin)');
  await admin.getByRole('button', { name: 'Save view' }).click();
  await expect(admin).toHaveURL(/saved=/);
  await benPage.reload();
  const team = benPage.getByRole('list', { name: 'Team views' });
  await expect(team.getByRole('link', { name: /Team fires/ })).toContainText('1');
  await team.getByRole('link', { name: /Team fires/ }).click();
  await expect(benPage.getByRole('link', { name: /Server on fire/ })).toBeVisible();
  await expect(benPage.getByText('only an admin can change it')).toBeVisible();
  await expect(benPage.getByText('Edit this view')).toHaveCount(0);
});
