import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { UsersService, type Role } from '#libs/auth';

// Browser tests drive Debian's Chromium through playwright-core (never a downloaded browser). They run when the
// binary is there (CI installs it: .ci/run); elsewhere their describe blocks are skipped with a note.
export function chromiumPath(): string | null {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return (
      execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
        encoding: 'utf8',
      }).trim() || null
    );
  } catch {
    return null;
  }
}

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no chromium: apt-get install -y chromium');
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface WebUser {
  username: string;
  password: string;
}

// A person who signs in at the web interface, created through UsersService (as the API specs' loginAs does).
export async function createWebUser(
  app: INestApplication,
  user: {
    username: string;
    displayName: string;
    roles: Role[];
    forces: string[] | 'all';
    password?: string;
  },
): Promise<WebUser> {
  const password = user.password ?? randomUUID();
  await app.get(UsersService).create(
    'test',
    {
      username: user.username,
      displayName: user.displayName,
      password,
      roles: user.roles,
      forceIds: user.forces === 'all' ? [] : user.forces,
      allForces: user.forces === 'all',
    },
    () => true,
  );
  return { username: user.username, password };
}

// Signs in through the form and waits for the home page. `from` is where the browser starts: any page that
// needs a session must lead a signed-out browser to the form, which this checks.
export async function signIn(
  page: Page,
  base: string,
  user: WebUser,
  from = '/sign-in',
): Promise<Page> {
  await page.goto(`${base}${from}`);
  const at = new URL(page.url()).pathname;
  if (at !== '/sign-in') throw new Error(`${from} led to ${at}, not to the sign-in form`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL(`${base}/`);
  return page;
}

const AXE = readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  targets: string[];
}

// axe-core on the page as it is now; the serious and critical violations, which a test expects to be none.
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{
            violations: {
              id: string;
              impact: string | null;
              help: string;
              nodes: { target: unknown[] }[];
            }[];
          }>;
        };
      }
    ).axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((n) => String(n.target[0])),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// axe for a page rendered without JavaScript: the same HTML checked in a page that can run axe.
export async function axeHtml(
  browser: Browser,
  url: string,
  html: string,
): Promise<AxeViolation[]> {
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.setContent(html, { waitUntil: 'load' });
    return await axe(page);
  } finally {
    await context.close();
  }
}

// Timings of page loads (navigation start to load), written beside the screenshots: measured, not asserted.
export function recordTiming(name: string, ms: number): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  appendFileSync(
    join(ARTIFACTS, 'page-timings.tsv'),
    `${new Date().toISOString()}\t${name}\t${ms.toFixed(0)}\n`,
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function loadTime(page: Page): Promise<number> {
  return page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return nav ? nav.loadEventEnd - nav.startTime : 0;
  });
}

export function note(text: string): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'README.txt'), text);
}

// jest's expect has no web-first assertions: these poll the page until the condition holds (or fail with it).
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeout = 5000,
): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function hasText(locator: Locator, text: string): Promise<void> {
  await eventually(
    async () =>
      (await locator.count()) > 0 ? (await locator.first().innerText()).includes(text) : false,
    `"${text}" in ${locator.toString()} (it says: ${(await locator.count()) > 0 ? (await locator.first().innerText()).slice(0, 300) : 'nothing'})`,
  );
}

export async function hasCount(locator: Locator, n: number): Promise<void> {
  await eventually(async () => (await locator.count()) === n, `${n} of ${locator.toString()}`);
}
