// What every benchmark module returns and `bench/run.ts` writes to bench/results/latest.json:
// {"figures": [{name, value, unit, target, met}], "raw": {<module>: {...}}}.
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≤ 1 s" or "≥ 0.7". */
  target: string;
  met: boolean;
}

export interface BenchResult {
  figures: Figure[];
  /** The side-by-side numbers behind the figures (per client count, percentiles, EXPLAIN output …). */
  raw: Record<string, unknown>;
}

/** Sizes of a run: full (`npm run bench`), quick (`-- --quick`, under 5 minutes), tiny (the smoke test). */
export type BenchSize = 'full' | 'quick' | 'tiny';

export interface BenchOptions {
  size: BenchSize;
  /** PostgreSQL server URL to create the bench's own databases on (default postgres://postgres@127.0.0.1:5432/postgres). */
  serverUrl: string;
  /** Redis URL of the bench's own Redis database; keys go under a unique prefix and are removed at the end. */
  redisUrl: string;
  log: (line: string) => void;
  /** `--profile`: start services with `node --cpu-prof` (profiles under bench/results/profiles). */
  profile?: boolean;
  /** Results of the modules that ran before this one in the same run (e.g. throughput's peak for outbox-relay). */
  earlier?: Record<string, BenchResult>;
}

export type BenchModule = (options: BenchOptions) => Promise<BenchResult>;

export const atMost = (value: number, limit: number) => value <= limit;
export const atLeast = (value: number, limit: number) => value >= limit;
