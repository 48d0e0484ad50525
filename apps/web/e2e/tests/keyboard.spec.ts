// The console's keyboard workflow: j/k/Enter in the list, r/n/a/s on the ticket page, /
// and g i anywhere, ? for the cheat sheet (axe with it open); never while typing; off
// from the profile.
import { test, expect } from './fixtures';
import { apiTicket, apiUser, apiWorkspace, signIn } from './helpers';

test('an agent works the list and a ticket from the keyboard, and can turn it off', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const ann = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  await apiTicket(request, ann.token, { subject: 'Older one', description: 'd', requester_id: bob.id });
  const newest = await apiTicket(request, ann.token, { subject: 'Newest one', description: 'd', requester_id: bob.id });
  await signIn(page, ann.email, ann.password);
  await page.goto('/tickets');

  await page.keyboard.press('j');
  await expect(page.getByRole('link', { name: /Newest one/ })).toBeFocused();
  await page.keyboard.press('j');
  await expect(page.getByRole('link', { name: /Older one/ })).toBeFocused();
  await page.keyboard.press('k');
  await expect(page.getByRole('link', { name: /Newest one/ })).toBeFocused();
  await page.keyboard.press('x');
  await expect(page.getByLabel(`Select ticket ${newest.number}`)).toBeChecked();
  // Typing in a field is typing: j goes into the search box.
  await page.keyboard.press('/');
  await expect(page.locator('#f-q')).toBeFocused();
  await page.keyboard.type('jk');
  await expect(page.locator('#f-q')).toHaveValue('jk');
  await page.keyboard.press('Escape');
  await page.locator('#f-q').fill('');
  await page.getByRole('link', { name: /Newest one/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/tickets/${newest.number}$`));

  // The ticket page: reply, note, assign to me, status.
  await page.keyboard.press('r');
  await expect(page.locator('#f-body')).toBeFocused();
  await expect(page.getByLabel('Public reply')).toBeChecked();
  await page.keyboard.press('Escape');
  await page.keyboard.press('n');
  await expect(page.getByLabel('Internal note')).toBeChecked();
  await expect(page.locator('#f-body')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('a');
  await expect(page.locator('#f-assignee option:checked')).toHaveText('Ann Agent');
  const ticket = async () =>
    (await request.get(`/api/v1/tickets/${newest.id}`, { headers: { Authorization: `Bearer ${ann.token}` } })).json();
  await expect.poll(async () => (await ticket()).assignee_id).toBe(ann.id);
  await page.waitForLoadState();
  await page.keyboard.press('s');
  await expect(page.locator('#f-status')).toBeFocused();
  await page.locator('#f-status').selectOption('PENDING');
  await expect(page.locator('#f-status option:checked')).toHaveText(/Pending/);
  await expect.poll(async () => (await ticket()).status).toBe('PENDING');
  await page.waitForLoadState();

  // The cheat sheet.
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await expectNoAxeViolations(page, 'shortcuts cheat sheet');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page).toHaveURL(/\/tickets$/);

  // Off, from the profile: the keys do nothing.
  await page.goto('/profile');
  await page.getByLabel(/Keyboard shortcuts in the console/).uncheck();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expectNoAxeViolations(page, 'profile with preferences');
  await page.goto('/tickets');
  await page.keyboard.press('?');
  await page.keyboard.press('j');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Newest one/ })).not.toBeFocused();
});
