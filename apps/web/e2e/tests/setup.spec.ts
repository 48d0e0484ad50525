// An admin sets up a workspace through the pages only — a calendar in the weekly grid, a
// default SLA policy in the targets table, a round-robin rule in the automation editor —
// and a customer's next ticket gets the due time and the assignee those say. Axe on each
// editor, with an error shown.
import { test, expect } from './fixtures';
import { apiTicket, apiUser, apiWorkspace, signIn } from './helpers';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

test('calendar, policy and round-robin rule through the UI, then a ticket follows them', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const ann = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  await signIn(page, ws.admin.email, ws.admin.password);

  // Business hours: open all day, every day (24:00 ends a day); a bad time first.
  await page.goto('/admin/business-hours');
  await page.getByLabel('Name', { exact: true }).fill('Always on');
  await page.locator('#f-weekly\\.mon').fill('25:00');
  await page.getByRole('button', { name: 'Add calendar' }).click();
  await expect(page.locator('#form-errors')).toBeVisible();
  await expect(page.locator('[id="e-weekly.mon"]')).toBeVisible();
  await expectNoAxeViolations(page, 'business hours with an error');
  for (const d of DAYS) {
    await page.locator(`[id="f-weekly.${d}"]`).fill('00:00');
    await page.locator(`#t-${d}-0-to`).fill('24:00');
  }
  await page.getByRole('button', { name: 'Add calendar' }).click();
  await expect(page).toHaveURL(/\/admin\/business-hours\/[0-9a-f-]+$/);
  await expectNoAxeViolations(page, 'business hours');

  // The default policy: a first response within an hour at every priority.
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'SLA policies' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Standard');
  await page.getByLabel('Business hours').selectOption({ label: 'Always on' });
  await page.getByLabel('The workspace\'s default policy').check();
  for (const p of ['Low', 'Medium', 'High', 'Urgent']) {
    await page.getByLabel(`${p} first response, minutes`).fill('60');
  }
  await page.getByRole('button', { name: 'Add policy' }).click();
  await expect(page).toHaveURL(/\/admin\/sla-policies\/[0-9a-f-]+$/);
  await expect(page.getByRole('table', { name: /Due times of a ticket opened now/ })).toBeVisible();
  await expectNoAxeViolations(page, 'an SLA policy with its preview');

  // A round-robin rule from the builder's rows (a refused row first: NEW is no target).
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Automations' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Spread the work');
  await page.getByLabel('When').selectOption('ticket.created');
  await page.getByLabel('Action 1', { exact: true }).selectOption('set_status');
  await page.getByLabel('Action 1, value').fill('NEW');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.locator('#ae0')).toContainText('status');
  await expectNoAxeViolations(page, 'the rule builder with an error');
  await page.getByLabel('Action 1', { exact: true }).selectOption('round_robin');
  await page.getByLabel('Action 1, value').fill('Ann Agent');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page).toHaveURL(/\/admin\/automations\/[0-9a-f-]+$/);
  await expect(page.locator('ol.rules')).toContainText('Spread the work');
  // Opened again, the builder shows it as it was built.
  await expect(page.getByLabel('Action 1, value')).toHaveValue('Ann Agent');

  // A customer's ticket: assigned by the rule, due an hour after it was opened.
  const t = await apiTicket(request, bob.token, { subject: 'Printer jammed', description: 'Tray 2' });
  const read = async () =>
    (await (await request.get(`/api/v1/tickets/${t.id}`, { headers: { Authorization: `Bearer ${ws.admin.token}` } })).json());
  await expect.poll(async () => (await read()).assignee_id, { timeout: 20_000 }).toBe(ann.id);
  const now = await read();
  const due = Date.parse(now.sla.first_response_due_at);
  expect(due - Date.parse(now.created_at)).toBe(60 * 60 * 1000);
});

test('the weekly grid with the keyboard alone', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  await signIn(page, ws.admin.email, ws.admin.password);
  await page.goto('/admin/business-hours');
  await page.getByLabel('Name', { exact: true }).focus();
  await page.keyboard.type('Weekend desk');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Europe/Madrid');
  // Into the grid: Monday's first interval, then on through the week by Tab alone.
  await page.locator('[id="f-weekly.mon"]').focus();
  for (let day = 0; day < 7; day++) {
    for (let slot = 0; slot < 3; slot++) {
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.press('Delete');
      if (slot === 0 && day >= 5) await page.keyboard.type('10:00');
      await page.keyboard.press('Tab');
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.press('Delete');
      if (slot === 0 && day >= 5) await page.keyboard.type('14:00');
      await page.keyboard.press('Tab');
    }
  }
  await expect(page.getByLabel('Holidays (one date per line, like 2026-12-25)')).toBeFocused();
  await page.keyboard.type('2026-12-26');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/admin\/business-hours\/[0-9a-f-]+$/);
  const cals = await (await request.get('/api/v1/business-hours', { headers: { Authorization: `Bearer ${ws.admin.token}` } })).json();
  expect(cals[0].weekly).toEqual({ sat: [['10:00', '14:00']], sun: [['10:00', '14:00']] });
  expect(cals[0].holidays).toEqual(['2026-12-26']);
  await expectNoAxeViolations(page, 'a weekend calendar');
});
