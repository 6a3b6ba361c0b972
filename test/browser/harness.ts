// Browser tests: the real service (fresh database, real port, the built
// web/dist) driven by Debian's Chromium through playwright-core. Every page
// collects console errors and failed requests; `expectClean` fails on them.
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app';
import { buildWorld, PASSWORD, type World } from '../support/world';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Harness {
  t: TestApp;
  world: World;
  baseUrl: string;
  browser: Browser;
  /** A signed-in user in a browser context of their own. */
  actor(username: string, options?: { viewport?: { width: number; height: number } }): Promise<Actor>;
  close(): Promise<void>;
}

export interface Actor {
  context: BrowserContext;
  page: Page;
  problems: string[];
  /** axe on the current page (or the part `include` selects): serious and critical violations, as text. */
  axe(include?: string): Promise<string[]>;
  close(): Promise<void>;
}

/** `npm test` builds the console first (pretest); a bare `npx jest test/browser` builds it here when missing. */
function ensureConsoleBuilt(): void {
  const root = join(__dirname, '..', '..');
  if (existsSync(join(root, 'web', 'dist', 'index.html'))) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'error'], {
    cwd: root,
    stdio: 'inherit',
  });
}

/** `env`: the service's settings for this suite (e.g. CLOCK_MODE=controllable for the test clock). */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  ensureConsoleBuilt();
  const t = await createTestApp(env);
  let browser: Browser | undefined;
  try {
    const { port } = t;
    const baseUrl = `http://127.0.0.1:${port}`;
    const world = await buildWorld(t);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    const b = browser;
    return {
      t,
      world,
      baseUrl,
      browser: b,
      async actor(username, options = {}) {
        const context = await b.newContext({
          baseURL: baseUrl,
          viewport: options.viewport ?? { width: 1366, height: 768 },
          locale: 'zh-CN',
        });
        context.setDefaultTimeout(20_000); // a step that cannot happen fails here, with its place, before Jest's timeout
        const page = await context.newPage();
        const problems = watch(page);
        await signIn(page, username, username === 'admin' ? ADMIN_PASSWORD : PASSWORD);
        return {
          context,
          page,
          problems,
          axe: (include) => axe(page, include),
          async close() {
            await context.close();
          },
        };
      },
      async close() {
        await b.close();
        await t.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await t.close();
    throw e;
  }
}

export function watch(page: Page): string[] {
  const problems: string[] = [];
  let closing = false;
  page.on('close', () => (closing = true));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // The notification stream and downloads end when the page goes: not a failure.
    if (closing || r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`));
  return problems;
}

export async function signIn(page: Page, username: string, password = PASSWORD, { fromLogin = false } = {}): Promise<void> {
  if (!fromLogin) {
    await page.goto('/');
    await page.waitForURL(/\/login/);
  }
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登\s*录|Sign in)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

interface BrowserAnimation {
  playState: string;
  effect: { getTiming(): { iterations?: number } } | null;
}

/** Every finite animation (a toast or dialog fading in or out) has ended. */
export async function animationsDone(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { getAnimations(): BrowserAnimation[] } }).document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout: 5000 },
  );
}

/** axe on the page, or on the part `include` selects (a dialog), once animations end. */
export async function axe(page: Page, include?: string): Promise<string[]> {
  // The page at rest: no hover state under a pointer left where the last click was, and no toast or dialog
  // still fading in (its text at part opacity) — contrast is judged on what a reader sees when nothing moves.
  await page.mouse.move(0, 0);
  await animationsDone(page);
  const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
  const result = await (include ? builder.include(include) : builder).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

/** Picks an option of an antd Select by typing into it (the select is found by its label, or given). */
export async function choose(page: Page, label: string | RegExp | Locator, text: string, { search = false } = {}): Promise<void> {
  const box = typeof label === 'string' || label instanceof RegExp ? page.getByLabel(label) : label;
  await box.click();
  if (search) await box.fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
  // Closed before the next pick: a second select's options are not looked for in this one's closing list.
  await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
}

/** Types a date (YYYY-MM-DD) into an antd DatePicker and confirms it. */
export async function pickDate(input: Locator, date: string): Promise<void> {
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}
