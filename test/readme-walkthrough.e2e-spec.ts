// README's "A referral, step by step", pasted into bash as a reader would: against a running service on
// PORT, with the admin password exported as it says, twice on the same database.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from './support/test-app';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function walkthrough(): string {
  const section = README.slice(README.indexOf('## A referral, step by step'));
  const start = section.indexOf('```sh\n') + '```sh\n'.length;
  return section.slice(start, section.indexOf('```', start));
}

function paste(script: string, port: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['--norc', '--noprofile', '-c', script],
      { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('README walk-through', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    port = t.port;
  });
  afterAll(() => t.close());

  it('tells the reader to export ADMIN_PASSWORD and reads the port from PORT', () => {
    const script = walkthrough();
    expect(script).toMatch(/^export ADMIN_PASSWORD=/m);
    expect(script).toContain('${PORT:-3000}');
    expect(script).not.toMatch(/127\.0\.0\.1:3000/);
  });

  it('runs when pasted, and again on the same database', async () => {
    // The reader replaces the placeholder with the admin's password.
    const script = walkthrough().replace(/^export ADMIN_PASSWORD=.*$/m, `export ADMIN_PASSWORD='${ADMIN_PASSWORD}'`);
    for (const run of [1, 2]) {
      const { code, stdout, stderr } = await paste(script, port);
      expect({ run, code, stderr }).toEqual({ run, code: 0, stderr: '' });
      expect(stdout).toMatch(/^under-review$/m);
      expect(stdout).toMatch(/^reviewed$/m);
      expect(stdout).toMatch(/^accepted$/m);
      expect(stdout).toContain('"valid":true,"events":4');
      expect(stdout).not.toContain('undefined');
      // Runs within one second share the suffix (RUN=$(date +%s)); the next run starts in a later second.
      if (run === 1) await new Promise((r) => setTimeout(r, 1050 - (Date.now() % 1000)));
    }
  }, 120_000);
});
