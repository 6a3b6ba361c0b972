import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { ReverseTransfersController } from './reverse-transfers.controller';
import { ReverseTransfersService } from './reverse-transfers.service';

@Module({
  imports: [AuditModule, ProceduresModule],
  controllers: [ReverseTransfersController],
  providers: [ReverseTransfersService],
})
export class ReverseTransfersModule {}
