// The one source of "now" for due times. The controllable test clock (issue 3) replaces it.
import { Injectable } from '@nestjs/common';

@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
