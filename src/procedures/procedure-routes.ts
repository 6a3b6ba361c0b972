// The routes every procedure's resource has, made once for any workflow: list,
// read, send an event, timeline, verify. A workflow's thin controller extends the
// class this returns, adds its POST (the start) and, where an event needs checks
// or writes under the lock, overrides prepareEvent.
import { Body, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res, type Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ChainCheck, Timeline } from '../audit/timeline.views';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { eventBodySchema, parseEventBody, type EventBodies } from '../common/event-bodies';
import { parseIfMatch } from '../common/if-match';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import type { EventPayload, LockedReferral } from '../workflow-engine/workflow-engine.service';
import { ProceduresService, type ProcedureQuery } from './procedures.service';

export interface ProcedureRoutesOptions {
  workflow: string;
  /** 'reverse transfer': how the docs and 404s name one instance. */
  noun: string;
  view: Type<unknown>;
  page: Type<unknown>;
  query: Type<ProcedureQuery>;
  bodies: EventBodies<string>;
}

export function procedureRoutes(o: ProcedureRoutesOptions) {
  const Noun = o.noun[0].toUpperCase() + o.noun.slice(1);
  // Malformed ids are "not found": existence is never leaked, and a bad id can exist nowhere.
  const idPipe = new ParseUUIDPipe({ exceptionFactory: () => notFound(Noun) });
  const ID = { name: 'id', format: 'uuid', description: `the ${o.noun} (a malformed id is a 404)` };

  abstract class ProcedureRoutes {
    @Inject(ProceduresService) protected readonly procedures: ProceduresService;
    @Inject(AuditService) protected readonly audit: AuditService;

    /** Checks and writes an event needs under the lock, before the step; returns the event to step. */
    protected prepareEvent(_tx: EntityManager, _principal: Principal, _locked: LockedReferral, event: EventPayload) {
      return Promise.resolve(event);
    }

    @Get()
    @ApiOperation({ summary: `List ${o.noun}s in the caller's scope, newest first` })
    @ApiOkResponse({ type: o.page })
    @ApiProblems(400)
    list(@CurrentPrincipal() principal: Principal, @Query() query: ProcedureQuery) {
      return this.procedures.list(principal, o.workflow, query);
    }

    @Get(':id')
    @ApiParam(ID)
    @ApiOperation({ summary: `Read a ${o.noun}` })
    @ApiOkResponse({ type: o.view, description: 'ETag: the version' })
    @ApiProblems(404)
    async get(
      @CurrentPrincipal() principal: Principal,
      @Param('id', idPipe) id: string,
      @Res({ passthrough: true }) res: Response,
    ) {
      const view = await this.procedures.get(principal, o.workflow, id);
      res.setHeader('ETag', `"${view.version}"`);
      return view;
    }

    @Post(':id/events')
    @ApiParam(ID)
    @HttpCode(200)
    @ApiOperation({
      summary: `Send a ${o.noun} event`,
      description: `One body schema per event type, chosen by \`type\`; who may send which event in which state: docs/api.md.`,
    })
    @ApiHeader({
      name: 'If-Match',
      required: false,
      schema: { type: 'string' },
      description: `the ${o.noun} version, as in ETag`,
    })
    @ApiExtraModels(...o.bodies.dtos.values())
    @ApiBody({ schema: eventBodySchema(o.bodies) })
    @ApiOkResponse({ type: o.view, description: `the updated ${o.noun}; ETag: its version` })
    @ApiProblems(400, 403, 404, 409, 412, 413)
    async sendEvent(
      @CurrentPrincipal() principal: Principal,
      @Param('id', idPipe) id: string,
      @Body() body: unknown,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) res: Response,
    ) {
      const event = parseEventBody<EventPayload>(o.bodies, body);
      const view = await this.procedures.sendEvent(principal, o.workflow, id, event, parseIfMatch(ifMatch), (tx, locked) =>
        this.prepareEvent(tx, principal, locked, event),
      );
      res.setHeader('ETag', `"${view.version}"`);
      return view;
    }

    @Get(':id/timeline')
    @ApiParam(ID)
    @ApiOperation({ summary: 'The timeline: every accepted event, oldest first, hash-chained' })
    @ApiOkResponse({ type: Timeline })
    @ApiProblems(404)
    timeline(@CurrentPrincipal() principal: Principal, @Param('id', idPipe) id: string): Promise<Timeline> {
      return this.audit.timeline(principal, id, o.workflow);
    }

    @Get(':id/verify')
    @ApiParam(ID)
    @ApiOperation({ summary: 'Recompute the hash chain of the timeline' })
    @ApiOkResponse({ type: ChainCheck })
    @ApiProblems(404)
    verify(@CurrentPrincipal() principal: Principal, @Param('id', idPipe) id: string): Promise<ChainCheck> {
      return this.audit.verify(principal, id, o.workflow);
    }
  }
  // The list's query type is the workflow's: TypeScript emitted the interface as
  // Object, so name the class here; validation and OpenAPI read it at start-up.
  Reflect.defineMetadata('design:paramtypes', [Object, o.query], ProcedureRoutes.prototype, 'list');
  return ProcedureRoutes;
}
