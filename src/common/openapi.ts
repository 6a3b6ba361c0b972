// OpenAPI building blocks shared by every controller: the problem+json body of
// API.md's "Errors" and a decorator that documents the problems an operation
// can answer with. The schemas come from classes, as the DTOs do.
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ProblemCode } from './problem';

export const PROBLEM_CODES: ProblemCode[] = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'TRANSITION_NOT_ALLOWED',
  'IDEMPOTENCY_KEY_REUSED',
  'ALREADY_EXISTS',
  'VERSION_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
];

export class FieldErrorDto {
  @ApiProperty({ example: 'suspects.0.idNumber' }) field: string;
  @ApiProperty({ example: 'idNumber must be 6-30 letters or digits' }) message: string;
}

/** RFC 9457 problem details, with the code of API.md's error table. */
export class ProblemDto {
  @ApiProperty({ example: 'about:blank' }) type: string;
  @ApiProperty({ example: 'Conflict' }) title: string;
  @ApiProperty({ example: 409 }) status: number;
  @ApiProperty({ enum: PROBLEM_CODES, example: 'TRANSITION_NOT_ALLOWED' }) code: ProblemCode;
  @ApiProperty({ example: 'ACCEPT is not allowed in state submitted' }) detail: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'VALIDATION_FAILED: what was wrong, field by field' })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: [String], description: 'TRANSITION_NOT_ALLOWED: the events the caller may send now' })
  allowedEvents?: string[];
  @ApiPropertyOptional({ description: 'VERSION_CONFLICT: the current version' }) currentVersion?: number;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'ALREADY_EXISTS: the one that exists (an administrative case of that number, the open recommendation)',
  })
  existingId?: string;
  @ApiPropertyOptional({ description: 'RATE_LIMITED: seconds until the next try (also in Retry-After)' })
  retryAfterSeconds?: number;
  @ApiPropertyOptional({ format: 'uuid', description: '5xx: the id under which the error was logged' }) errorId?: string;
}

export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: the body, query or a header is not valid; nothing was written',
  401: 'UNAUTHENTICATED: missing, invalid, expired or revoked token or API key',
  403: 'FORBIDDEN: the caller may see the resource but its role may not do this',
  404: "NOT_FOUND: does not exist or is outside the caller's scope",
  409: 'Conflict: TRANSITION_NOT_ALLOWED, IDEMPOTENCY_KEY_REUSED or ALREADY_EXISTS',
  412: 'VERSION_CONFLICT: If-Match does not match the current version',
  413: 'PAYLOAD_TOO_LARGE: body or upload over the configured limit',
  429: 'RATE_LIMITED: too many requests; see Retry-After',
  503: 'UNAVAILABLE: database or queue unreachable; nothing was written',
};

/**
 * Documents the problem+json answers an operation can give. 401 (non-public routes), 403 (@RequireRoles),
 * 429 (writes) and 503 (every /api route) are added by src/openapi/document.ts from the guards' metadata.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/** The optional Idempotency-Key header of a creating POST (API.md), documented once. */
export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', maxLength: 200 },
    description: 'repeating it with the same body returns the first response; with a different body 409',
  });
