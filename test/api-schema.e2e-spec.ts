// The console's generated API types (web/src/api/schema.d.ts) must match the
// OpenAPI document the service publishes: regenerate with `npm run gen:api`.
// (openapi-typescript loads ESM-only packages, so the check runs as a child process; the
// document is built here, where the app's modules are compiled already, and handed to it as JSON.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openApiDocument } from '../scripts/gen-api';

test('web/src/api/schema.d.ts is generated from the current OpenAPI document', async () => {
  const root = join(__dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'caselink-api-schema-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(await openApiDocument()));
    const run = promisify(execFile)(
      process.execPath,
      [
        join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'),
        '--transpile-only',
        'scripts/gen-api.ts',
        '--check',
        '--document',
        file,
      ],
      { cwd: root },
    );
    await expect(run.then((r) => r.stdout)).resolves.toMatch(/is current/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
