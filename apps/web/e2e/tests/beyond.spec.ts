// Tickets beyond the seed in the browser: linking and merging from the ticket page, the
// satisfaction survey a "resolved" email links to (one click, then a comment), and a
// contract added on an organization's page whose usage shows there and in the dashboard's
// billing. Axe on each page and state.
import { test, expect } from './fixtures';
import { apiTicket, apiUser, apiWorkspace, signIn } from './helpers';
import { receivedMail } from '../smtp-sink';

test('link and merge from the ticket page', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const agent = await apiUser(request, ws, 'AGENT', 'Ann');
  const carol = await apiUser(request, ws, 'CUSTOMER', 'Carol');
  const outage = await apiTicket(request, agent.token, { subject: 'Internet down at HQ', description: 'All of HQ is offline.', requester_id: carol.id });
  const dup = await apiTicket(request, carol.token, { subject: 'No internet', description: 'Nothing loads.' });
  await signIn(page, agent.email, agent.password);
  await page.goto(`/tickets/${dup.number}`);
  await expectNoAxeViolations(page, 'ticket page with relations');

  // A link to itself is refused on its field; a related link shows on both tickets.
  await page.getByLabel('Ticket number').first().fill(String(dup.number));
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.locator('#e-link')).toContainText('this ticket');
  await expectNoAxeViolations(page, 'a refused link');
  await page.getByLabel('Ticket number').first().fill(`#${outage.number}`);
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.locator('#links')).toContainText(`#${outage.number} Internet down at HQ`);

  // Merge the duplicate into the outage: the page goes there and shows where it came from.
  await page.getByText('Merge into another ticket').click();
  await page.locator('#f-into').fill(String(outage.number));
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${outage.number}$`));
  await expect(page.locator('#messages')).toContainText('Nothing loads.');
  await expect(page.locator('#messages .origin')).toContainText(`#${dup.number}`);
  await expectNoAxeViolations(page, 'the merge target');
  await page.goto(`/tickets/${dup.number}`);
  await expect(page.getByText(`Merged into #${outage.number}`)).toBeVisible();
});

test('a customer rates a resolved request from the email', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const auth = { Authorization: `Bearer ${ws.admin.token}` };
  expect((await request.patch('/api/v1/workspace', { headers: auth, data: { csat_enabled: true } })).status()).toBe(200);
  const carol = await apiUser(request, ws, 'CUSTOMER', 'Carol');
  const t = await apiTicket(request, carol.token, { subject: 'Printer offline', description: 'The printer is offline.' });
  expect((await request.patch(`/api/v1/tickets/${t.id}`, { headers: auth, data: { status: 'RESOLVED' } })).status()).toBe(200);
  const dir = process.env.HELPDESK_E2E_MAIL_DIR ?? '';
  const link = async () => {
    for (const m of receivedMail(dir)) {
      if (!m.includes(carol.email)) continue;
      const found = m.match(/https?:\/\/\S+\/csat\/([\w-]+)\?rating=GOOD/);
      if (found) return found[1];
    }
    return '';
  };
  await expect.poll(link, { timeout: 20_000 }).not.toBe('');
  const token = await link();

  // One click records the answer, signed out; the page then takes a comment, once.
  await page.goto(`/csat/${token}?rating=GOOD`);
  await expect(page.getByText('you rated this good')).toBeVisible();
  await expectNoAxeViolations(page, 'survey answered');
  await page.getByLabel('Anything to add?').fill('Quick and friendly.');
  await page.getByRole('button', { name: 'Send comment' }).click();
  await expect(page.getByText('Quick and friendly.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send comment' })).toHaveCount(0);
  await page.goto(`/csat/${token}?rating=BAD`);
  await expect(page.getByText('answered already')).toBeVisible();
  await expectNoAxeViolations(page, 'survey answered already');
});

test('a contract on an organization, and what to invoice', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const auth = { Authorization: `Bearer ${ws.admin.token}` };
  const org = await (await request.post('/api/v1/organizations', { headers: auth, data: { name: 'Northwind' } })).json();
  const carol = await apiUser(request, ws, 'CUSTOMER', 'Carol');
  const t = await apiTicket(request, ws.admin.token, { subject: 'Server patching', description: 'Patch FS01.', requester_id: carol.id, organization_id: org.id });
  await signIn(page, ws.admin.email, ws.admin.password);
  await page.goto(`/admin/organizations/${org.id}`);
  await page.getByRole('link', { name: 'Add a contract' }).click();
  await expectNoAxeViolations(page, 'new contract form');
  await page.getByLabel('Name').fill('Prepaid block');
  await page.getByLabel('Included hours', { exact: true }).fill('ten');
  await page.getByRole('button', { name: 'Add contract' }).click();
  await expect(page.locator('#e-included')).toBeVisible();
  await expectNoAxeViolations(page, 'a refused contract');
  await page.getByLabel('Included hours', { exact: true }).fill('2');
  await page.getByLabel('Included hours renew').selectOption('NONE');
  await page.getByLabel('Starts on').fill('2026-01-01');
  await page.getByLabel('Hourly rate').fill('90');
  await page.getByRole('button', { name: 'Add contract' }).click();
  await expect(page.getByRole('heading', { name: 'Contracts' })).toBeVisible();
  expect((await request.post(`/api/v1/tickets/${t.id}/time-entries`, { headers: auth, data: { minutes: 150 } })).status()).toBe(201);
  await page.reload();
  await expect(page.locator('#contracts + div')).toContainText('150 of 120 min used (0 left, 30 over); 45.00 EUR to invoice');
  await expectNoAxeViolations(page, 'organization with a contract');
  await page.goto('/reports?period=7d');
  await expect(page.getByRole('region', { name: 'Billing' })).toContainText('45.00 EUR');
  await expectNoAxeViolations(page, 'dashboard with billing');
});
