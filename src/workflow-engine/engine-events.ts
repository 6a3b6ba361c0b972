// What the engine tells observers about each event it is asked to apply. Metrics
// listen here (ops/ depends on the engine, never the other way round).
import { Injectable } from '@nestjs/common';

export interface StepReport {
  /** The event type, e.g. ACKNOWLEDGE or DEADLINE_EXPIRED. */
  event: string;
  /** Applied, skipped (nothing to do: a stale deadline job), or the refusal/failure that stopped it. */
  outcome: 'applied' | 'skipped' | { error: unknown };
}

@Injectable()
export class EngineEvents {
  private readonly listeners: ((report: StepReport) => void)[] = [];

  onStep(listener: (report: StepReport) => void): void {
    this.listeners.push(listener);
  }

  report(report: StepReport): void {
    for (const listener of this.listeners) listener(report);
  }
}
