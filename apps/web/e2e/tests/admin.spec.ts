// Admin pages in the browser: a webhook that cannot deliver ends as a dead job, which the
// admin finds with its error and sends back to the queue; an organization gets an asset
// through the keyboard alone; axe on each page and state.
import { test, expect } from './fixtures';
import { apiWorkspace, signIn } from './helpers';

test('an admin retries a dead job from the jobs page', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const auth = { Authorization: `Bearer ${ws.admin.token}` };
  const hook = await request.post('/api/v1/webhooks', {
    headers: auth,
    data: { url: 'http://127.0.0.1:9/unreachable', events: ['ticket.created'] },
  });
  expect(hook.status()).toBe(201);
  const t = await request.post('/api/v1/tickets', { headers: auth, data: { subject: 'Hook me', description: 'd' } });
  expect(t.status()).toBe(201);
  const dead = async (): Promise<string[]> =>
    (await (await request.get('/api/v1/jobs?state=dead', { headers: auth })).json()).items.map((j: { id: string }) => j.id);
  await expect.poll(async () => (await dead()).length, { timeout: 60_000, intervals: [500] }).toBeGreaterThan(0);
  const [jobId] = await dead();

  await signIn(page, ws.admin.email, ws.admin.password);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  const row = page.getByRole('row', { name: /webhook/ });
  await expect(row).toContainText('Dead');
  await expectNoAxeViolations(page, 'jobs page with a dead letter');
  await row.getByRole('button', { name: /Retry/ }).click();
  await expect(page.getByText('The job is back in the queue.')).toBeVisible();
  // Back in the queue with fresh attempts: no longer a dead letter (its next eight
  // attempts take seconds).
  expect(await dead()).not.toContain(jobId);
});

test('an organization and its asset, with the keyboard alone', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  await signIn(page, ws.admin.email, ws.admin.password);
  await page.goto('/admin/organizations');
  await expectNoAxeViolations(page, 'organizations');
  await page.getByLabel('Name', { exact: true }).focus();
  await page.keyboard.type('Globex');
  await page.keyboard.press('Tab');
  await page.keyboard.type('globex.example');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Globex' })).toBeVisible();
  await expectNoAxeViolations(page, 'an organization');
  await page.getByText('Add an asset').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('FS01');
  await page.keyboard.press('Tab');
  await page.keyboard.type('server');
  await page.keyboard.press('Tab');
  await page.keyboard.type('fs01.globex.local');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('cell', { name: 'fs01.globex.local' })).toBeVisible();
  await expectNoAxeViolations(page, 'an organization with an asset');
});

test('the dashboard for a period, with its chart as a table', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const auth = { Authorization: `Bearer ${ws.admin.token}` };
  for (const subject of ['Mail down', 'VPN drops']) {
    const r = await request.post('/api/v1/tickets', { headers: auth, data: { subject, description: 'd' } });
    expect(r.status()).toBe(201);
  }
  await signIn(page, ws.admin.email, ws.admin.password);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expectNoAxeViolations(page, 'dashboard');
  await page.getByLabel('Period', { exact: true }).selectOption('today');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/period=today/);
  await expect(page.locator('.figure-card').filter({ hasText: 'Created' }).locator('.value')).toHaveText('2');
  await expect(page.getByRole('img', { name: /Tickets created and resolved per day/ })).toBeVisible();
  await page.getByText('The figures as a table').click();
  await expect(page.getByRole('table', { name: 'Created and resolved per day' })).toBeVisible();
  await expectNoAxeViolations(page, 'dashboard with the chart table open');
  // The download, with the page's session.
  const csv = await page.request.get('/reports/agents.csv?period=today');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect((await csv.text()).split('\r\n')[0]).toContain('agent_id,name,email');
});
