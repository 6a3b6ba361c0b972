// The one source of "now" for due times. In CLOCK_MODE=controllable the test
// clock moves it forward by an offset kept in PostgreSQL (see test-clock/).
import { Injectable } from '@nestjs/common';

@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  offset(): number {
    return this.offsetMs;
  }

  /**
   * Only the test clock calls this. Monotonic: a lower offset (a stale announcement,
   * a flushed Redis) is ignored, so the service clock never goes backwards.
   */
  setOffset(ms: number): void {
    if (Number.isFinite(ms) && ms > this.offsetMs) this.offsetMs = ms;
  }
}
