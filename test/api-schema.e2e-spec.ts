// The console's generated API types (web/src/api/schema.d.ts) must match the
// OpenAPI document the service publishes: regenerate with `npm run gen:api`.
// (openapi-typescript loads ESM-only packages, so the check runs as a child process.)
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

test('web/src/api/schema.d.ts is generated from the current OpenAPI document', async () => {
  const root = join(__dirname, '..');
  const run = promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', 'scripts/gen-api.ts', '--check'],
    { cwd: root },
  );
  await expect(run.then((r) => r.stdout)).resolves.toMatch(/is current/);
});
