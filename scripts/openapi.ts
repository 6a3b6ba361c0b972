// Writes the OpenAPI document to dist/openapi.json (or the path given), with no
// database or Redis (see src/openapi/preview.ts). `npm run lint:api` lints it.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { previewOpenApiDocument } from '../src/openapi/preview';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'dist/openapi.json');
  const document = await previewOpenApiDocument();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${out}: ${Object.keys(document.paths).length} paths\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
