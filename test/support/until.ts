// Every 25 ms: a probe is one small query, and a test waits half an interval on average after the change.

/** Polls until `ok` holds or the time is up; returns the last value either way, for the assertion to judge. */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000, every = 25): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Polls until `ok` holds; throws, saying what it waited for and the last value, when the time is up. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T> | T,
  ok: (v: T) => boolean,
  ms = 15_000,
  every = 25,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
