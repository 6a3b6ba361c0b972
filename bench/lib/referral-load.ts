// The load every HTTP benchmark drives: submit (POST /api/v1/referrals) → ACKNOWLEDGE → RECORD_REVIEW → ACCEPT
// (POST /api/v1/referrals/:id/events with If-Match "<version>", as a client that read the referral would).
// Each of the four requests is one durable event; a non-2xx answer or a socket error is an error, and the
// client abandons that referral and starts a new one.
//
// closedLoop: C clients, each sending its next request when its last one answered (throughput).
// openLoop: requests issued on a fixed schedule whatever the answers do, latency measured from the
// scheduled send time, so a slow answer is not hidden by the client waiting for it (no coordinated omission).
import { HttpClient, type Reply } from './http';
import { Histogram, round, type LatencySummary } from './stats';
import { referralBody, type BenchWorld } from './world';

export const STEPS = ['submit', 'ACKNOWLEDGE', 'RECORD_REVIEW', 'ACCEPT'] as const;
export type Step = (typeof STEPS)[number];

let chainSeq = 0;

/** Sends step `step` of a referral; `id`/`version` come from the previous answer (unused for submit). */
export function sendStep(http: HttpClient, w: BenchWorld, step: Step, id: string, version: number): Promise<Reply> {
  if (step === 'submit') return http.post('/api/v1/referrals', referralBody(w.agencies.hzPsb), w.tokens.officer);
  const ifMatch = { 'if-match': `"${version}"` };
  const path = `/api/v1/referrals/${id}/events`;
  if (step === 'ACKNOWLEDGE') return http.post(path, { type: 'ACKNOWLEDGE' }, w.tokens.policeOfficer, ifMatch);
  if (step === 'RECORD_REVIEW') {
    const body = { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'The facts meet the filing threshold.' };
    return http.post(path, body, w.tokens.policeOfficer, ifMatch);
  }
  return http.post(path, { type: 'ACCEPT', caseNumber: `HZ-BENCH-${process.pid}-${++chainSeq}` }, w.tokens.lead, ifMatch);
}

export interface LoadResult {
  clients?: number;
  ratePerSecond?: number;
  durationMs: number;
  /** Successful requests (each a durable event) answered inside the window. */
  requests: number;
  eventsPerSecond: number;
  referralsCompleted: number;
  errors: number;
  errorsByStatus: Record<string, number>;
  errorSamples: string[];
  latencyMs: LatencySummary;
  latencyMsByStep: Record<Step, LatencySummary>;
}

class Recorder {
  requests = 0;
  completed = 0;
  errors = 0;
  errorsByStatus: Record<string, number> = {};
  errorSamples: string[] = [];
  all = new Histogram();
  byStep = Object.fromEntries(STEPS.map((s) => [s, new Histogram()])) as Record<Step, Histogram>;

  ok(step: Step, ms: number) {
    this.requests++;
    this.all.record(ms);
    this.byStep[step].record(ms);
    if (step === 'ACCEPT') this.completed++;
  }

  error(step: Step, status: string, detail: string) {
    this.errors++;
    this.errorsByStatus[status] = (this.errorsByStatus[status] ?? 0) + 1;
    if (this.errorSamples.length < 5) this.errorSamples.push(`${step}: ${status} ${detail.slice(0, 300)}`);
  }

  result(durationMs: number, extra: Partial<LoadResult>): LoadResult {
    return {
      ...extra,
      durationMs: Math.round(durationMs),
      requests: this.requests,
      eventsPerSecond: round(this.requests / (durationMs / 1000), 1),
      referralsCompleted: this.completed,
      errors: this.errors,
      errorsByStatus: this.errorsByStatus,
      errorSamples: this.errorSamples,
      latencyMs: this.all.summary(),
      latencyMsByStep: Object.fromEntries(STEPS.map((s) => [s, this.byStep[s].summary()])) as Record<Step, LatencySummary>,
    };
  }
}

const is2xx = (r: Reply) => r.status >= 200 && r.status < 300;

/**
 * C clients in a closed loop for warmupMs (not recorded) then durationMs (recorded: answers that arrive inside
 * the window). The clients stop sending at the end of the window and their last requests are awaited.
 */
export async function closedLoop(
  url: string,
  w: BenchWorld,
  clients: number,
  durationMs: number,
  warmupMs = 0,
): Promise<LoadResult> {
  const http = new HttpClient(url, clients);
  const rec = new Recorder();
  const started = performance.now();
  const windowStart = started + warmupMs;
  const windowEnd = windowStart + durationMs;
  const client = async () => {
    while (performance.now() < windowEnd) {
      let id = '';
      let version = 0;
      for (const step of STEPS) {
        if (performance.now() >= windowEnd) return;
        const sent = performance.now();
        let reply: Reply;
        try {
          reply = await sendStep(http, w, step, id, version);
        } catch (e) {
          const done = performance.now();
          if (done >= windowStart && done <= windowEnd) rec.error(step, 'socket', (e as Error).message);
          break;
        }
        const done = performance.now();
        const inWindow = done >= windowStart && done <= windowEnd;
        if (!is2xx(reply)) {
          if (inWindow) rec.error(step, String(reply.status), JSON.stringify(reply.body));
          break;
        }
        if (inWindow) rec.ok(step, done - sent);
        id = reply.body.id;
        version = reply.body.version;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    http.close();
  }
  return rec.result(durationMs, { clients });
}

/**
 * An open model at `ratePerSecond` requests for durationMs: referral i starts at i·(4/rate) and its step k is
 * scheduled at start + k·gapMs (a client that looks at the referral between steps), so the four steps of many
 * referrals interleave at the given total rate. A step is sent at its scheduled time, or at once when the
 * previous step of its referral answered late; its latency runs from the scheduled time to the answer, so
 * a slow answer counts against every request it delays. Timer lateness in this process counts too.
 */
export async function openLoop(
  url: string,
  w: BenchWorld,
  ratePerSecond: number,
  durationMs: number,
  gapMs = 200,
  maxSockets = 256,
): Promise<LoadResult & { scheduled: number; sentLateMs: LatencySummary; notSent: number }> {
  const http = new HttpClient(url, maxSockets);
  const rec = new Recorder();
  const lateness = new Histogram();
  const chainInterval = 4000 / ratePerSecond;
  const chains = Math.max(1, Math.floor(durationMs / chainInterval));
  const t0 = performance.now() + 50;
  let scheduled = 0;
  const sleepUntil = (t: number) => {
    const wait = t - performance.now();
    return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
  };
  const chain = async (i: number) => {
    const start = t0 + i * chainInterval;
    let id = '';
    let version = 0;
    for (let k = 0; k < STEPS.length; k++) {
      const step = STEPS[k];
      const at = start + k * gapMs;
      await sleepUntil(at);
      const sent = performance.now();
      lateness.record(sent - at);
      let reply: Reply;
      try {
        reply = await sendStep(http, w, step, id, version);
      } catch (e) {
        rec.error(step, 'socket', (e as Error).message);
        return;
      }
      const done = performance.now();
      if (!is2xx(reply)) {
        rec.error(step, String(reply.status), JSON.stringify(reply.body));
        return;
      }
      rec.ok(step, done - at);
      id = reply.body.id;
      version = reply.body.version;
    }
  };
  const running: Promise<void>[] = [];
  try {
    // Chains are started by one scheduler loop so that at most one timer per start is pending.
    for (let i = 0; i < chains; i++) {
      await sleepUntil(t0 + i * chainInterval);
      scheduled += STEPS.length;
      running.push(chain(i));
    }
    await Promise.all(running);
  } finally {
    http.close();
  }
  const elapsed = performance.now() - t0;
  const result = rec.result(elapsed, { ratePerSecond: round(ratePerSecond, 1) });
  return { ...result, scheduled, sentLateMs: lateness.summary(), notSent: scheduled - rec.requests - rec.errors };
}
