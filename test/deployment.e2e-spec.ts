// The deployment files, checked without a Docker engine: docker-compose.yml is
// parsed (YAML merge keys resolved, as Compose does) and the Dockerfile read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string; interval?: string };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  ports?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const APP_SERVICES = ['api-1', 'api-2', 'worker'];

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, two API replicas and one worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'postgres', 'redis', 'worker']);
    expect(services.postgres.image).toMatch(/^postgres:/);
    expect(services.redis.image).toMatch(/^redis:/);
    for (const name of APP_SERVICES) expect(services[name].build).toBeDefined(); // the same image, built here
  });

  it('runs Redis with noeviction and AOF persistence on a volume', () => {
    const command = ([] as string[]).concat(services.redis.command ?? []).join(' ');
    expect(command).toMatch(/--maxmemory-policy\s+noeviction\b/);
    expect(command).toMatch(/--appendonly\s+yes\b/);
    expect(JSON.stringify(services.redis)).toContain('/data');
    expect(compose.volumes).toHaveProperty('redisdata');
    expect(compose.volumes).toHaveProperty('pgdata');
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.anything() });
    }
    // The worker's is real: it probes the metrics port it serves instead of the API.
    expect(JSON.stringify(services.worker.healthcheck!.test)).toContain(
      `:${services.worker.environment!.METRICS_PORT}/health/live`,
    );
    for (const api of ['api-1', 'api-2']) expect(JSON.stringify(services[api].healthcheck!.test)).toContain('/health/ready');
  });

  it('splits the roles: API replicas serve HTTP without workers, the worker the opposite', () => {
    for (const api of ['api-1', 'api-2']) {
      expect(services[api].environment).toMatchObject({ RUN_API: 'true', RUN_WORKERS: 'false' });
      expect(services[api].ports?.length).toBe(1);
    }
    expect(services.worker.environment).toMatchObject({ RUN_API: 'false', RUN_WORKERS: 'true' });
    expect(services.worker.ports).toBeUndefined();
  });

  it('points every app service at the shared PostgreSQL and Redis, with the secrets from the environment', () => {
    for (const name of APP_SERVICES) {
      const env = services[name].environment!;
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(env.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
      expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/); // required, never a default in the file
      expect(env.ADMIN_PASSWORD).toMatch(/^\$\{ADMIN_PASSWORD:\?/);
      expect(env.QUEUE_PREFIX).toBeTruthy(); // one prefix for all: they share the queues
      expect(env.NODE_ENV).toBe('production');
      expect(services[name].depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      // Longer than the service's own shutdown timeout (25 s), so a drain is not cut by SIGKILL.
      expect(services[name].stop_grace_period).toBe('30s');
    }
    expect(new Set(APP_SERVICES.map((n) => services[n].environment!.QUEUE_PREFIX)).size).toBe(1);
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const froms = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^FROM\s/i.test(l));

  it('builds in (at least) two stages and copies only build output into the last', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const last = lines.slice(froms[froms.length - 1].i);
    expect(last.some((l) => /^COPY\s+--from=/i.test(l))).toBe(true);
    expect(last.some((l) => /^RUN\s+npm\s+ci\b/i.test(l))).toBe(false); // dependencies were installed and pruned in the build stage
  });

  it('runs as a user that is not root', () => {
    const last = lines.slice(froms[froms.length - 1].i);
    const users = last.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].split(':')[0];
    expect(['root', '0']).not.toContain(user);
    expect(last.some((l) => /^CMD\s/i.test(l))).toBe(true);
  });
});
