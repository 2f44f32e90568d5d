import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createTestApp } from '../support/create-test-app.js';
import { crimeBody } from '../factories/crime.factory.js';
import { loginAs } from '../factories/identity.js';
import {
  axe,
  chromiumPath,
  createWebUser,
  hasText,
  launch,
  listen,
  screenshot,
  signIn,
  type AxeViolation,
} from './browser.js';

// Issue 20 §5: the force crime registrar's list of rape reports held as N100, in a real browser with axe-core.
// North Yorkshire, as in test/incidents.e2e-spec.ts (no other spec uses it); its crimes are 2019-20 drafts.
const run = chromiumPath() ? describe : describe.skip;
const FORCE = 'north-yorkshire';

run('web interface: N100 reports for the force crime registrar', () => {
  let app: INestApplication;
  let base: string;
  let browser: Browser;
  let page: Page;
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const visited: { page: string; violations: AxeViolation[] }[] = [];
  const held: { id: string; ref: string }[] = [];
  const crimeRef = `NY/WEB/${tag}`;

  beforeAll(async () => {
    app = await createTestApp();
    base = await listen(app);
    const fcr = await createWebUser(app, {
      username: `web.fcr.${tag.toLowerCase()}`,
      displayName: 'Fran Registrar',
      roles: ['force_crime_registrar'],
      forces: [FORCE],
    });
    const registrar = await loginAs(app, ['registrar'], [FORCE], 'reg-web-nyorks');
    const http = () => request(app.getHttpServer());
    for (const days of [12, 3]) {
      const ref = `NY/N100/${tag}-${days}`;
      const res = await http()
        .post('/reported-incidents')
        .set(registrar)
        .send({
          forceId: FORCE,
          incidentReference: ref,
          reportedAt: new Date(Date.now() - days * 86_400_000 - 3_600_000).toISOString(),
          reason: 'Third-party report; the victim has not said a rape occurred',
        })
        .expect(201);
      held.push({ id: res.body.id, ref });
    }
    await http()
      .post('/crimes')
      .set(registrar)
      .send(
        crimeBody({
          forceId: FORCE,
          crimeReference: crimeRef,
          offenceCode: '19C',
          reportedAt: '2019-08-01T10:00:00Z',
          recordedAt: '2019-08-01T12:00:00Z',
          offenceFrom: '2019-07-31T22:00:00Z',
          offenceTo: null,
          onlineFlag: 'no',
          onlineMethod: null,
          onlinePlatform: null,
          victimAge: 22,
          status: 'draft',
        }),
      )
      .expect(201);
    browser = await launch();
    page = await signIn(await (await browser.newContext({ bypassCSP: true })).newPage(), base, fcr);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function visit(name: string): Promise<void> {
    await page.waitForLoadState('load');
    visited.push({ page: name, violations: await axe(page) });
    await screenshot(page, name);
  }
  const row = (ref: string) => page.locator('#n100 tbody tr', { hasText: ref });

  it('lists the outstanding N100s oldest first with their age, and links the recorded crime', async () => {
    await page.click('a.govuk-service-navigation__link:has-text("N100 reports")');
    await hasText(page.locator('h1'), 'Rape reports held as N100');
    await visit('fcr-n100-list');
    const [old, recent] = held;
    await hasText(row(old.ref), 'Third-party report');
    expect((await row(old.ref).locator('td').nth(3).innerText()).trim()).toBe('12');
    expect((await row(recent.ref).locator('td').nth(3).innerText()).trim()).toBe('3');
    const refs = await page.locator('#n100 tbody tr td:first-child').allInnerTexts();
    expect(refs.indexOf(old.ref)).toBeLessThan(refs.indexOf(recent.ref));
    expect(await row(old.ref).locator('a:has-text("Record the crime")').getAttribute('href')).toBe(
      '/records/new',
    );

    // an unknown reference is an error on the field
    await page.fill(`#reference-${recent.id}`, `${crimeRef}-NOPE`);
    await row(recent.ref).locator('button:has-text("Link the crime")').click();
    await hasText(page.locator('.govuk-error-summary'), 'No record in ');
    await visit('fcr-n100-link-error');

    await page.fill(`#reference-${old.id}`, crimeRef);
    await row(old.ref).locator('button:has-text("Link the crime")').click();
    await page.waitForURL(/notice=linked/);
    await hasText(page.locator('.govuk-notification-banner'), 'Crime linked');
    await expect(row(old.ref).count()).resolves.toBe(0);
    await expect(row(recent.ref).count()).resolves.toBe(1);
    await visit('fcr-n100-linked');
  }, 120_000);

  it('found no serious or critical accessibility problem on any page visited', () => {
    expect(visited.length).toBe(3);
    expect(visited.filter((v) => v.violations.length > 0)).toEqual([]);
  });
});
