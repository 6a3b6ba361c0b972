// The suite runner (test/support/runner/) that runs the unit, e2e and fault projects: run on the fixture
// files in test/fixtures/suite-runner/ by a Jest of its own, one worker, in name order. A file's
// environment variables, spies and timeout do not reach the next file; a worker that dies fails its
// file only; failures and timeouts are reported as Jest reports them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const FIXTURES = join(ROOT, 'test/fixtures/suite-runner');

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: { title: string; status: string; failureMessages: string[] }[];
  }[];
}

describe('the suite runner', () => {
  let report: JestJson;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caselink-suite-runner-'));
    const outputFile = join(dir, 'report.json');
    const childEnv = { ...process.env };
    delete childEnv.SUITE_RUNNER_LEAK;
    await new Promise<void>((done, fail) => {
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'node_modules/jest/bin/jest.js'),
          '-c',
          join(FIXTURES, 'jest.config.js'),
          '--json',
          `--outputFile=${outputFile}`,
        ],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: childEnv },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', fail);
      // Jest exits 1: the fixtures fail on purpose.
      child.on('exit', (code) => (code === 1 ? done() : fail(new Error(`jest exited ${code}: ${stderr}`))));
    });
    report = JSON.parse(readFileSync(outputFile, 'utf8'));
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string) => report.testResults.find((r) => r.name.endsWith(name))!;
  const test = (name: string, title: string) => file(name).assertionResults.find((t) => t.title === title)!;

  it('runs every file, in order, through one worker and then its replacement', () => {
    expect(report.testResults.map((r) => [r.name.slice(FIXTURES.length + 1), r.status])).toEqual([
      ['a-leaves.fixture.ts', 'passed'],
      ['b-sees-none.fixture.ts', 'passed'],
      ['c-dies.fixture.ts', 'failed'],
      ['d-new-worker.fixture.ts', 'failed'],
      ['e-broken.fixture.ts', 'failed'],
    ]);
    expect(report.numPassedTests).toBe(3);
  });

  it("shares a worker's modules between files but puts back environment variables, spies and the test timeout", () => {
    expect(
      test('b-sees-none.fixture.ts', 'shares the modules of the earlier file, not its environment variable, spy or timeout')
        .status,
    ).toBe('passed');
  });

  it('fails the file whose worker died, with the reason, and goes on in a new worker', () => {
    expect(file('c-dies.fixture.ts').message).toContain('the test worker exited (code 7) while running this file');
    expect(test('d-new-worker.fixture.ts', 'runs in a new worker with its own modules').status).toBe('passed');
  });

  it('reports failed expectations and timeouts as failed tests', () => {
    expect(test('d-new-worker.fixture.ts', 'reports a failed expectation as a failed test').failureMessages.join()).toContain(
      'Expected: 41',
    );
    expect(test('d-new-worker.fixture.ts', 'fails a test that outlives its own timeout').failureMessages.join()).toContain(
      'Exceeded timeout of 100 ms',
    );
    // A thrown value the worker cannot send as it is (it holds a function) still reaches Jest, as a failure.
    expect(
      test(
        'd-new-worker.fixture.ts',
        'reports a thrown value that cannot be sent as it is (it holds a function)',
      ).failureMessages.join(),
    ).toContain('a thrown object with a function');
  });

  it('fails a file that does not load, as Jest does', () => {
    expect(file('e-broken.fixture.ts').message).toMatch(/Cannot find module '\.\/no-such-module'/);
  });
});
