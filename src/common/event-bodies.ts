// The body of POST /<instances>/:id/events for any workflow: one DTO class per
// client event (its payload class plus a single-value `type`), the OpenAPI oneOf
// with a `type` discriminator made from the same classes, and the parse that
// picks the class by `type`, so the contract and the validation agree.
import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { SYSTEM_EVENT_TYPES } from '../../workflows/procedure';
import { validationFailed } from './problem';
import { validateBody } from './validate';

export type EventDtoClass = new () => object;

export interface EventBodies<T extends string> {
  readonly types: readonly T[];
  /** A Map: the body's `type` is user input, and a plain object would also answer to `constructor`. */
  readonly dtos: ReadonlyMap<T, EventDtoClass>;
}

const pascal = (type: string) =>
  type
    .toLowerCase()
    .split(/[_-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

function eventDto(schemaPrefix: string, type: string, payload: EventDtoClass): EventDtoClass {
  class Event extends payload {
    @ApiProperty({ enum: [type], example: type }) @IsIn([type]) type: string;
  }
  // The schema name, e.g. AcceptEvent; other workflows prefix theirs (ReverseTransferDecideEvent).
  Object.defineProperty(Event, 'name', { value: `${schemaPrefix}${pascal(type)}Event` });
  return Event;
}

/** `schemaPrefix` keeps schema names apart between workflows ('' for the referral). */
export function eventBodies<T extends string>(
  schemaPrefix: string,
  types: readonly T[],
  payloads: Record<T, EventDtoClass>,
): EventBodies<T> {
  return { types, dtos: new Map(types.map((type) => [type, eventDto(schemaPrefix, type, payloads[type])])) };
}

/** The request body schema: one schema per event type, told apart by `type`. */
export function eventBodySchema(bodies: EventBodies<string>) {
  const entries = [...bodies.dtos];
  return {
    oneOf: entries.map(([, cls]) => ({ $ref: getSchemaPath(cls) })),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(entries.map(([type, cls]) => [type, getSchemaPath(cls)])),
    },
  };
}

/** Validates an events body into a client event; system events and unknown types are 400. */
export function parseEventBody<E extends { type: string }>(bodies: EventBodies<E['type']>, body: unknown): E {
  const type = (body as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && (SYSTEM_EVENT_TYPES as readonly string[]).includes(type)) {
    throw validationFailed([{ field: 'type', message: `${type} is sent by the system only` }]);
  }
  const dto = typeof type === 'string' ? bodies.dtos.get(type as E['type']) : undefined;
  if (!dto) throw validationFailed([{ field: 'type', message: `type must be one of: ${bodies.types.join(', ')}` }]);
  const event = validateBody(dto, body);
  return JSON.parse(JSON.stringify(event)) as E; // a plain object, as the machine and the timeline store it
}
