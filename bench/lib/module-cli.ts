// A development CLI for one benchmark module: `npx ts-node --transpile-only bench/<module>.ts [--tiny|--quick] [--keep]`.
// Prints the figures as a table and writes bench/results/<name>.json ({figures, raw} of that module only).
// BENCH_PG_URL / BENCH_REDIS_URL override the PostgreSQL server and the Redis database.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchModule, BenchOptions, BenchSize } from './figures';

export function cliOptions(argv = process.argv.slice(2)): BenchOptions {
  const size: BenchSize = argv.includes('--tiny') ? 'tiny' : argv.includes('--quick') ? 'quick' : 'full';
  return {
    size,
    serverUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    log: (line) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${line}`),
  };
}

export function runModuleCli(name: string, run: BenchModule): void {
  const options = cliOptions();
  const started = Date.now();
  run(options)
    .then((result) => {
      console.table(
        result.figures.map((f) => ({
          figure: f.name,
          value: f.value,
          unit: f.unit,
          target: f.target,
          met: f.met ? 'yes' : 'NO',
        })),
      );
      const dir = join(__dirname, '..', 'results');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ size: options.size, ...result }, null, 2));
      console.log(`${name} (${options.size}) took ${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${file}`);
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
