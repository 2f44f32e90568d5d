import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createTestApp } from '../support/create-test-app.js';
import { crimeBody } from '../factories/crime.factory.js';
import { loginAs, type Headers } from '../factories/identity.js';
import {
  axe,
  chromiumPath,
  createWebUser,
  hasCount,
  hasText,
  launch,
  listen,
  screenshot,
  signIn as signInAt,
  type AxeViolation,
  type WebUser,
} from './browser.js';

// Issue 16: the force return and the national figures in a real browser. Data: 2024-25
// in Cumbria (the browser's force), Durham and Cleveland, whose 2023-24 returns are also accepted here so the
// year on year has common forces; references unique to this run.
const run = chromiumPath() ? describe : describe.skip;
const YEAR = '2024-25';
const F1 = 'cumbria';
const OTHERS = ['durham', 'cleveland'];

// Two long browser journeys: their timeouts allow for a loaded two-core machine (each takes about 2 minutes idle).
run('web interface: the force return and the national figures', () => {
  let app: INestApplication;
  let base: string;
  let browser: Browser;
  let api: Headers;
  let statApi: Headers;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  let fcrUser: WebUser;
  let statUser: WebUser;
  const visited: { page: string; violations: AxeViolation[] }[] = [];
  const http = () => request(app.getHttpServer());
  let amendable: { id: string; version: number };

  const dates = (y: number, m = '05') => ({
    reportedAt: `${y}-${m}-01T10:00:00Z`,
    recordedAt: `${y}-${m}-01T12:00:00Z`,
    offenceFrom: `${y}-04-20T18:00:00Z`,
    offenceTo: null,
  });
  async function record(body: Record<string, unknown>): Promise<{ id: string; version: number }> {
    return (await http().post('/crimes').set(api).send(body).expect(201)).body as {
      id: string;
      version: number;
    };
  }
  // A force-year through the API: n online child sexual offences and m offline harassments, submitted and accepted.
  async function acceptedReturn(
    force: string,
    startYear: number,
    online: number,
    offline: number,
  ): Promise<void> {
    const label = `${startYear}-${String(startYear + 1).slice(2)}`;
    for (let i = 0; i < online; i++)
      await record(
        crimeBody({
          forceId: force,
          crimeReference: `WR/${tag}/${force}/${startYear}/A${i}`,
          ...dates(startYear),
        }),
      );
    for (let i = 0; i < offline; i++) {
      await record(
        crimeBody({
          forceId: force,
          crimeReference: `WR/${tag}/${force}/${startYear}/B${i}`,
          offenceCode: '8L',
          victimAge: 30,
          suspectAge: null,
          onlineFlag: 'no',
          onlineMethod: null,
          onlinePlatform: null,
          ...dates(startYear),
        }),
      );
    }
    const submitted = await http()
      .post(`/returns/${force}/${label}/submit`)
      .set(api)
      .send({ version: 0, signedOffName: 'Test FCR' })
      .expect(200);
    await http()
      .post(`/returns/${force}/${label}/accept`)
      .set(statApi)
      .send({ version: (submitted.body as { version: number }).version })
      .expect(200);
  }

  beforeAll(async () => {
    app = await createTestApp();
    base = await listen(app);
    fcrUser = await createWebUser(app, {
      username: `web.fcr.${tag.toLowerCase()}`,
      displayName: 'Robin Registrar',
      roles: ['registrar', 'force_crime_registrar'],
      forces: [F1],
    });
    statUser = await createWebUser(app, {
      username: `web.stat.${tag.toLowerCase()}`,
      displayName: 'Alex Statistician',
      roles: ['statistician'],
      forces: 'all',
    });
    api = await loginAs(
      app,
      ['registrar', 'force_crime_registrar'],
      [F1, ...OTHERS],
      'web-returns-fcr',
    );
    statApi = await loginAs(app, ['statistician'], 'all', 'web-returns-stat');
    // Cumbria 2024-25: three online child sexual offences, one offline harassment, two drafts with the flag unknown.
    for (let i = 0; i < 3; i++) {
      const c = await record(
        crimeBody({
          forceId: F1,
          crimeReference: `WR/${tag}/C${i}`,
          ...dates(2024),
          victimSex: i === 2 ? 'male' : 'female',
        }),
      );
      if (i === 0) amendable = c;
    }
    await record(
      crimeBody({
        forceId: F1,
        crimeReference: `WR/${tag}/H1`,
        offenceCode: '8L',
        victimAge: 30,
        suspectAge: null,
        onlineFlag: 'no',
        onlineMethod: null,
        onlinePlatform: null,
        ...dates(2024),
      }),
    );
    for (let i = 0; i < 2; i++) {
      await record(
        crimeBody({
          forceId: F1,
          crimeReference: `WR/${tag}/D${i}`,
          offenceCode: '8L',
          victimAge: 30,
          suspectAge: null,
          onlineFlag: 'unknown',
          onlineMethod: null,
          onlinePlatform: null,
          status: 'draft',
          ...dates(2024, '06'),
        }),
      );
    }
    await acceptedReturn('durham', 2024, 2, 6);
    await acceptedReturn('cleveland', 2024, 1, 1);
    await acceptedReturn('durham', 2023, 1, 3);
    await acceptedReturn('cleveland', 2023, 1, 4);
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function visit(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('load');
    visited.push({ page: name, violations: await axe(page) });
    await screenshot(page, name);
  }

  async function signIn(context: BrowserContext, user: WebUser): Promise<Page> {
    return signInAt(await context.newPage(), base, user);
  }

  // GOV.UK tables: a table's title is its caption, not said again by a heading above it. Each caption's
  // label ("Table 2:") must appear once in the page's main content.
  async function tableTitlesOnce(page: Page, tables: string): Promise<void> {
    const main = await page.locator('main').innerText();
    const captions = await page.locator(`${tables} caption`).allInnerTexts();
    expect(captions.length).toBeGreaterThan(0);
    for (const caption of captions) {
      const label = /^Table \w+:/.exec(caption.trim())?.[0];
      expect(label).toBeDefined();
      expect([label, main.split(label!).length - 1]).toEqual([label, 1]);
    }
  }

  // The MOJ badge's CSS capitalises it, so read its text, not what is painted.
  const badge = async (page: Page) => (await page.locator('h1 .moj-badge').textContent())?.trim();

  const returnUrl = `/annual-returns/${F1}/${YEAR}`;

  it('registrar resolves the blocking drafts in bulk and submits; statistician returns it; registrar resubmits and sees the diff; statistician accepts', async () => {
    const fcrContext = await browser.newContext({ bypassCSP: true });
    const fcr = await signIn(fcrContext, fcrUser);

    // The picker, then the return: blocked by CF-RET-002 with the two drafts linked.
    await fcr.click('a:has-text("Annual returns")');
    await fcr.selectOption('#force', F1);
    await fcr.selectOption('#year', YEAR);
    await visit(fcr, 'return-picker');
    await fcr.click('button:has-text("Open the return")');
    await fcr.waitForURL(`${base}${returnUrl}`);
    await hasText(fcr.locator('h1'), `Annual return ${YEAR}`);
    await hasText(fcr.locator('#return-rules ~ .cf-finding'), 'CF-RET-002');
    await hasCount(fcr.locator('#finding-CF-RET-002 li a'), 2);
    await hasCount(fcr.locator('a:has-text("Submit the return")'), 0);
    await hasText(fcr.locator('table:has(caption:has-text("Table A"))'), 'All offences');
    await tableTitlesOnce(fcr, 'table:is(#table-a, #table-b, #table-c)');
    await visit(fcr, 'return-blocked');

    // Bulk resolution: both drafts become "not online" and are confirmed.
    await fcr.click('a:has-text("Resolve the 2 drafts in bulk")');
    await hasCount(fcr.locator('input[name="ids"]:checked'), 2);
    await visit(fcr, 'return-resolve');
    await fcr.check('#onlineFlag');
    await fcr.fill('#reason', 'Enquiries found no online element');
    await fcr.click('button:has-text("Resolve and confirm the selected drafts")');
    await fcr.waitForURL(`${base}${returnUrl}?notice=resolved-2`);
    await hasText(fcr.locator('.govuk-notification-banner'), '2 drafts resolved and confirmed');
    await hasText(fcr.locator('#return-rules + p'), 'The return rules pass');

    // Submit with a sign-off name on a confirmation page.
    await fcr.click('a:has-text("Submit the return")');
    await hasText(fcr.locator('h1'), 'Submit the return');
    await visit(fcr, 'return-submit');
    await fcr.fill('#signedOffName', 'Robin Registrar, FCR');
    await fcr.click('button:has-text("Submit the return")');
    await fcr.waitForURL(`${base}${returnUrl}?notice=submitted-1`);
    expect(await badge(fcr)).toBe('submitted');
    await hasCount(fcr.locator('table:has(caption:has-text("Submitted revisions")) tbody tr'), 1);
    await hasText(
      fcr.locator('table:has(caption:has-text("Submitted revisions")) tbody tr'),
      'Robin Registrar, FCR',
    );
    const csv = await fcr.request.get(`${base}${returnUrl}/download/csv?revision=1`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toMatch(
      /^attachment; filename=".*cumbria.*2024-25.*"/,
    );

    // The statistician sees it as submitted and returns it with a reason.
    const statContext = await browser.newContext({ bypassCSP: true });
    const stat = await signIn(statContext, statUser);
    await stat.goto(`${base}${returnUrl}`);
    expect(await badge(stat)).toBe('submitted');
    await visit(stat, 'return-statistician');
    await stat.click('a:has-text("Return to the force")');
    await visit(stat, 'return-send-back');
    await stat.fill('#reason', 'Table B: please check the victim sex of C2');
    await stat.click('button:has-text("Return to the force")');
    await stat.waitForURL(`${base}${returnUrl}?notice=returned`);
    expect(await badge(stat)).toBe('returned');

    // The registrar corrects a record, sees it listed as changed, resubmits and reads the diff.
    await http()
      .patch(`/crimes/${amendable.id}`)
      .set(api)
      .send({ version: amendable.version, reason: 'victim sex corrected', victimSex: 'male' })
      .expect(200);
    await fcr.goto(`${base}${returnUrl}`);
    expect(await badge(fcr)).toBe('returned');
    await hasText(fcr.locator('#events ~ ul'), 'Table B: please check the victim sex of C2');
    await hasText(
      fcr.locator('#changed-since + p'),
      '1 record changed since revision 1 was submitted',
    );
    await hasText(
      fcr.locator('table:has(caption:has-text("Records changed since"))'),
      `WR/${tag}/C0`,
    );
    await fcr.click('a:has-text("Resubmit the return")');
    await fcr.fill('#signedOffName', 'Robin Registrar, FCR');
    await fcr.fill('#reason', 'Victim sex corrected');
    await fcr.click('button:has-text("Resubmit the return")');
    await fcr.waitForURL(`${base}${returnUrl}?notice=submitted-2`);
    await screenshot(fcr, 'return-page');
    await fcr.click('a:has-text("What changed from revision 1")');
    await hasText(fcr.locator('h1'), 'Revision 2 against revision 1');
    // Table B's 13-15 band moved one crime from female to male.
    const band = fcr.locator(
      'table:has(caption:has-text("Table B: online-flagged")) tr:has(th:text-is("13-15"))',
    );
    await hasText(band.locator('td.cf-changed').first(), '2 → 1');
    await hasText(band.locator('td.cf-changed').nth(1), '1 → 2');
    await visit(fcr, 'return-diff');

    // A stale version gets a clear message, not an error page: accept with the version before the resubmission.
    await stat.goto(`${base}${returnUrl}/accept`);
    await stat.evaluate(() => {
      (document.querySelector('input[name="version"]') as HTMLInputElement).value = '2';
    });
    await stat.click('button:has-text("Accept the return")');
    await hasText(
      stat.locator('.govuk-error-summary'),
      'Someone else changed this return while you had the page open',
    );
    await visit(stat, 'return-accept-stale');
    // Then the real acceptance, from the force's row in the year tracker filtered to submitted returns.
    await stat.click('a:has-text("Year tracker")');
    await stat.goto(`${base}/year-tracker/${YEAR}?state=submitted`);
    await hasText(stat.locator('#tracker-summary'), '1 submitted and waiting for you');
    await hasCount(stat.locator('#tracker tbody tr'), 1);
    const row = stat.locator(`#force-${F1}`);
    await hasText(row, 'Cumbria');
    await hasText(row, 'North West');
    expect((await row.locator('.moj-badge').textContent())?.trim()).toBe('submitted');
    await visit(stat, 'year-tracker');
    await row.locator('a:has-text("Accept")').click();
    await stat.waitForURL(`${base}${returnUrl}/accept`);
    await visit(stat, 'return-accept');
    await stat.click('button:has-text("Accept the return")');
    await stat.waitForURL(`${base}${returnUrl}?notice=accepted`);
    expect(await badge(stat)).toBe('accepted');

    // National figures: coverage, forces not included named, charts with accessible names and data tables.
    await stat.click('a:has-text("National figures")');
    await stat.goto(`${base}/national-figures/${YEAR}`);
    await hasText(stat.locator('#coverage'), 'Coverage: 3 of ');
    await hasText(stat.locator('#not-included'), 'Kent');
    const dots = stat.locator('#chart-flag-rate svg[role="img"] circle.cf-dot');
    await hasCount(dots, 3);
    const name = await stat.locator('#chart-flag-rate svg').getAttribute('aria-labelledby');
    expect(await stat.locator(`[id="${name!.split(' ')[0]}"]`).textContent()).toBe(
      `Online-flag rate by force, ${YEAR}, against the England and Wales rate`,
    );
    await hasCount(stat.locator('#chart-flag-rate table.cf-chart-data tbody tr'), 4); // three forces and England and Wales
    await hasCount(stat.locator('#chart-cso svg[role="img"] rect.cf-bar'), 18);
    await hasCount(stat.locator('#chart-yoy svg[role="img"] g.cf-pair'), 2); // Cumbria has no accepted 2023-24
    await hasText(stat.locator('#year-on-year + p'), 'Coverage: 2 of');
    await visit(stat, 'national-page');
    await stat.goto(`${base}/national-figures/${YEAR}?basis=live`);
    await hasText(stat.locator('#live-title'), 'Live preview');
    await visit(stat, 'national-live');

    // The charts are server-rendered: without JavaScript the same SVGs and tables are there.
    const noScript = await browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
    const plain = await signIn(noScript, statUser);
    await plain.goto(`${base}/national-figures/${YEAR}`);
    await hasCount(plain.locator('svg[role="img"]'), 3);
    await hasCount(plain.locator('#chart-flag-rate circle.cf-dot'), 3);
    await hasCount(plain.locator('table.cf-chart-data'), 3);
    await noScript.close();

    await statContext.close();
    await fcrContext.close();
  }, 480_000);

  it('statistician previews a publication with [c] cells, confirms the forces left out, publishes and sees the earlier one superseded; a registrar revises the published return with a reason', async () => {
    const durhamUser = await createWebUser(app, {
      username: `web.fcr.durham.${tag.toLowerCase()}`,
      displayName: 'Dana Durham',
      roles: ['registrar', 'force_crime_registrar'],
      forces: ['durham'],
    });
    // An earlier publication of the year through the API, acknowledging every force left out (the coverage
    // guard names them): the one made in the browser supersedes it.
    const refused = await http()
      .post(`/national/${YEAR}/publications`)
      .set(statApi)
      .send({ title: `Earlier ${tag}`, disclosure: { method: 'threshold' } })
      .expect(422);
    const missing = (refused.body.details.missingForces as { forceId: string }[]).map(
      (f) => f.forceId,
    );
    const earlier = (
      await http()
        .post(`/national/${YEAR}/publications`)
        .set(statApi)
        .send({
          title: `Earlier ${tag}`,
          disclosure: { method: 'threshold' },
          acknowledgeMissingForces: missing,
        })
        .expect(201)
    ).body as { id: string };

    const statContext = await browser.newContext({ bypassCSP: true });
    const stat = await signIn(statContext, statUser);
    await stat.goto(`${base}/national-figures/${YEAR}`);
    await stat.click('#publications-link');
    await stat.waitForURL(`${base}/national-publications/year/${YEAR}`);
    // The MOJ badge's CSS capitalises it: its text, not what is painted.
    const tagOf = async (row: string) =>
      (await stat.locator(`${row} .moj-badge`).first().textContent())?.trim();
    expect(await tagOf(`#publication-${earlier.id}`)).toBe('current');
    await visit(stat, 'publications-list');

    // Settings chosen on the page, then the preview: small counts shown as [c], forces not in as [x].
    await stat.click('a:has-text("Prepare a publication")');
    await hasText(stat.locator('h1'), `Prepare a publication for ${YEAR}`);
    await visit(stat, 'publication-settings');
    await stat.fill('#title', `Browser publication ${tag}`);
    await stat.fill('#threshold', '5');
    await stat.fill('#lowerProtection', '3');
    await stat.click('button:has-text("Preview the tables")');
    await stat.waitForURL(/\/new\?.*method=threshold/);
    await hasText(stat.locator('#preview-summary'), 'cells as [c]');
    const forces = stat.locator('#table-force-by-flag');
    await hasText(forces.locator('caption'), 'Counting unit');
    expect(await stat.locator('td.cf-suppressed').count()).toBeGreaterThan(0);
    expect((await stat.locator('td.cf-suppressed').first().textContent())?.trim()).toBe('[c]');
    // Cleveland: one online child sexual offence, below the threshold.
    expect(
      (await forces.locator('tr:has(th:has-text("Cleveland")) td').first().textContent())?.trim(),
    ).toBe('[c]');
    await hasText(forces.locator('tr:has(th:has-text("Kent Police"))'), '[x]');
    await hasText(stat.locator('#symbols'), 'Confidential');
    await tableTitlesOnce(stat, '.cf-publication-table');
    await visit(stat, 'publication-preview');
    await screenshot(stat, 'publication-preview');

    // Publishing with forces missing asks for a confirmation naming them; unticked, it asks again.
    await stat.click('button:has-text("Publish with these settings")');
    await hasText(stat.locator('h1'), `Publish without ${missing.length} forces?`);
    await hasCount(stat.locator('#missing-forces tbody tr'), missing.length);
    await hasText(stat.locator('#missing-forces'), 'Kent Police');
    await visit(stat, 'publication-confirm');
    await stat.click('button:has-text("Publish without these forces")');
    await hasText(stat.locator('.govuk-error-summary'), 'Confirm that the publication leaves out');
    await visit(stat, 'publication-confirm-error');
    await stat.check('#confirmMissing');
    await stat.click('button:has-text("Publish without these forces")');
    await stat.waitForURL(/\/national-publications\/[0-9a-f-]{36}\?notice=published$/);
    const id = /national-publications\/([0-9a-f-]{36})/.exec(stat.url())![1]!;
    await hasText(stat.locator('h1'), `Browser publication ${tag}`);
    expect(await tagOf('h1')).toBe('current');
    expect(await stat.locator('td.cf-suppressed').count()).toBeGreaterThan(0);
    await visit(stat, 'publication-view');
    // The settings chosen on the page are the ones stored with the publication.
    const stored = await http().get(`/publications/${id}`).set(statApi).expect(200);
    expect(stored.body.config).toEqual({
      method: 'threshold',
      threshold: 5,
      secondaryMethod: 'optimal',
      cost: 'value',
      protection: { lower: 3 },
    });
    const xlsx = await stat.request.get(`${base}/national-publications/${id}/download/xlsx`);
    expect(xlsx.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
    expect(wb.worksheets.slice(0, 4).map((w) => w.name)).toEqual([
      'Cover',
      'Contents',
      'Notes',
      'Table_1',
    ]);

    // The list: the new one current, the earlier one marked superseded by it.
    await stat.goto(`${base}/national-publications/year/${YEAR}`);
    expect(await tagOf(`#publication-${id}`)).toBe('current');
    expect(await tagOf(`#publication-${earlier.id}`)).toBe('superseded');
    await hasText(stat.locator(`#publication-${earlier.id}`), `by Browser publication ${tag}`);
    await visit(stat, 'publications-list-superseded');

    // A correction after publication: Durham's return is locked; a crime recorded late changes its data. The
    // tracker shows the change; the registrar submits a revised return, which needs the reason.
    await record(
      crimeBody({ forceId: 'durham', crimeReference: `WR/${tag}/durham/LATE`, ...dates(2024) }),
    );
    await stat.goto(`${base}/year-tracker/${YEAR}?changed=changed`);
    const durhamRow = stat.locator('#force-durham');
    await hasText(durhamRow.locator('.cf-changed-since'), '1');
    expect((await durhamRow.locator('.cf-accepted').textContent())?.trim()).toMatch(
      /^\d{1,2} [A-Z][a-z]+ \d{4} at /,
    );
    expect((await durhamRow.locator('.moj-badge').textContent())?.trim()).toBe('locked');
    await visit(stat, 'year-tracker-changed');

    const dContext = await browser.newContext({ bypassCSP: true });
    const fcr = await signIn(dContext, durhamUser);
    await fcr.goto(`${base}/annual-returns/durham/${YEAR}`);
    expect(await badge(fcr)).toBe('locked');
    await fcr.click('a:has-text("Submit a revised return")');
    await hasText(fcr.locator('h1'), 'Submit a revised return');
    await visit(fcr, 'return-revise');
    await fcr.fill('#signedOffName', 'Dana Durham, FCR');
    await fcr.click('button:has-text("Submit a revised return")');
    await hasText(fcr.locator('.govuk-error-summary'), 'Enter the reason for the correction');
    await visit(fcr, 'return-revise-error');
    await fcr.fill('#reason', 'A crime recorded late, after publication');
    await fcr.click('button:has-text("Submit a revised return")');
    await fcr.waitForURL(`${base}/annual-returns/durham/${YEAR}?notice=revised-2`);
    expect(await badge(fcr)).toBe('revised');
    await hasText(fcr.locator('#events ~ ul'), 'A crime recorded late, after publication');
    await stat.goto(`${base}/year-tracker/${YEAR}?state=revised`);
    await hasCount(stat.locator('#tracker tbody tr'), 1);
    await hasText(stat.locator('#force-durham .cf-changed-since'), '0');
    await dContext.close();
    await statContext.close();
  }, 480_000);

  it('found no serious or critical accessibility problem on any page visited', () => {
    expect(visited.length).toBeGreaterThan(8);
    expect(visited.filter((v) => v.violations.length > 0)).toEqual([]);
  });
});
