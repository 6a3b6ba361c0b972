import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { raw } from 'body-parser';
import { AppConfig } from '../config/app-config';
import { PartiesModule } from '../parties/parties.module';
import { ScreeningModule } from '../screening/screening.module';
import { IMPORT_TYPES } from './admin-case-import';
import { AdminCaseViews } from './admin-case.views';
import { AdminCasesController } from './admin-cases.controller';
import { AdminCasesService } from './admin-cases.service';

@Module({
  imports: [ScreeningModule, PartiesModule],
  controllers: [AdminCasesController],
  providers: [AdminCasesService, AdminCaseViews],
})
export class AdminCasesModule implements NestModule {
  constructor(private readonly config: AppConfig) {}

  // The import's body as bytes, up to its own limit (413 beyond, from body-parser); decoded by the import.
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(raw({ type: [...IMPORT_TYPES], limit: this.config.IMPORT_MAX_BYTES }))
      .forRoutes({ path: 'api/v1/admin-cases/import', method: RequestMethod.POST });
  }
}
