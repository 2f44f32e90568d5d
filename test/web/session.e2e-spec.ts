import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createTestApp, testAuthConfig } from '../support/create-test-app.js';
import {
  chromiumPath,
  createWebUser,
  hasText,
  launch,
  listen,
  signIn,
  type WebUser,
} from './browser.js';

// Issue 15 §2 and §5: an idle browser session ends (server side too), and the service works from the keyboard alone.
const run = chromiumPath() ? describe : describe.skip;

run('web interface: sessions and keyboard use', () => {
  let app: INestApplication;
  let base: string;
  let browser: Browser;
  let user: WebUser;

  beforeAll(async () => {
    app = await createTestApp({ auth: testAuthConfig({ webIdleSeconds: 3 }) });
    base = await listen(app);
    user = await createWebUser(app, {
      username: `web.idle.${randomUUID().slice(0, 6)}`,
      displayName: 'Idle Tester',
      roles: ['registrar'],
      forces: ['humberside'],
    });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs in and reaches the crime list using only the keyboard', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.focus('#username');
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/`);
    // Tab through the page until the "Crime records" navigation link has focus, then follow it.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      if (
        (await page.evaluate(() => document.activeElement?.textContent?.trim())) === 'Crime records'
      )
        break;
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/records`);
    await hasText(page.locator('h1'), 'Crime records');
    await context.close();
  }, 60_000);

  it('ends a session left idle longer than the timeout, and the old cookies cannot revive it', async () => {
    const context = await browser.newContext();
    const page = await signIn(await context.newPage(), base, user);
    await page.goto(`${base}/records`); // active: still signed in
    expect(new URL(page.url()).pathname).toBe('/records');
    const cookies = await context.cookies();
    await new Promise((r) => setTimeout(r, 4000));
    await page.goto(`${base}/records`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const again = await browser.newContext();
    await again.addCookies(
      cookies
        .filter((c) => c.name !== 'cf_seen')
        .concat(cookies.filter((c) => c.name === 'cf_seen')),
    );
    const replay = await again.newPage();
    await replay.goto(`${base}/records`);
    expect(new URL(replay.url()).pathname).toBe('/sign-in');
    await again.close();
    // Ended on the server too: the session's refresh token is refused by the API.
    const refresh = cookies.find((c) => c.name === 'cf_refresh')?.value;
    expect(refresh).toBeDefined();
    const res = await request(app.getHttpServer())
      .post('/auth/refresh')
      .send({ refreshToken: decodeURIComponent(refresh ?? '') });
    expect(res.status).toBe(401);
    await context.close();
  }, 60_000);
});
