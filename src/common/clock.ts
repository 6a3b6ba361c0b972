// The one source of "now" for due times. In CLOCK_MODE=controllable the test
// clock moves it forward by an offset shared across processes (see test-clock/).
import { Injectable } from '@nestjs/common';

@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Only the test clock calls this. */
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
