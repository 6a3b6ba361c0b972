// Prints what the browser downloads for the console's first page (sign-in, or
// the work queue after it), gzipped, from web/dist's Vite manifest; exits 1
// over the 500 KB budget. `npm run size:web` after `npm run build`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = join(__dirname, '..', 'web', 'dist');
const BUDGET = 500 * 1024;

interface Chunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

export function firstPageBytes(page: string): { files: string[]; gzip: number } {
  const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const files = new Set<string>(['index.html']);
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    chunk.css?.forEach((c) => files.add(c));
    chunk.imports?.forEach(visit);
  };
  Object.keys(manifest)
    .filter((k) => manifest[k].isEntry)
    .forEach(visit);
  visit(page);
  const gzip = [...files].reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);
  return { files: [...files], gzip };
}

if (require.main === module) {
  let failed = false;
  for (const page of ['src/pages/LoginPage.tsx', 'src/pages/QueuePage.tsx']) {
    const { files, gzip } = firstPageBytes(page);
    const kb = (gzip / 1024).toFixed(1);
    process.stdout.write(`${page}: ${files.length} files, ${kb} KB gzipped (budget 500 KB)\n`);
    if (gzip > BUDGET) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
