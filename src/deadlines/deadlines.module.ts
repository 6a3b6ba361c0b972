import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CalendarsController } from './calendars.controller';
import { CalendarsService } from './calendars.service';

@Module({
  imports: [OutboxModule],
  controllers: [CalendarsController],
  providers: [CalendarsService],
  exports: [CalendarsService],
})
export class DeadlinesModule {}
