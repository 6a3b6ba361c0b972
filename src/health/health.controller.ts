import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/principal';
import { REDIS, type RedisConnection } from '../redis/redis';
import { within } from '../common/within';
import { ReadDatabase } from '../database/read-database';

export class Liveness {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class ReadinessChecks {
  @ApiProperty({ enum: ['up', 'down'] }) database: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) redis: 'up' | 'down';
  @ApiPropertyOptional({
    enum: ['up', 'down'],
    description:
      'only with DATABASE_READ_URL: the read replica of the supervision views (down: those answer 503; readiness is not failed)',
  })
  readReplica?: 'up' | 'down';
}

export class Readiness {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: 'ok' | 'unavailable';
  @ApiProperty({ type: ReadinessChecks }) checks: ReadinessChecks;
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: RedisConnection,
    private readonly readDb: ReadDatabase,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: Liveness })
  live(): Liveness {
    return { status: 'ok' };
  }

  /** Ready when PostgreSQL and Redis answer; 503 otherwise, naming what is down. The read replica (if configured) is reported too. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer (the read replica, if configured, is reported)' })
  @ApiOkResponse({ type: Readiness })
  @ApiServiceUnavailableResponse({ type: Readiness, description: 'a dependency is down (named in checks)' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const answers = (probe: Promise<unknown>) =>
      within(2000, probe).then(
        () => 'up' as const,
        () => 'down' as const,
      );
    const [database, redis, readReplica] = await Promise.all([
      answers(this.db.query('SELECT 1')),
      answers(this.redis.ping()),
      this.readDb.isReplica ? answers(this.readDb.query('SELECT 1')) : undefined,
    ]);
    // A replica that is down is reported but does not fail readiness: every process shares it, and taking them all
    // out of the load balancer for the sake of the supervision reports would stop the whole service.
    const ok = database === 'up' && redis === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, redis, ...(readReplica ? { readReplica } : {}) } };
  }
}
