import { Module } from '@nestjs/common';
import { PartiesController } from './parties.controller';
import { PartiesService } from './parties.service';

@Module({
  controllers: [PartiesController],
  providers: [PartiesService],
  // Referrals and administrative cases state their parties through it when they are written.
  exports: [PartiesService],
})
export class PartiesModule {}
