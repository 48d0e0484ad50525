// The seed's whole flow through the pages, as a new user would run it: register, invite an
// agent and a customer, accept the invitations, the customer opens "Printer error / PC Load
// Letter", it appears live in the agent's view, the agent replies, the customer sees the
// reply live and marks the request solved. axe runs on every page on the way.
import { test, expect } from './fixtures';
import { unique } from './helpers';

test('register → invite → customer request → live → reply → resolved', async ({ browser, expectNoAxeViolations }) => {
  const id = unique();
  const admin = await (await browser.newContext()).newPage();

  await admin.goto('/');
  await expect(admin).toHaveURL(/\/login$/);
  await expectNoAxeViolations(admin, 'sign in');
  await admin.getByRole('link', { name: 'Create a workspace' }).click();
  await expectNoAxeViolations(admin, 'register');
  // A wrong form first: the errors are shown in place and focus goes to the first one.
  await admin.getByRole('button', { name: 'Create workspace' }).click();
  await expect(admin.locator('#form-errors')).toBeVisible();
  await expect(admin.getByLabel('Team or company name')).toBeFocused();
  await expectNoAxeViolations(admin, 'register with errors');
  await admin.getByLabel('Team or company name').fill(`Acme ${id}`);
  await admin.getByLabel('Your name').fill('Ada Admin');
  await admin.getByLabel('Your work email').fill(`admin-${id}@acme.test`);
  await admin.getByLabel('Password').fill('secure-pass');
  await admin.getByRole('button', { name: 'Create workspace' }).click();
  await expect(admin).toHaveURL(/\/tickets/);
  await expect(admin.getByText('Your workspace is ready.')).toBeVisible();
  await expectNoAxeViolations(admin, 'console, empty');

  // Invite an agent and a customer from the team page; the link is shown once.
  const invite = async (name: string, email: string, role: string) => {
    await admin.goto('/team');
    await admin.getByLabel('Name', { exact: true }).fill(name);
    await admin.getByLabel('Email', { exact: true }).fill(email);
    await admin.getByLabel('Role', { exact: true }).selectOption(role);
    await admin.getByRole('button', { name: 'Send invitation' }).click();
    await expect(admin.locator('#invited')).toContainText(email);
    return admin.locator('#invite-link').inputValue();
  };
  const agentLink = await invite('Ann Agent', `ann-${id}@acme.test`, 'AGENT');
  await expectNoAxeViolations(admin, 'team, after an invitation');
  const customerLink = await invite('Bob Customer', `bob-${id}@client.test`, 'CUSTOMER');

  const accept = async (link: string, password: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(new URL(link).pathname + new URL(link).search);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(page).toHaveURL(/\/tickets/);
    return page;
  };
  const agent = await accept(agentLink, 'agent-pass');
  await expect(agent.getByRole('link', { name: /All open/ })).toBeVisible();
  const customer = await accept(customerLink, 'customer-pass');
  await expect(customer.getByRole('heading', { name: 'My requests' })).toBeVisible();
  await expectNoAxeViolations(customer, 'portal, empty');

  // The agent watches All open; the customer opens the seed's ticket.
  await agent.goto('/tickets?view=open');
  const allOpen = agent.locator('#views a', { hasText: 'All open' }).locator('.count');
  await expect(allOpen).toHaveText(/^0/);
  await customer.getByRole('link', { name: 'New request' }).first().click();
  await expectNoAxeViolations(customer, 'new request');
  await customer.getByLabel('Subject').fill('Printer error');
  await customer.getByLabel('What happened').fill('PC Load Letter');
  await customer.getByRole('button', { name: 'Send request' }).click();
  await expect(customer.getByRole('heading', { name: /Printer error/ })).toBeVisible();
  await expectNoAxeViolations(customer, 'portal ticket');

  // Live: the agent's count moves and the list offers the update without reloading.
  await expect(allOpen).toHaveText(/^1/, { timeout: 10_000 });
  await expect(agent.locator('#updates')).toBeVisible();
  await expectNoAxeViolations(agent, 'console with a live update');
  await agent.locator('#updates button').click();
  await agent.getByRole('link', { name: /Printer error/ }).click();
  await expect(agent.getByText('PC Load Letter')).toBeVisible();
  await expectNoAxeViolations(agent, 'console ticket');
  await agent.getByLabel('Message').fill('Please load A4 paper in tray 2.');
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(agent.locator('#messages')).toContainText('Please load A4 paper');

  // The customer's open page shows the reply in place.
  await expect(customer.locator('#messages')).toContainText('Please load A4 paper', { timeout: 10_000 });
  await customer.getByRole('button', { name: 'My problem is solved' }).click();
  await expect(customer.locator('.meta .pill')).toHaveText('Resolved');
  await customer.goto('/tickets?show=closed');
  await expect(customer.getByRole('link', { name: /Printer error/ })).toBeVisible();
});
