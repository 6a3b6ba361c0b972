import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';

@Module({
  controllers: [DirectoryController, ApiKeysController],
  providers: [DirectoryService, ApiKeysService],
  exports: [DirectoryService, ApiKeysService],
})
export class DirectoryModule {}
