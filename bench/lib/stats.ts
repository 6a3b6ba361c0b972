// Percentiles over recorded latencies: values are kept and sorted once (fine for the bench's
// hundreds of thousands of samples), nearest-rank definition.
export class Histogram {
  private values: number[] = [];
  private sorted = true;

  record(value: number) {
    this.values.push(value);
    this.sorted = false;
  }

  get count() {
    return this.values.length;
  }

  /** Nearest-rank percentile, p in [0, 100]; NaN when empty. */
  percentile(p: number): number {
    if (this.values.length === 0) return NaN;
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    const rank = Math.ceil((p / 100) * this.values.length);
    return this.values[Math.min(this.values.length - 1, Math.max(0, rank - 1))];
  }

  summary(): LatencySummary {
    const n = this.values.length;
    const mean = n === 0 ? NaN : this.values.reduce((s, v) => s + v, 0) / n;
    return {
      count: n,
      mean: round(mean),
      p50: round(this.percentile(50)),
      p90: round(this.percentile(90)),
      p99: round(this.percentile(99)),
      max: round(this.percentile(100)),
    };
  }
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentile(values: number[], p: number): number {
  const h = new Histogram();
  for (const v of values) h.record(v);
  return h.percentile(p);
}

export const round = (value: number, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
