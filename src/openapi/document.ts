// The OpenAPI document of the service: built here once, served at /docs-json
// by the running service (bootstrap.ts) and written to dist/openapi.json by
// scripts/openapi.ts for `npm run lint:api`, so both are the same document.
//
// What the decorators cannot say without repeating the guard's own metadata is
// derived from it: the security of each operation (@Public or not), its 401,
// its 403 and required roles (@RequireRoles), 429 on rate-limited writes and
// 503 on every /api route (all of them need the database).
import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { NestContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, PathItemObject, ResponsesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IS_PUBLIC, REQUIRED_ROLES } from '../auth/principal';
import { ProblemDto, PROBLEM_DESCRIPTIONS } from '../common/openapi';

export const BEARER = 'bearer';
export const API_KEY = 'api-key';

const TAGS: { name: string; description: string }[] = [
  { name: 'auth', description: 'Log in, who am I, password and logout' },
  { name: 'directory', description: 'Agencies and users (admin)' },
  { name: 'api-keys', description: 'Keys for system-to-system clients (admin)' },
  { name: 'referrals', description: 'Submit a transfer, read it, act on it, its timeline' },
  { name: 'attachments', description: 'Evidence files of a referral' },
  { name: 'calendars', description: 'Holiday calendars that deadlines are counted with' },
  { name: 'notifications', description: "The caller's agency inbox and its live stream" },
  { name: 'webhooks', description: 'Signed event deliveries to other systems' },
  { name: 'admin-cases', description: 'Cases agencies handled administratively, import, and the screening list' },
  { name: 'screening', description: 'Screening rules: offences, thresholds, legal basis, effective dates' },
  { name: 'supervision', description: 'Overdue view, statistics and export (procurator, supervisor, admin)' },
  { name: 'reverse-transfers', description: 'Cases sent back from the criminal side for an administrative penalty' },
  { name: 'transfer-recommendations', description: "The procuratorate's recommendations that an agency transfer a case" },
  { name: 'parties', description: 'Parties of cases and the links between cases through them' },
  { name: 'workflows', description: 'The workflows (procedures) as data and as diagrams' },
  { name: 'test-clock', description: 'The controllable clock, only with CLOCK_MODE=controllable' },
  { name: 'operations', description: 'Health and metrics' },
];

const operationId = (controller: string, method: string) => `${controller.replace(/Controller$/, '')}_${method}`;

interface HandlerFacts {
  isPublic: boolean;
  roles?: string[];
}

/** Method names of a controller and the classes it extends (procedureRoutes gives several their routes). */
function handlerNames(prototype: object): Set<string> {
  const names = new Set<string>();
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  return names;
}

/** @Public and @RequireRoles of every route handler, keyed by operationId. */
function handlerFacts(app: INestApplication): Map<string, HandlerFacts> {
  const facts = new Map<string, HandlerFacts>();
  // The same walk SwaggerModule makes; in preview mode there are no instances, only classes.
  const container = (app as unknown as { container: NestContainer }).container;
  for (const module of container.getModules().values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller) continue;
      for (const name of handlerNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        // as the AuthGuard reads them: the handler's own metadata overrides the class's
        const read = <T>(key: string): T | undefined =>
          Reflect.getMetadata(key, handler) ?? (Reflect.getMetadata(key, controller) as T | undefined);
        facts.set(operationId(controller.name, name), {
          isPublic: read<boolean>(IS_PUBLIC) === true,
          roles: read<string[]>(REQUIRED_ROLES),
        });
      }
    }
  }
  return facts;
}

const problemResponse = (status: number) => ({
  description: PROBLEM_DESCRIPTIONS[status],
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
});

function addProblem(responses: ResponsesObject, status: number): void {
  if (!responses[status]) responses[status] = problemResponse(status);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('CaseLink')
    .setDescription(
      'Cross-agency case-referral workflow engine (administrative-to-criminal case transfer). ' +
        'The human guide to this contract (workflow, events, deadlines, roles, scope, webhooks, configuration) is ' +
        '`docs/api.md` in the CaseLink repository; this document holds the schemas. ' +
        'Every error is application/problem+json (RFC 9457) with a `code`.',
    )
    .setVersion('1')
    .setLicense('UNLICENSED (proprietary)', 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license')
    .addServer('/', 'the service that serves this document')
    .addServer('http://127.0.0.1:3000', '`npm start` with the default HOST and PORT')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'accessToken of POST /api/v1/auth/login' },
      BEARER,
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'a key of POST /api/v1/api-keys' }, API_KEY);
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);

  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemDto],
    operationIdFactory: operationId,
  });

  const facts = handlerFacts(app);
  for (const [path, item] of Object.entries(document.paths) as [string, PathItemObject][]) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      const fact = facts.get(operation.operationId ?? '');
      if (!fact) throw new Error(`OpenAPI: no handler found for ${method.toUpperCase()} ${path}`);
      if (fact.isPublic) {
        operation.security = [];
      } else {
        operation.security = [{ [BEARER]: [] }, { [API_KEY]: [] }]; // either one
        addProblem(operation.responses, 401);
      }
      if (fact.roles) {
        addProblem(operation.responses, 403);
        const line = `Roles: ${fact.roles.map((r) => `\`${r}\``).join(', ')}.`;
        operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
      }
      if (method !== 'get' && path.startsWith('/api/')) addProblem(operation.responses, 429);
      if (path.startsWith('/api/')) addProblem(operation.responses, 503);
    }
  }
  return document;
}
