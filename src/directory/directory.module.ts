import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { UserChanges } from './user-changes';

@Module({
  controllers: [DirectoryController, ApiKeysController],
  providers: [DirectoryService, ApiKeysService, UserChanges],
  exports: [DirectoryService, ApiKeysService, UserChanges],
})
export class DirectoryModule {}
