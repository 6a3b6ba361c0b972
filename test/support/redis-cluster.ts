// A real local Redis Cluster for a test: three masters (no replicas) from the
// system's redis-server, each in a temp dir on a free port (its bus port, +10000,
// free too), joined with `redis-cli --cluster create`. stop() kills them and
// removes the dirs; call it in afterAll whatever happened.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  dir: string;
  child: ChildProcess;
  /** A plain (non-cluster) connection to this node, for CLUSTER / CLIENT commands. */
  admin: Redis;
}

export interface LocalCluster {
  nodes: ClusterNode[];
  /** For REDIS_CLUSTER_NODES. */
  seeds: string;
  /** The node serving the slot of `key`. */
  ownerOf(key: string): Promise<ClusterNode>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (+10000) is free as well. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (taken.has(port) || taken.has(port + 10000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (ok(v)) return v;
      last = v;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startLocalCluster(masters = 3): Promise<LocalCluster> {
  const nodes: ClusterNode[] = [];
  const taken = new Set<number>();
  const stop = async () => {
    for (const n of nodes) {
      n.admin.disconnect();
      if (n.child.exitCode === null && n.child.signalCode === null) {
        const exited = new Promise((r) => n.child.once('exit', r));
        n.child.kill('SIGCONT'); // in case a test left it stopped
        n.child.kill('SIGKILL');
        await exited;
      }
      rmSync(n.dir, { recursive: true, force: true });
    }
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freeClusterPort(taken);
      taken.add(port).add(port + 10000);
      const dir = mkdtempSync(join(tmpdir(), 'caselink-redis-cluster-'));
      const child = spawn(
        'redis-server',
        [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-config-file', join(dir, 'nodes.conf'),
          '--cluster-node-timeout', '5000',
          '--dir', dir,
          '--save', '',
          '--appendonly', 'no',
          '--daemonize', 'no',
          '--maxmemory-policy', 'noeviction',
        ], // prettier-ignore
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
      admin.on('error', () => undefined);
      nodes.push({ port, dir, child, admin });
    }
    for (const n of nodes) {
      await until(
        `redis-server on ${n.port}`,
        async () => (n.admin.status === 'ready' ? 'ok' : (await n.admin.connect(), 'ok')),
        (v) => v === 'ok',
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 30_000,
    });
    for (const n of nodes) {
      await until(
        `cluster_state:ok on ${n.port}`,
        () => n.admin.cluster('INFO') as Promise<string>,
        (info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`),
      );
    }
    return {
      nodes,
      seeds: addresses.join(','),
      async ownerOf(key) {
        const slot = (await nodes[0].admin.cluster('KEYSLOT', key)) as number;
        const slots = await nodes[0].admin.cluster('SLOTS');
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        const node = nodes.find((n) => n.port === range?.[2][1]);
        if (!node) throw new Error(`no node serves slot ${slot}`);
        return node;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
