// `npm run screenshots`: PNGs of the console's main pages for the README, in Chinese at 1366×768, on the
// demo world. Starts the built service on a fresh PostgreSQL database (TEST_DATABASE_URL's server, default
// postgres://postgres@127.0.0.1:5432), seeds it with `npm run demo`'s runDemo, signs in as the demo users in
// Debian's Chromium and writes docs/screenshots/*.png; the database is dropped afterwards.
// With BASE_URL set it uses that running service instead, seeding the database the environment names
// (DATABASE_URL, or the embedded one under DATA_DIR), as `npm run demo` would.
// Chinese text needs a CJK font in the system (Debian: `apt-get install -y fonts-noto-cjk`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium, type Page } from 'playwright-core';
import { runDemo } from './demo';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'docs', 'screenshots');
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
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Shot {
  file: string;
  user: string;
  path: (refs: Record<string, string>) => string;
  /** What must be drawn before the picture is taken. */
  ready: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  {
    file: 'work-queue.png',
    user: 'hz.psb.liqiang',
    path: () => '/',
    ready: (page) => page.locator('.ant-table-row').first().waitFor(),
  },
  {
    file: 'submit-form.png',
    user: 'hz.amr.wangfang',
    path: () => '/referrals/new',
    ready: async (page) => {
      await page.getByLabel('案件名称').fill('萧山区某仓库销售假冒注册商标白酒案');
      await page.getByLabel('案情摘要').fill('执法检查中在萧山区一仓库查获假冒“茅台”白酒1200瓶，涉嫌销售假冒注册商标的商品。');
    },
  },
  {
    file: 'referral-page.png',
    user: 'hz.psb.liqiang',
    path: (refs) => `/referrals/${refs['DEMO-11']}`,
    ready: async (page) => {
      await page.locator('.caselink-statechart svg').waitFor();
      await page.getByTestId('verify').waitFor();
    },
  },
  {
    file: 'referral-supervision.png',
    user: 'hz.pro.sunli',
    path: (refs) => `/referrals/${refs['DEMO-08']}`,
    ready: async (page) => {
      await page.locator('.caselink-statechart svg').waitFor();
      await page.getByTestId('verify').waitFor();
    },
  },
  {
    file: 'dashboard.png',
    user: 'zj.kunlun.zhenghua',
    path: () => '/dashboard',
    ready: async (page) => {
      // not 'networkidle': the notification stream stays open
      await page.locator('canvas').nth(2).waitFor();
      await page.waitForTimeout(1500); // the charts' entry animation
    },
  },
  {
    file: 'calendar.png',
    user: 'demo.admin',
    path: () => '/manage/calendar',
    ready: async (page) => {
      await page.locator('button[data-date]').first().waitFor();
    },
  },
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function onServer(sql: string): Promise<void> {
  const c = new Client({ connectionString: SERVER_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the service did not become ready in 60 s');
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel(/^密码$/).fill(password);
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function main(): Promise<void> {
  if (!/Noto Sans CJK|WenQuanYi|Source Han/i.test(fontList())) {
    console.warn('screenshots: no CJK font found; Chinese will show as boxes (apt-get install -y fonts-noto-cjk)');
  }
  let base = process.env.BASE_URL?.replace(/\/$/, '');
  let child: ChildProcess | undefined;
  let database: string | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string | undefined> = process.env;
  try {
    if (!base) {
      database = `caselink_screenshots_${randomBytes(4).toString('hex')}`;
      await onServer(`CREATE DATABASE ${database}`);
      const url = new URL(SERVER_URL);
      url.pathname = `/${database}`;
      dataDir = mkdtempSync(join(tmpdir(), 'caselink-screenshots-'));
      const port = await freePort();
      env = {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: url.toString(),
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        QUEUE_PREFIX: `caselink-screenshots-${randomBytes(4).toString('hex')}`,
        ADMIN_PASSWORD: randomBytes(12).toString('hex'),
        LOG_LEVEL: 'warn',
      };
      base = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      await waitReady(base, child);
    }
    const demo = await runDemo(env, () => undefined);
    const refs = Object.fromEntries(demo.referrals.map((r) => [r.ref, r.id]));
    mkdirSync(OUT, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    try {
      for (const shot of SHOTS) {
        const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
        const page = await context.newPage();
        await signIn(page, shot.user, demo.passwords[shot.user]);
        await page.goto(shot.path(refs));
        await page.locator('h1').first().waitFor();
        await shot.ready(page);
        await page.mouse.move(0, 0);
        await page.waitForTimeout(800); // toasts and fades settle
        await page.screenshot({ path: join(OUT, shot.file) });
        console.log(`docs/screenshots/${shot.file}`);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    if (database) await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (database) await forgetQueueKeys(env.REDIS_URL ?? 'redis://127.0.0.1:6379', env.QUEUE_PREFIX!);
  }
}

/** The fresh service's queues, rate limits and pub/sub keys go with its database. */
async function forgetQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function fontList(): string {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`screenshots: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
