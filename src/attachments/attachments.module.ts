import { Module } from '@nestjs/common';
import { WorkflowEngineModule } from '../workflow-engine/workflow-engine.module';
import { AttachmentStore } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/** Evidence files on referrals: streamed upload, content-addressed storage, verified download. */
@Module({
  imports: [WorkflowEngineModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, AttachmentStore],
})
export class AttachmentsModule {}
