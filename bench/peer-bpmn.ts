// Peer: the same four-step path (submit → acknowledge → record review → accept) run by bpmn-engine 25 with an
// equivalent BPMN process (start event, user tasks acknowledge, review, accept, end event), persisting its state
// to the same PostgreSQL after every step as its documentation recommends: `engine.getState()` → a jsonb row,
// and for the next step `new Engine(...).recover(state)`, `resume()`, then a signal to the waiting user task.
//
// Every event is one durable PostgreSQL transaction (synchronous_commit on, checked):
//   submit:  new Engine → execute() (waits in "acknowledge") → getState() → INSERT … RETURNING id (autocommit)
//   step:    BEGIN; SELECT state … FOR UPDATE; new Engine().recover(state); resume(); check the waiting task;
//            signal({id: task}); check the next waiting task (or the end); getState(); UPDATE state, version; COMMIT
// Fair to the peer: a pg Pool with max = clients, named (prepared) statements, the BPMN XML parsed and serialized
// once (the `sourceContext` option) and the serialized source left out of the stored state (recover finds the
// definition by id among the engine's sources), so no step parses XML.
// Closed model: each client runs referrals back to back for the duration; events/s counts events completed in it.
//
//   npx ts-node --transpile-only bench/peer-bpmn.ts [--tiny|--quick]
import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { Client, Pool } from 'pg';
import { atLeast, type BenchModule, type BenchOptions, type BenchSize } from './lib/figures';
import { dropDatabaseRetrying } from './lib/cleanup';
import { runModuleCli } from './lib/module-cli';
import { createDatabase, uniqueName } from './lib/service';
import { round } from './lib/stats';

/** The client counts of the throughput module, so that the ratio compares like with like. */
export const CLIENTS: Record<BenchSize, number[]> = { full: [1, 8, 32], quick: [1, 8, 32], tiny: [1, 2] };
/** Seconds per client count: the same as the HTTP throughput module's closed-model runs. */
export const DURATION_S: Record<BenchSize, number> = { full: 20, quick: 8, tiny: 2 };
const WARMUP_S: Record<BenchSize, number> = { full: 3, quick: 2, tiny: 1 };

const TASKS = ['acknowledge', 'review', 'accept'] as const;

export const PROCESS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="referralDefinitions" targetNamespace="http://caselink.bench/bpmn">
  <process id="referral" isExecutable="true">
    <startEvent id="submitted" />
    <sequenceFlow id="toAcknowledge" sourceRef="submitted" targetRef="acknowledge" />
    <userTask id="acknowledge" name="Acknowledge" />
    <sequenceFlow id="toReview" sourceRef="acknowledge" targetRef="review" />
    <userTask id="review" name="Record review" />
    <sequenceFlow id="toAccept" sourceRef="review" targetRef="accept" />
    <userTask id="accept" name="Accept" />
    <sequenceFlow id="toAccepted" sourceRef="accept" targetRef="accepted" />
    <endEvent id="accepted" />
  </process>
</definitions>`;

async function compileSource(): Promise<any> {
  const moddleContext = await new BpmnModdle().fromXML(PROCESS_XML);
  if (moddleContext.warnings?.length) throw new Error(`BPMN warnings: ${JSON.stringify(moddleContext.warnings)}`);
  return Serializer(moddleContext, TypeResolver(elements as any));
}

const waiting = (execution: any): string[] => execution.getPostponed().map((a: any) => a.id);

/** getState() without the serialized source (the engine is given the parsed source once, see above). */
async function stateOf(engine: Engine): Promise<any> {
  const state: any = await engine.getState();
  for (const d of state.definitions ?? []) delete d.source;
  return state;
}

class Peer {
  stateBytes = { count: 0, total: 0 };
  engineMs: number[] = [];
  /** Summed wall milliseconds of the steps' phases: waiting for a pooled connection, BEGIN + SELECT … FOR UPDATE, engine, UPDATE + COMMIT. */
  phaseMs = { connect: 0, lock: 0, engine: 0, write: 0, steps: 0 };

  constructor(
    private readonly pool: Pool,
    private readonly sourceContext: any,
  ) {}

  private track(json: string) {
    this.stateBytes.count++;
    this.stateBytes.total += Buffer.byteLength(json);
  }

  async submit(n: number): Promise<string> {
    const t0 = performance.now();
    const engine = new Engine({ name: 'referral', sourceContext: this.sourceContext });
    const execution = await engine.execute({ variables: { title: `peer ${n}` } });
    const now = waiting(execution);
    if (now.length !== 1 || now[0] !== 'acknowledge') throw new Error(`after submit waiting in ${now.join(',')}`);
    const json = JSON.stringify(await stateOf(engine));
    this.engineMs.push(performance.now() - t0);
    this.track(json);
    const { rows } = await this.pool.query({
      name: 'peer-insert',
      text: 'INSERT INTO bpmn_instances (state) VALUES ($1::jsonb) RETURNING id',
      values: [json],
    });
    return rows[0].id as string;
  }

  async step(id: string, task: (typeof TASKS)[number]): Promise<void> {
    const tc = performance.now();
    const client = await this.pool.connect();
    const tl = performance.now();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query({
        name: 'peer-lock',
        text: 'SELECT state FROM bpmn_instances WHERE id = $1 FOR UPDATE',
        values: [id],
      });
      if (rows.length !== 1) throw new Error(`instance ${id} is missing`);
      const t0 = performance.now();
      const engine = new Engine({ name: 'referral', sourceContext: this.sourceContext }).recover(rows[0].state);
      const execution = await engine.resume();
      const before = waiting(execution);
      if (!before.includes(task)) throw new Error(`instance ${id} waits in ${before.join(',')}, not ${task}`);
      execution.signal({ id: task });
      const next = TASKS[TASKS.indexOf(task) + 1];
      const after = waiting(execution);
      if (next ? after.length !== 1 || after[0] !== next : after.length !== 0 || engine.state !== 'idle')
        throw new Error(`instance ${id} after ${task}: waiting in ${after.join(',')}, engine ${engine.state}`);
      const json = JSON.stringify(await stateOf(engine));
      const tw = performance.now();
      this.engineMs.push(tw - t0);
      this.track(json);
      await client.query({
        name: 'peer-update',
        text: 'UPDATE bpmn_instances SET state = $2::jsonb, version = version + 1, updated_at = now() WHERE id = $1',
        values: [id, json],
      });
      await client.query('COMMIT');
      const p = this.phaseMs;
      p.connect += tl - tc;
      p.lock += t0 - tl;
      p.engine += tw - t0;
      p.write += performance.now() - tw;
      p.steps++;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}

interface LoadResult {
  clients: number;
  durationS: number;
  events: number;
  referralsCompleted: number;
  eventsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Wall time of the engine calls per event (recover … getState); under load it includes waiting for the event loop. */
  engineWallMsPerEvent: { mean: number; p50: number; p99: number };
  /** CPU time of this process (the peer engine, pg client and the load loop) per event. */
  processCpuMsPerEvent: number;
  stateBytesMean: number;
  /** Mean wall milliseconds per acknowledge/review/accept step by phase. */
  stepPhaseMs: Record<string, number>;
}

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const r2 = (v: number) => round(v);

async function closedLoop(databaseUrl: string, sourceContext: any, clients: number, seconds: number): Promise<LoadResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: clients });
  pool.on('error', () => undefined); // an idle client lost (server restart): the next query fails and the run ends cleanly
  const peer = new Peer(pool, sourceContext);
  try {
    const latencies: number[] = [];
    let referralsCompleted = 0;
    let n = 0;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const end = started + seconds * 1000;
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      const t1 = performance.now();
      if (t1 <= end) latencies.push(t1 - t0);
      return t1 <= end;
    };
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          let id = '';
          await timed(async () => (id = await peer.submit(n++)));
          let done = true;
          for (const task of TASKS) {
            if (performance.now() >= end) {
              done = false;
              break;
            }
            done = await timed(() => peer.step(id, task));
          }
          if (done) referralsCompleted++;
        }
      }),
    );
    const cpuUsed = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    const cpu = peer.engineMs.sort((a, b) => a - b);
    return {
      clients,
      durationS: seconds,
      events: latencies.length,
      referralsCompleted,
      eventsPerSecond: r2(latencies.length / seconds),
      latencyMs: { p50: r2(pct(latencies, 50)), p99: r2(pct(latencies, 99)), max: r2(pct(latencies, 100)) },
      engineWallMsPerEvent: {
        mean: r2(cpu.reduce((s, v) => s + v, 0) / cpu.length),
        p50: r2(pct(cpu, 50)),
        p99: r2(pct(cpu, 99)),
      },
      processCpuMsPerEvent: r2((cpuUsed.user + cpuUsed.system) / 1000 / Math.max(1, latencies.length)),
      stateBytesMean: Math.round(peer.stateBytes.total / peer.stateBytes.count),
      stepPhaseMs: Object.fromEntries(
        (['connect', 'lock', 'engine', 'write'] as const).map((k) => [k, r2(peer.phaseMs[k] / Math.max(1, peer.phaseMs.steps))]),
      ),
    };
  } finally {
    await pool.end();
  }
}

/** Ours (the throughput module's closed-model events/s, when it ran before in the same run) ÷ the peer's, per client count. */
function ratios(earlier: BenchOptions['earlier'], peer: LoadResult[]): Record<string, number | null> | null {
  const levels = (earlier?.throughput?.raw as any)?.levels as
    { clients: number; ours: { eventsPerSecond: number } }[] | undefined;
  if (!levels) return null;
  return Object.fromEntries(
    peer.map((p) => {
      const ours = levels.find((l) => l.clients === p.clients)?.ours.eventsPerSecond;
      return [String(p.clients), ours === undefined || p.eventsPerSecond === 0 ? null : round(ours / p.eventsPerSecond, 3)];
    }),
  );
}

export const run: BenchModule = async ({ size, serverUrl, log, earlier }) => {
  const name = uniqueName('bpmn');
  const databaseUrl = await createDatabase(serverUrl, name);
  try {
    const setup = new Client({ connectionString: databaseUrl });
    setup.on('error', () => undefined);
    await setup.connect();
    let settings: Record<string, string> = {};
    try {
      await setup.query(
        `CREATE TABLE bpmn_instances (
           id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
           state jsonb NOT NULL,
           version integer NOT NULL DEFAULT 0,
           created_at timestamptz NOT NULL DEFAULT now(),
           updated_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await setup.query(
        `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'full_page_writes', 'wal_sync_method', 'server_version')`,
      );
      settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    } finally {
      await setup.end();
    }
    if (settings.synchronous_commit !== 'on' || settings.fsync !== 'on')
      throw new Error(`commits are not durable on this server: ${JSON.stringify(settings)}`);

    const sourceContext = await compileSource();
    log(`peer-bpmn: warm-up ${WARMUP_S[size]} s at c=8`);
    await closedLoop(databaseUrl, sourceContext, 8, WARMUP_S[size]);
    const results: LoadResult[] = [];
    for (const clients of CLIENTS[size]) {
      const result = await closedLoop(databaseUrl, sourceContext, clients, DURATION_S[size]);
      log(
        `peer-bpmn c=${clients}: ${result.eventsPerSecond} events/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, process CPU ${result.processCpuMsPerEvent} ms/event, step phases ${JSON.stringify(result.stepPhaseMs)}`,
      );
      results.push(result);
    }
    const top = results[results.length - 1];
    const ratio = ratios(earlier, results);
    const topRatio = ratio?.[String(top.clients)] ?? null;
    return {
      figures: [
        {
          name: `ours ÷ bpmn-engine, c=${top.clients}`,
          value: topRatio ?? 0,
          unit: topRatio === null ? 'ratio (n/a: throughput did not run first)' : 'ratio',
          target: '≥ 1.5',
          met: topRatio !== null && atLeast(topRatio, 1.5),
        },
        {
          name: `bpmn-engine events/s, c=${top.clients}`,
          value: top.eventsPerSecond,
          unit: 'events/s',
          target: 'informational',
          met: true,
        },
      ],
      raw: {
        engine: 'bpmn-engine 25.0.1',
        /** Events/s per client count, for the runner's ratio `ours ÷ bpmn-engine`. */
        eventsPerSecond: Object.fromEntries(results.map((r) => [String(r.clients), r.eventsPerSecond])),
        /** Ours ÷ peer per client count; null when the throughput module did not run before this one in the same run. */
        oursOverPeer: ratio ?? 'throughput did not run before peer-bpmn in this run: no ratio',
        model: 'closed: each client runs submit → acknowledge → review → accept back to back',
        durationSPerClientCount: DURATION_S[size],
        warmupS: WARMUP_S[size],
        perStep: {
          submit: 'new Engine({sourceContext}) → execute() → check waiting in acknowledge → getState() → INSERT … RETURNING id',
          acknowledgeReviewAccept:
            'BEGIN; SELECT state FOR UPDATE; new Engine({sourceContext}).recover(state); resume(); check waiting task; signal({id}); check next task or end; getState(); UPDATE state, version+1; COMMIT',
          fairness:
            'pg Pool max = clients, named prepared statements, BPMN parsed and serialized once (sourceContext), stored state without the serialized source',
          notDone:
            'no history/audit rows, no outbox, no deadlines, no authorization: only the engine state is persisted (our path writes referral_events with a hash chain, deadlines and outbox rows per event)',
        },
        postgres: settings,
        note: 'the peer engine runs in this process (one Node thread, like one CaseLink process); it has no HTTP hop',
        process: PROCESS_XML.replace(/\s+/g, ' '),
        results,
      },
    };
  } finally {
    await dropDatabaseRetrying(serverUrl, name);
  }
};

if (require.main === module) runModuleCli('peer-bpmn', run);
