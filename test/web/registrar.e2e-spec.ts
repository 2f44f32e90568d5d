import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { createTestApp } from '../support/create-test-app.js';
import { crimeBody } from '../factories/crime.factory.js';
import { loginAs } from '../factories/identity.js';
import {
  axe,
  axeHtml,
  chromiumPath,
  createWebUser,
  hasCount,
  hasText,
  launch,
  listen,
  loadTime,
  recordTiming,
  screenshot,
  signIn as signInAt,
  type AxeViolation,
  type WebUser,
} from './browser.js';

// Issue 15: the registrar's day in a real browser (Debian's Chromium), with axe-core on every page visited.
// Records live in Staffordshire with references unique to this run.
const run = chromiumPath() ? describe : describe.skip;

run('web interface: the registrar’s day', () => {
  let app: INestApplication;
  let base: string;
  let browser: Browser;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  let registrar: WebUser;
  const visited: { page: string; title: string; violations: AxeViolation[] }[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    base = await listen(app);
    registrar = await createWebUser(app, {
      username: `web.reg.${tag.toLowerCase()}`,
      displayName: 'Sam Registrar',
      roles: ['registrar', 'force_crime_registrar'],
      forces: ['staffordshire'],
    });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  // Every page the tests open is checked by axe and timed, and its title must be unique to it.
  async function visit(page: Page, name: string, scripted = true): Promise<void> {
    await page.waitForLoadState('load');
    if (scripted) recordTiming(name, await loadTime(page));
    const violations = scripted
      ? await axe(page)
      : await axeHtml(browser, `${base}/sign-in`, await page.content());
    visited.push({ page: name, title: await page.title(), violations });
    await screenshot(page, name);
  }

  // From the home page, which sends a signed-out browser to the sign-in form.
  async function signIn(context: BrowserContext): Promise<Page> {
    return signInAt(await context.newPage(), base, registrar, '/');
  }

  async function fillCrime(page: Page, ref: string, victimAge: string): Promise<void> {
    await page.selectOption('#forceId', 'staffordshire');
    await page.fill('#crimeReference', ref);
    await page.fill('#offenceCode', '71/17');
    for (const [name, d] of [
      ['reportedAt', ['1', '5', '2018', '10:00']],
      ['recordedAt', ['1', '5', '2018', '12:00']],
      ['offenceFrom', ['20', '4', '2018', '18:00']],
    ] as const) {
      await page.fill(`#${name}-day`, d[0]);
      await page.fill(`#${name}-month`, d[1]);
      await page.fill(`#${name}-year`, d[2]);
      await page.fill(`#${name}-time`, d[3]);
    }
    await page.check('#onlineFlag');
    await page.fill('#onlineMethod', 'messages in a chat app');
    await page.check('#victimSex');
    await page.fill('#suspectAge', '30');
    await page.fill('#victimAge', victimAge);
    await page.locator('#victimAge').blur();
  }

  it('signs in, finds a record by reference, records a crime with rule feedback as fields change, amends it, and signs out', async () => {
    const token = await loginAs(app, ['registrar'], ['staffordshire'], 'api-reg');
    const existing = `ST/${tag}/000042`;
    await request(app.getHttpServer())
      .post('/crimes')
      .set(token)
      .send(crimeBody({ forceId: 'staffordshire', crimeReference: existing }))
      .expect(201);

    const context = await browser.newContext({ bypassCSP: true });
    const page = await signIn(context);
    await visit(page, 'registrar-home');
    await hasText(page.locator('.moj-identity-bar'), 'Sam Registrar');
    await hasText(page.locator('.moj-identity-bar'), 'Staffordshire');

    // Find by reference from the header of every page.
    await page.fill('#find-reference', existing);
    await page.click('.cf-find__button');
    await page.waitForURL(/\/records\/[0-9a-f-]{36}$/);
    await hasText(page.locator('h1'), existing);
    await visit(page, 'registrar-record');

    // The crime list with its filter.
    await page.goto(`${base}/records?force=staffordshire`);
    await hasText(page.locator('table caption'), 'Crime records');
    // One force's rows need no force column.
    expect((await page.locator('table thead th').allInnerTexts()).map((h) => h.trim())).toEqual([
      'Crime reference',
      'Offence',
      'Recorded',
      'Online flag',
      'Status',
    ]);
    await visit(page, 'registrar-list');

    // A new crime that breaks a rule: the code appears before submitting.
    await page.goto(`${base}/records/new`);
    const ref = `ST/${tag}/000100`;
    await fillCrime(page, ref, '17');
    await page
      .locator('#rule-findings [data-code="CF-AGE-002"]')
      .waitFor({ state: 'visible', timeout: 5000 });
    await visit(page, 'registrar-new-crime-rule');
    await page.fill('#victimAge', '14');
    await page.locator('#victimAge').blur();
    await hasCount(page.locator('#rule-findings [data-code="CF-AGE-002"]'), 0);
    await page.check('#status-2'); // confirmed
    await page.click('button:has-text("Save the crime")');
    await page.waitForURL(/\/records\/[0-9a-f-]{36}\?notice=recorded$/);
    await hasText(page.locator('.govuk-notification-banner'), 'Crime recorded');
    const recordUrl = page.url().replace(/\?.*$/, '');

    // Amend with a reason; the timeline shows who, why and old -> new.
    await page.click('a:has-text("Amend")');
    await visit(page, 'registrar-amend');
    await page.fill('#victimAge', '13');
    await page.check('input[name="flags"][value="childSexualAbuse"]');
    await page.fill('#reason', 'Victim age confirmed from the school record');
    await page.click('button:has-text("Save the amendment")');
    await page.waitForURL(`${recordUrl}?notice=amended`);
    const timeline = page.locator('.moj-timeline');
    await hasText(timeline, 'Amended (version 2)');
    await hasText(timeline, 'Victim age confirmed from the school record');
    await hasText(timeline, 'Victim age: 14 → 13');
    await hasText(timeline, 'Child sexual abuse: No → Yes');
    await hasText(
      page.locator('.govuk-summary-list__row', { hasText: 'Child sexual abuse' }),
      'Yes',
    );
    await visit(page, 'registrar-record-timeline');

    // Sign out: the old cookies no longer open anything.
    const cookies = await context.cookies();
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/sign-in\?ended=signed-out/);
    await hasText(page.locator('#session-ended'), 'You have signed out');
    await visit(page, 'sign-in');
    const replay = await browser.newContext({ bypassCSP: true });
    await replay.addCookies(cookies);
    const stale = await replay.newPage();
    await stale.goto(recordUrl);
    expect(new URL(stale.url()).pathname).toBe('/sign-in');
    await replay.close();
    await context.close();
  }, 120_000);

  it('records a crime without JavaScript: the rule code comes back in the error summary, then it saves', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
    const page = await signIn(context);
    await page.goto(`${base}/records/new`);
    const ref = `ST/${tag}/000200`;
    await fillCrime(page, ref, '17');
    await hasCount(page.locator('#rule-findings [data-code]'), 0); // no script, no early check
    await page.click('button:has-text("Save the crime")');
    const summary = page.locator('.govuk-error-summary');
    await hasText(summary, 'CF-AGE-002');
    expect(await page.title()).toMatch(/^Error: Record a crime/);
    await visit(page, 'registrar-new-crime-no-js-error', false);
    await page.fill('#victimAge', '15');
    await page.click('button:has-text("Save the crime")');
    await page.waitForURL(/\?notice=recorded$/);
    await hasText(page.locator('h1'), ref);
    await context.close();
  }, 120_000);

  it('imports a small CSV with one bad row in accept-valid mode and shows the report with the rejected row', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await signIn(context);
    await page.goto(`${base}/uploads`);
    await visit(page, 'imports');
    const header =
      'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status';
    const good = `ST/${tag}/IMP1,staffordshire,35,2019-07-01T10:00:00Z,2019-07-01T11:00:00Z,2019-06-30,,Y,email demand,50,male,confirmed`;
    const bad = `ST/${tag}/IMP2,staffordshire,71/17,2019-07-01T10:00:00Z,2019-07-01T11:00:00Z,2019-06-30,,Y,chat,17,female,confirmed`;
    await page.check('#mode-3'); // accept valid
    await page.setInputFiles('#file', {
      name: 'extract.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\r\n${good}\r\n${bad}\r\n`),
    });
    await page.click('button:has-text("Import the file")');
    await page.waitForURL(/\/uploads\/[0-9a-f-]{36}$/);
    await hasText(page.locator('h1'), 'extract.csv');
    await hasText(page.locator('.govuk-summary-list'), 'Rows rejected');
    const rows = page.locator('#rejections tbody tr');
    await hasCount(rows, 1);
    await hasText(rows.first(), `ST/${tag}/IMP2`);
    await hasText(rows.first(), 'CF-AGE-002');
    await hasText(rows.first(), '3');
    await visit(page, 'import-report');
    const csv = await page.request.get(`${page.url()}/report.csv`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\r\n')[1]).toMatch(
      new RegExp(`^3,ST/${tag}/IMP2,staffordshire,CF-AGE-002,`),
    );
    await context.close();
  }, 120_000);

  it('refuses a form post without its CSRF token', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await signIn(context);
    const res = await page.request.post(`${base}/records/new`, {
      form: { forceId: 'staffordshire', crimeReference: `ST/${tag}/CSRF` },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    await context.close();
  }, 60_000);

  it('found no serious or critical accessibility problem on any page visited, and gave each page its own title', () => {
    expect(visited.length).toBeGreaterThan(5);
    expect(visited.filter((v) => v.violations.length > 0)).toEqual([]);
    // One title per kind of page (the same page visited twice has the same title).
    const byTitle = new Map<string, Set<string>>();
    for (const v of visited)
      byTitle.set(
        v.title,
        (byTitle.get(v.title) ?? new Set()).add(
          v.page.replace(/-(rule|timeline|no-js-error)$/, ''),
        ),
      );
    expect([...byTitle].filter(([, pages]) => pages.size > 1)).toEqual([]);
  });
});
