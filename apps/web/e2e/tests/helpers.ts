// Shared steps of the browser tests: unique names, a workspace made through the pages or
// the API, signing in through the form, invitations through the team page.
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';

export const unique = () => Math.random().toString(36).slice(2, 8);

export interface Workspace {
  name: string;
  slug: string;
  admin: { email: string; password: string; token: string };
}

/** A workspace registered through the API (fast set-up for tests about other pages). */
export async function apiWorkspace(request: APIRequestContext, name = `Acme ${unique()}`): Promise<Workspace> {
  const email = `admin-${unique()}@acme.test`;
  const password = 'secure-pass';
  const r = await request.post('/api/v1/auth/register', {
    data: { workspace_name: name, admin_email: email, admin_password: password },
  });
  expect(r.status()).toBe(201);
  const body = await r.json();
  return { name, slug: body.workspace.slug, admin: { email, password, token: body.access_token } };
}

/** A user created by the admin through the API, with a password. */
export async function apiUser(
  request: APIRequestContext,
  ws: Workspace,
  role: 'AGENT' | 'CUSTOMER' | 'ADMIN',
  name: string,
): Promise<{ id: string; email: string; password: string; token: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${unique()}@client.test`;
  const password = 'password-1';
  const r = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${ws.admin.token}` },
    data: { email, name, role, password },
  });
  expect(r.status()).toBe(201);
  const id = (await r.json()).id;
  const l = await request.post('/api/v1/auth/login', { data: { email, password, workspace: ws.slug } });
  expect(l.status()).toBe(200);
  return { id, email, password, token: (await l.json()).access_token };
}

/** A ticket opened through the API as `token`. */
export async function apiTicket(request: APIRequestContext, token: string, data: Record<string, unknown>) {
  const r = await request.post('/api/v1/tickets', { headers: { Authorization: `Bearer ${token}` }, data });
  expect(r.status()).toBe(201);
  return r.json();
}

/** Signs in through the form. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/tickets/);
}

/** A new browser context signed in as someone. */
export async function signedInPage(browser: Browser, email: string, password: string, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}
