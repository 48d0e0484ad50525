// Screenshots of the web pages, light and dark, desktop and phone, plus an axe pass.
//
//   cd apps/web/e2e && npx playwright test --config screenshots.config.ts
//
// Starts target/debug/helpdesk on a fresh data dir (global-setup.ts; HELPDESK_BIN or
// HELPDESK_URL to change that), seeds a realistic workspace through the JSON API, signs in
// through the web form and writes docs/screenshots/<page>-<desktop|phone>-<light|dark>.png.
// Axe (WCAG 2.2 A/AA) runs on every page in every variant; the run fails (after all the
// screenshots are written) when axe finds a violation. SHOTS_FAST=1 skips the wait that
// lets the 1-minute SLA target breach; SHOTS_ONLY=login,console-list takes only those pages.
// Chromium: CHROMIUM_PATH or /usr/bin/chromium.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

import { receivedMail } from './smtp-sink';

const OUT = path.resolve(__dirname, '../../../docs/screenshots');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PASSWORD = 'correct-horse-42';

const VARIANTS = [
  { device: 'desktop', viewport: { width: 1280, height: 800 }, mobile: false },
  { device: 'phone', viewport: { width: 390, height: 844 }, mobile: true },
] as const;
const SCHEMES = ['light', 'dark'] as const;

type Json = Record<string, any>;

class Api {
  constructor(
    private base: string,
    private token = '',
  ) {}
  as(token: string) {
    return new Api(this.base, token);
  }
  async call(method: string, url: string, body?: Json): Promise<Json> {
    const res = await fetch(this.base + '/api/v1' + url, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} -> ${res.status}: ${text}`);
    return text ? JSON.parse(text) : {};
  }
  post = (url: string, body: Json) => this.call('POST', url, body);
  async upload(url: string, filename: string, type: string, data: Buffer, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([data], { type }), filename);
    const res = await fetch(this.base + '/api/v1' + url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}` },
      body: form,
    });
    if (!res.ok) throw new Error(`upload ${url} -> ${res.status}: ${await res.text()}`);
    return res.json();
  }
  patch = (url: string, body: Json) => this.call('PATCH', url, body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A small PNG of a sign-in prompt (window, title bar, two fields, a button), drawn here
// so the run needs no image files.
function promptPng(): Buffer {
  const w = 320;
  const h = 200;
  const px = Buffer.alloc(h * (w * 3 + 1));
  const rect = (x0: number, y0: number, x1: number, y1: number, rgb: number[]) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) px.set(rgb, y * (w * 3 + 1) + 1 + x * 3);
  };
  rect(0, 0, w, h, [232, 236, 241]);
  rect(20, 16, 300, 184, [255, 255, 255]);
  rect(20, 16, 300, 44, [36, 87, 197]);
  rect(44, 64, 220, 72, [60, 64, 72]);
  rect(44, 86, 276, 108, [196, 201, 208]);
  rect(45, 87, 275, 107, [255, 255, 255]);
  rect(44, 118, 276, 140, [196, 201, 208]);
  rect(45, 119, 275, 139, [255, 255, 255]);
  rect(196, 152, 276, 172, [36, 87, 197]);
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(px)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Seed {
  noteTicket: number;
  breachAt: number;
  /** Ann's own saved view. */
  savedView: string;
  northwind: string;
  gold: string;
  contract: string;
  /** Bob's resolved request, asked for a rating. */
  rated: number;
}

async function seed(base: string): Promise<Seed> {
  const anon = new Api(base);
  const reg = await anon.post('/auth/register', {
    workspace_name: 'Lakeside IT',
    admin_name: 'Sam Okafor',
    admin_email: 'sam@lakeside-it.example',
    admin_password: PASSWORD,
  });
  const admin = anon.as(reg.access_token);

  // SLA: a default policy, and a tighter one (warns early) for Northwind.
  const standard = await admin.post('/sla-policies', {
    name: 'Standard',
    is_default: true,
    warn_at_percent: 80,
    targets: {
      URGENT: { first_response_minutes: 1, next_response_minutes: 60, resolution_minutes: 240 },
      HIGH: { first_response_minutes: 120, next_response_minutes: 240, resolution_minutes: 960 },
      MEDIUM: { first_response_minutes: 480, resolution_minutes: 2880 },
      LOW: { first_response_minutes: 960, resolution_minutes: 7200 },
    },
  });
  const gold = await admin.post('/sla-policies', {
    name: 'Gold',
    warn_at_percent: 1,
    targets: {
      HIGH: { first_response_minutes: 60, next_response_minutes: 60, resolution_minutes: 480 },
      MEDIUM: { first_response_minutes: 240, next_response_minutes: 240, resolution_minutes: 1440 },
    },
  });
  void standard;

  const northwind = await admin.post('/organizations', {
    name: 'Northwind Traders',
    domains: ['northwind.example'],
    sla_policy_id: gold.id,
  });
  const globex = await admin.post('/organizations', {
    name: 'Globex Logistics',
    domains: ['globex.example'],
  });

  const user = (email: string, name: string, role: string, organization_id?: string) =>
    admin.post('/users', { email, name, role, password: PASSWORD, ...(organization_id ? { organization_id } : {}) });
  const ann = await user('ann@lakeside-it.example', 'Ann Lindqvist', 'AGENT');
  const raj = await user('raj@lakeside-it.example', 'Raj Patel', 'AGENT');
  const bob = await user('bob.martin@northwind.example', 'Bob Martin', 'CUSTOMER', northwind.id);
  const carla = await user('carla.diaz@northwind.example', 'Carla Diaz', 'CUSTOMER', northwind.id);
  const dana = await user('dana.kim@globex.example', 'Dana Kim', 'CUSTOMER', globex.id);
  const eli = await user('eli.novak@globex.example', 'Eli Novak', 'CUSTOMER', globex.id);
  const id = (u: Json) => (u.user ? u.user.id : u.id);
  // Resolutions ask the requester for a rating (the email goes to the test's SMTP sink).
  await admin.patch('/workspace', { csat_enabled: true });

  const login = async (email: string) =>
    anon.as((await anon.post('/auth/login', { email, password: PASSWORD })).access_token);
  const annApi = await login('ann@lakeside-it.example');
  const bobApi = await login('bob.martin@northwind.example');

  // The urgent one first: its 1-minute first-response target breaches while we work.
  const breachAt = Date.now() + 62_000;
  const t = async (
    subject: string,
    description: string,
    priority: string,
    requester: Json,
    extra: Json = {},
  ) => (await admin.post('/tickets', { subject, description, priority, requester_id: id(requester), ...extra })).number as number;
  const setStatus = (n: number, status: string) => admin.patch(`/tickets/${n}`, { status });

  const vpn = await t(
    'VPN drops every 10 minutes at the warehouse',
    'Since this morning the VPN at the Rotterdam warehouse disconnects roughly every ten minutes. ' +
      'Scanners lose their session and the pick lists have to be reloaded.\n\nFirmware on the ' +
      'FortiGate was updated last night.',
    'URGENT',
    dana,
    { tags: ['network', 'vpn'] },
  );
  void vpn;

  // Bob's ticket with the whole conversation (created by Bob himself).
  const outlook = (
    await bobApi.post('/tickets', {
      subject: 'Outlook keeps asking for my password',
      description:
        'Every few minutes Outlook pops up a sign-in window and asks for my password again. ' +
        'I type it in, it works for a while, then it asks again.\n\nThis started after the ' +
        'laptop restarted for updates yesterday. Webmail works fine.',
      priority: 'HIGH',
    })
  ).number as number;
  await admin.patch(`/tickets/${outlook}`, { assignee_id: id(ann), tags: ['m365', 'outlook'] });
  await annApi.post(`/tickets/${outlook}/messages`, {
    body:
      'Hi Bob,\n\nThanks for the details. This is usually a stale token in the Windows ' +
      'credential store after an update. Could you try this:\n\n1. Close Outlook.\n2. Open ' +
      'Credential Manager → Windows Credentials.\n3. Remove every entry that starts with ' +
      '"MicrosoftOffice16".\n4. Start Outlook and sign in once.\n\nLet me know if it comes back.\n\nAnn',
    internal: false,
  });
  await bobApi.upload(
    `/tickets/${outlook}/attachments`,
    'outlook-log.txt',
    'text/plain',
    Buffer.from('2026-12-01 09:14:02 AADSTS50076 interaction_required\n'.repeat(40)),
  );
  const bobReply = await bobApi.post(`/tickets/${outlook}/messages`, {
    body:
      'Hi Ann, I did that and it was quiet for an hour, but the window is back now. ' +
      'Screenshot of the prompt is below, it mentions "AADSTS50076".\n\n> Could you try this:\n' +
      '> 1. Close Outlook.\n> 2. Open Credential Manager → Windows Credentials.',
    internal: false,
  });
  await bobApi.upload(`/tickets/${outlook}/attachments`, 'sign-in-prompt.png', 'image/png', promptPng(), {
    message_id: bobReply.id,
  });
  await annApi.post(`/tickets/${outlook}/messages`, {
    body:
      'AADSTS50076 means the conditional-access policy wants MFA again. Northwind moved to ' +
      'the new CA baseline on Monday; I think Bob\'s device is not marked compliant yet.\n\n' +
      '> Screenshot of the prompt is below, it mentions "AADSTS50076".\n\nRaj, can you check ' +
      'his device in Intune before I call him back?',
    internal: true,
  });
  await annApi.post(`/tickets/${outlook}/time-entries`, { minutes: 25, note: 'Remote session, cleared credentials' });
  await annApi.post(`/tickets/${outlook}/time-entries`, { minutes: 10, billable: false, note: 'Checked CA policy' });
  // Carla wrote about the same thing: merged into Bob's ticket, which is a child of the
  // conditional-access rollout.
  const dupe = await t('Outlook asks for my password again', 'Same as Bob: Outlook keeps prompting me since the update.', 'MEDIUM', carla);
  await annApi.post(`/tickets/${dupe}/merge`, { into: outlook });
  const rollout = await t('Conditional-access baseline rollout at Northwind', 'Track the devices that need to be marked compliant.', 'HIGH', bob, { assignee_id: id(raj) });
  await annApi.post(`/tickets/${outlook}/links`, { ticket_id: rollout, kind: 'PARENT' });
  // Northwind buys ten hours a month; this month's work is most of it.
  const contract = await admin.post(`/organizations/${northwind.id}/contracts`, {
    name: 'Managed service, 10 h a month',
    kind: 'PREPAID_HOURS',
    included_minutes: 600,
    period: 'MONTH',
    starts_on: '2026-01-01',
    hourly_rate_cents: 9500,
    currency: 'EUR',
    sla_policy_id: gold.id,
  });
  await annApi.post(`/tickets/${rollout}/time-entries`, { minutes: 480, note: 'Intune compliance policies' });

  const shared = await t(
    'Shared drive S: not mapping after Windows update',
    'After the update on Tuesday the S: drive no longer appears for the accounts team. ' +
      'Mapping it by hand with \\\\fs01\\shared works until the next log-in.',
    'HIGH',
    carla,
  );
  void shared;
  const starter = await t(
    'New starter on Monday: laptop and accounts for Priya Shah',
    'Priya joins Finance on Monday. She needs a laptop, an M365 licence, access to the Finance ' +
      'Teams channel and the S: drive.',
    'MEDIUM',
    carla,
    { assignee_id: id(ann), tags: ['onboarding'] },
  );
  await annApi.post(`/tickets/${starter}/messages`, { body: 'Laptop is imaged and on its way. Accounts are ready.', internal: false });

  const printer = await t(
    'Printer on the 2nd floor shows "PC LOAD LETTER"',
    'The HP on the second floor shows PC LOAD LETTER and will not print, even though tray 2 is full.',
    'LOW',
    bob,
    { assignee_id: id(raj), tags: ['printer'] },
  );
  await setStatus(printer, 'PENDING');
  const backup = await t(
    'Backup job failed on FS01 (exit code 2)',
    'Veeam reported: job "FS01 nightly" failed with exit code 2 at 02:14. ' +
      'Repository free space is 3 %.',
    'URGENT',
    dana,
    { assignee_id: id(raj), tags: ['backup', 'monitoring'] },
  );
  await annApi.post(`/tickets/${backup}/messages`, { body: 'We have ordered more repository disks and will rerun the job once they are in.', internal: false });
  await setStatus(backup, 'ON_HOLD');
  const phishing = await t(
    'Phishing email reported by reception',
    'Reception received an email "Your parcel is waiting" with a link to a fake DHL page. Two people clicked it.',
    'HIGH',
    eli,
    { assignee_id: id(ann), tags: ['security'] },
  );
  await annApi.post(`/tickets/${phishing}/messages`, { body: 'Thanks Eli. We are resetting both passwords and checking the sign-in logs now.', internal: false });
  const ups = await t(
    'Replace the failing UPS battery in the server room',
    'The APC in the server room beeps every few hours and reports "Replace battery".',
    'MEDIUM',
    dana,
    { assignee_id: id(raj) },
  );
  await setStatus(ups, 'CLOSED');
  const zoom = await t(
    'Echo on Zoom calls in the boardroom',
    'Everyone on the other end hears themselves twice when we call from the boardroom.',
    'MEDIUM',
    bob,
  );
  void zoom;
  const teams = await t(
    'Add Marco to the Finance Teams channel',
    'Please add marco.rossi@northwind.example to the Finance channel.',
    'LOW',
    bob,
    { assignee_id: id(ann) },
  );
  await annApi.post(`/tickets/${teams}/messages`, { body: 'Done: Marco is a member of Finance now.', internal: false });
  await setStatus(teams, 'RESOLVED');
  const crm = await t('Password reset for the CRM', 'I am locked out of the CRM after three attempts.', 'LOW', eli, {
    assignee_id: id(raj),
  });
  await setStatus(crm, 'RESOLVED');
  const wifi = await t(
    'Guest Wi-Fi certificate expired',
    'Visitors get a certificate warning when they join the guest Wi-Fi.',
    'HIGH',
    eli,
    { assignee_id: id(ann), tags: ['network'] },
  );
  await setStatus(wifi, 'PENDING');
  const laptop = await t(
    'Laptop fan is very loud',
    'My ThinkPad fan runs at full speed all day, even with nothing open.',
    'LOW',
    carla,
  );
  void laptop;

  // Saved views: one of Ann's own with its columns, and one the admin shares.
  const mine = await annApi.post('/views', {
    name: 'My hot tickets',
    filters: { priority: 'HIGH,URGENT', assignee_id: 'me', status: 'NEW,OPEN,PENDING,ON_HOLD' },
    columns: ['requester', 'priority', 'status', 'sla', 'created'],
  });
  await admin.post('/views', { name: 'Northwind open', shared: true, filters: { organization_id: northwind.id, status: 'NEW,OPEN,PENDING,ON_HOLD' } });
  await admin.post('/views', { name: 'Waiting on customers', shared: true, filters: { status: 'PENDING' }, sort: '-updated_at' });

  // Assets of Northwind, and an API key for the RMM.
  await admin.post('/assets', { organization_id: northwind.id, name: 'FS01', kind: 'server', hostname: 'fs01.northwind.local', os: 'Windows Server 2022', serial: 'CZJ2040XYZ', remote_access_id: '1 284 553 019' });
  await admin.post('/assets', { organization_id: northwind.id, name: 'BOB-LT', kind: 'laptop', hostname: 'bob-lt.northwind.local', os: 'Windows 11 Pro' });
  await admin.post('/api-keys', { name: 'NinjaOne RMM', role: 'AGENT' });
  await admin.post('/mailboxes', { address: 'support@lakeside-it.example', name: 'Lakeside IT support' });
  await admin.post('/business-hours', {
    name: 'Amsterdam office',
    timezone: 'Europe/Amsterdam',
    weekly: { mon: [['08:30', '12:30'], ['13:00', '17:30']], tue: [['08:30', '17:30']], wed: [['08:30', '17:30']], thu: [['08:30', '17:30']], fri: [['08:30', '16:00']] },
    holidays: ['2026-12-25', '2026-12-26', '2027-01-01'],
  });
  await admin.post('/webhooks', { url: 'https://psa.lakeside-it.example/hooks/helpdesk', events: ['ticket.created', 'ticket.updated'], active: false });

  return { noteTicket: outlook, breachAt, savedView: mine.id, northwind: northwind.id, gold: gold.id, contract: contract.id, rated: teams };
}

interface Violation {
  page: string;
  variant: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

test('screenshots of every page, light and dark, desktop and phone', async ({ browser, baseURL }) => {
  expect(baseURL, 'HELPDESK_URL (set by global-setup)').toBeTruthy();
  mkdirSync(OUT, { recursive: true });
  const s = await seed(baseURL!);
  const violations: Violation[] = [];

  // One signed-in storage state per role, from the real web form.
  const signIn = async (email: string) => {
    const ctx = await browser.newContext({ baseURL });
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.fill('#f-email', email);
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    const state = await ctx.storageState();
    await ctx.close();
    return state;
  };
  const staff = await signIn('ann@lakeside-it.example');
  const customer = await signIn('bob.martin@northwind.example');
  const admin = await signIn('sam@lakeside-it.example');

  type State = Awaited<ReturnType<typeof signIn>> | undefined;
  const only = process.env.SHOTS_ONLY?.split(',');
  let pages = 0;
  const shoot = async (name: string, url: string, state: State, ready?: (p: Page) => Promise<void>) => {
    if (only && !only.includes(name)) return;
    pages += 1;
    for (const v of VARIANTS) {
      for (const scheme of SCHEMES) {
        const ctx: BrowserContext = await (browser as Browser).newContext({
          baseURL,
          viewport: v.viewport,
          isMobile: v.mobile,
          hasTouch: v.mobile,
          colorScheme: scheme,
          storageState: state,
        });
        const page = await ctx.newPage();
        const res = await page.goto(url);
        expect(res?.status(), `${url} status`).toBeLessThan(400);
        if (ready) await ready(page);
        // The page itself must never scroll sideways.
        const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - v.viewport.width;
        expect.soft(overflow, `${name} ${v.device} ${scheme}: horizontal overflow`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(OUT, `${name}-${v.device}-${scheme}.png`), fullPage: true });
        const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        for (const x of axe.violations) {
          violations.push({
            page: name,
            variant: `${v.device}-${scheme}`,
            id: x.id,
            impact: x.impact ?? 'n/a',
            help: x.help,
            targets: x.nodes.map((n) => n.target.join(' ')),
          });
        }
        await ctx.close();
      }
    }
  };

  // Open every folded quoted block, so the quoted text is in the picture.
  const unfold = async (p: Page) => {
    await p.evaluate(() => document.querySelectorAll('details.quoted').forEach((d) => d.setAttribute('open', '')));
  };

  await shoot('login', '/login', undefined);
  // Error states: the summary at the top, the fields marked, focus on the summary.
  await shoot('login-error', '/login', undefined, async (p) => {
    await p.fill('#f-email', 'bob.martin@northwind.example');
    await p.fill('#f-password', 'not-my-password');
    await Promise.all([p.waitForURL('**/login**'), p.click('button[type=submit]')]);
    await p.waitForSelector('#form-errors');
  });
  await shoot('portal-list', '/tickets', customer);
  await shoot('portal-ticket', `/tickets/${s.noteTicket}`, customer, unfold);
  await shoot('portal-new', '/tickets/new', customer);
  await shoot('portal-new-error', '/tickets/new', customer, async (p) => {
    await Promise.all([p.waitForNavigation(), p.click('main button[type=submit]')]);
    await p.waitForSelector('#form-errors');
  });
  await shoot('console-new', '/tickets/new', staff);
  if (!process.env.SHOTS_FAST) await sleep(Math.max(0, s.breachAt - Date.now()));
  await shoot('console-list', '/tickets?view=recent', staff);
  await shoot('console-ticket', `/tickets/${s.noteTicket}`, staff, unfold);
  await shoot('console-saved-view', `/tickets?saved=${s.savedView}`, staff, async (p) => {
    await p.evaluate(() => document.getElementById('view-editor')?.setAttribute('open', ''));
  });
  await shoot('console-team', '/team', admin);
  await shoot('console-profile', '/profile', staff);
  await shoot('dashboard', '/reports?period=7d', admin);
  await shoot('admin-organizations', '/admin/organizations', admin);
  await shoot('admin-organization', `/admin/organizations/${s.northwind}`, admin);
  await shoot('admin-business-hours', '/admin/business-hours', admin);
  await shoot('admin-sla-policy', `/admin/sla-policies/${s.gold}`, admin);
  await shoot('admin-automations', '/admin/automations', admin);
  await shoot('admin-macros', '/admin/macros', admin);
  await shoot('admin-api-keys', '/admin/api-keys', admin);
  await shoot('admin-mailboxes', '/admin/mailboxes', admin);
  await shoot('admin-webhooks', '/admin/webhooks', admin);
  await shoot('admin-jobs', '/admin/jobs', admin);
  await shoot('admin-workspace', '/admin/workspace', admin);
  await shoot('admin-contract', `/admin/contracts/${s.contract}`, admin);
  // Bob's resolved request asks how it went, in the portal and by the email's link.
  await shoot('portal-csat', `/tickets/${s.rated}#csat`, customer);
  const survey = receivedMail(process.env.HELPDESK_E2E_MAIL_DIR ?? '')
    .filter((m) => m.includes('bob.martin@northwind.example'))
    .map((m) => m.match(/\/csat\/([\w-]+)\?rating=GOOD/)?.[1])
    .find(Boolean);
  expect(survey, 'a survey link mailed to Bob').toBeTruthy();
  await shoot('csat', `/csat/${survey}?rating=GOOD`, undefined);
  await shoot('console-shortcuts', '/tickets', staff, async (p) => {
    await p.keyboard.press('?');
    await p.waitForSelector('dialog#shortcuts[open]');
  });

  for (const x of violations) {
    console.log(`axe ${x.page} ${x.variant}: ${x.id} [${x.impact}] ${x.help} -> ${x.targets.slice(0, 4).join(' | ')}`);
  }
  console.log(`axe: ${violations.length} violation(s) over ${pages} pages x 4 variants`);
  expect(violations, 'axe violations').toEqual([]);
});
