// DTO property decorators that state a limit once, for both class-validator
// (what the service accepts) and OpenAPI (what the contract promises), so the
// two cannot drift apart.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

interface FieldOptions {
  example: unknown;
  description?: string;
  optional?: boolean;
}

function doc(options: FieldOptions, schema: ApiPropertyOptions): PropertyDecorator {
  const merged = { example: options.example, description: options.description, ...schema } as ApiPropertyOptions;
  return options.optional ? ApiPropertyOptional(merged) : ApiProperty(merged);
}

const optional = (options: FieldOptions) => (options.optional ? [IsOptional()] : []);

/** A string of `min`–`max` characters. */
export function TextField(options: FieldOptions & { min?: number; max: number }): PropertyDecorator {
  const min = options.min ?? 1;
  return applyDecorators(
    doc(options, { type: String, minLength: min, maxLength: options.max }),
    ...optional(options),
    IsString(),
    Length(min, options.max),
  );
}

/** A string matching `pattern` (documented as the same regular expression). */
export function PatternField(
  options: FieldOptions & { pattern: RegExp; message: string; maxLength?: number },
): PropertyDecorator {
  return applyDecorators(
    doc(options, { type: String, pattern: options.pattern.source, maxLength: options.maxLength }),
    ...optional(options),
    IsString(),
    Matches(options.pattern, { message: options.message }),
  );
}

export function UuidField(options: FieldOptions): PropertyDecorator {
  return applyDecorators(doc(options, { type: String, format: 'uuid' }), ...optional(options), IsUUID());
}

export function EnumField(values: readonly string[], options: FieldOptions): PropertyDecorator {
  return applyDecorators(doc(options, { type: String, enum: [...values] }), ...optional(options), IsIn(values));
}

/** An ISO-8601 date-time with an offset or `Z`. */
export function DateTimeField(options: FieldOptions): PropertyDecorator {
  return applyDecorators(
    doc(options, { type: String, format: 'date-time' }),
    ...optional(options),
    IsDateString({ strict: true }),
  );
}

/**
 * An array whose every element is validated as `cls`. IsObject({each}) matters:
 * without it a nested array (`[[{...}]]`) or `[null]` passes ValidateNested.
 */
export function ObjectArrayField(
  cls: new () => object,
  options: FieldOptions & { min?: number; max: number },
): PropertyDecorator {
  const min = options.min ?? 0;
  return applyDecorators(
    doc(options, { type: [cls], minItems: min, maxItems: options.max }),
    ...optional(options),
    IsArray(),
    ArrayMinSize(min),
    ArrayMaxSize(options.max),
    IsObject({ each: true, message: 'each value in $property must be an object' }),
    ValidateNested({ each: true }),
    Type(() => cls),
  );
}

/** An array of strings of `itemMin`–`itemMax` characters each. */
export function StringArrayField(
  options: FieldOptions & { min?: number; max: number; itemMin?: number; itemMax: number },
): PropertyDecorator {
  const min = options.min ?? 0;
  const itemMin = options.itemMin ?? 1;
  return applyDecorators(
    doc(options, {
      type: 'array',
      items: { type: 'string', minLength: itemMin, maxLength: options.itemMax },
      minItems: min,
      maxItems: options.max,
    }),
    ...optional(options),
    IsArray(),
    ArrayMinSize(min),
    ArrayMaxSize(options.max),
    IsString({ each: true }),
    Length(itemMin, options.itemMax, { each: true }),
  );
}

/** A JSON integer of a body, `min`–`max` (a string is refused: bodies are not query strings). */
export function IntField(options: FieldOptions & { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    doc(options, { type: 'integer', minimum: options.min, maximum: options.max }),
    ...optional(options),
    IsInt(),
    Min(options.min),
    Max(options.max),
  );
}

/** A list's page size (API.md "Lists"): an integer in the query string, 1–`max`. */
export function LimitField(max = 100, defaultValue = 20): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max, default: defaultValue, example: defaultValue }),
    IsOptional(),
    Transform(({ value }) => Number(value)),
    IsInt(),
    Min(1),
    Max(max),
  );
}

/** The opaque `nextCursor` of the previous page. */
export function CursorField(): PropertyDecorator {
  return TextField({
    optional: true,
    max: 200,
    example: 'WyIyMDI2LTAzLTAxVDAwOjAwOjAwLjAwMFoiLCIwMDAwIl0',
    description: 'nextCursor of the previous page; a cursor that does not decode is a 400',
  });
}

/** One nested object validated as `cls` (IsObject first: an array or null is refused, not passed through). */
export function ObjectField(cls: new () => object, options: FieldOptions): PropertyDecorator {
  return applyDecorators(
    doc(options, { type: cls }),
    ...optional(options),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type(() => cls),
  );
}

/** An array of distinct values from `values`. */
export function EnumArrayField(
  values: readonly string[],
  options: FieldOptions & { min?: number; max?: number },
): PropertyDecorator {
  const min = options.min ?? 0;
  const max = options.max ?? values.length;
  return applyDecorators(
    doc(options, { type: 'array', items: { type: 'string', enum: [...values] }, minItems: min, maxItems: max }),
    ...optional(options),
    IsArray(),
    ArrayMinSize(min),
    ArrayMaxSize(max),
    ArrayUnique(),
    IsIn(values, { each: true, message: `each value in $property must be one of ${values.join(', ')}` }),
  );
}

/** A calendar date YYYY-MM-DD that exists (2026-02-30 is refused), years 1970–9999. */
export function DateField(options: FieldOptions): PropertyDecorator {
  return applyDecorators(
    doc(options, { type: String, format: 'date' }),
    ...optional(options),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date such as 2026-03-01' }),
    ValidateBy({
      name: 'isCalendarDate',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isCalendarDate(v),
        defaultMessage: () => '$property is not a calendar date',
      },
    }),
  );
}

export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = m.slice(1).map(Number);
  const d = new Date(Date.UTC(year, month - 1, day));
  return year >= 1970 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** An array of `min`–`max` distinct items, each documented by `items` and checked by `each`. */
function distinctArrayField(
  options: FieldOptions & { min?: number; max: number },
  items: Record<string, unknown>,
  ...each: PropertyDecorator[]
): PropertyDecorator {
  const min = options.min ?? 0;
  return applyDecorators(
    doc(options, { type: 'array', items, minItems: min, maxItems: options.max, uniqueItems: true }),
    ...optional(options),
    IsArray(),
    ArrayMinSize(min),
    ArrayMaxSize(options.max),
    ArrayUnique(),
    ...each,
  );
}

/** An array of distinct strings, each matching `pattern` (documented as the same regular expression). */
export function PatternArrayField(
  options: FieldOptions & { pattern: RegExp; message: string; min?: number; max: number },
): PropertyDecorator {
  return distinctArrayField(
    options,
    { type: 'string', pattern: options.pattern.source },
    IsString({ each: true }),
    Matches(options.pattern, { each: true, message: options.message }),
  );
}

/** An array of distinct UUIDs. */
export function UuidArrayField(options: FieldOptions & { min?: number; max: number }): PropertyDecorator {
  return distinctArrayField(options, { type: 'string', format: 'uuid' }, IsUUID(undefined, { each: true }));
}
