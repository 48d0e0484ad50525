// The portal without JavaScript (forms post and redirect), a customer's draft surviving a
// reload, and axe on the public and error pages.
import { test, expect } from './fixtures';
import { apiTicket, apiUser, apiWorkspace, signIn, signedInPage } from './helpers';

test('a customer creates and replies with JavaScript off', async ({ browser, request }) => {
  const ws = await apiWorkspace(request);
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  const page = await signedInPage(browser, bob.email, bob.password, { javaScriptEnabled: false });
  await page.goto('/tickets/new');
  await page.getByLabel('Subject').fill('Scanner offline');
  await page.getByLabel('What happened').fill('It says E42');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('heading', { name: /Scanner offline/ })).toBeVisible();
  await page.getByRole('textbox', { name: 'Reply' }).fill('Still broken after a restart');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.locator('#messages')).toContainText('Still broken after a restart');
});

test('a draft survives a reload', async ({ page, request }) => {
  const ws = await apiWorkspace(request);
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  const t = await apiTicket(request, bob.token, { subject: 'Wifi', description: 'Slow' });
  await signIn(page, bob.email, bob.password);
  await page.goto(`/tickets/${t.number}`);
  await page.getByRole('textbox', { name: 'Reply' }).fill('Half-written thought');
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Reply' })).toHaveValue('Half-written thought');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.locator('#messages')).toContainText('Half-written thought');
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Reply' })).toHaveValue('');
});

test('public, portal and error pages pass axe in every state', async ({ page, request, expectNoAxeViolations }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('nobody@example.test');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('not right');
  await expectNoAxeViolations(page, 'sign in with an error');
  await page.goto('/forgot-password');
  await expectNoAxeViolations(page, 'forgot password');
  await page.getByLabel('Email').fill('nobody@example.test');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('on its way');
  await expectNoAxeViolations(page, 'forgot password, sent');
  await page.goto('/reset-password?token=bogus');
  await page.getByLabel('New password').fill('new-password');
  await page.getByRole('button', { name: 'Save the password' }).click();
  await expect(page.getByRole('alert')).toContainText('no longer valid');
  await expectNoAxeViolations(page, 'reset password with an error');
  await page.goto('/accept-invite?token=bogus');
  await expectNoAxeViolations(page, 'accept invitation');
  await page.goto('/nowhere');
  await expectNoAxeViolations(page, 'not found');

  const ws = await apiWorkspace(request);
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  await apiTicket(request, bob.token, { subject: 'Wifi', description: 'Slow' });
  await signIn(page, bob.email, bob.password);
  await expectNoAxeViolations(page, 'portal list');
  await page.goto('/tickets/new');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('#form-errors')).toBeVisible();
  await expect(page.getByLabel('Subject')).toBeFocused();
  await expectNoAxeViolations(page, 'new request with errors');
  await page.goto('/profile');
  await expectNoAxeViolations(page, 'profile');

  const agent = await apiUser(request, ws, 'AGENT', 'Ann Agent');
  await page.context().clearCookies();
  await signIn(page, agent.email, agent.password);
  await page.goto('/tickets/new');
  await page.getByRole('button', { name: 'Create ticket' }).click();
  await expectNoAxeViolations(page, 'new ticket with errors');
  await page.goto('/team');
  await expectNoAxeViolations(page, 'team (agent)');
});

test('a screenshot sent with a request shows as a preview', async ({ page, request, expectNoAxeViolations }) => {
  const ws = await apiWorkspace(request);
  const bob = await apiUser(request, ws, 'CUSTOMER', 'Bob Customer');
  await signIn(page, bob.email, bob.password);
  await page.goto('/tickets/new');
  await page.getByLabel('Subject').fill('Error on screen');
  await page.getByLabel('What happened').fill('See the screenshot');
  // A 1×1 PNG.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  await page.getByLabel(/Attach files/).setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('heading', { name: /Error on screen/ })).toBeVisible();
  const preview = page.getByRole('img', { name: 'screen.png' });
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  await expectNoAxeViolations(page, 'portal ticket with an attachment');
});
