import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CalendarsController } from './calendars.controller';
import { CalendarsService } from './calendars.service';
import { DeadlinePlanner } from './deadline-planner';

@Module({
  imports: [OutboxModule],
  controllers: [CalendarsController],
  providers: [DeadlinePlanner, CalendarsService],
  exports: [DeadlinePlanner, CalendarsService],
})
export class DeadlinesModule {}
