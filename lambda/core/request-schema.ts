import type { BodyOf, ObjectSchema, StringField } from '../../contract/schema';
import { InvalidParameterException } from './errors';

/**
 * The handler's own check of a request body against its route's schema
 * (contract/schema.ts), so that a request that reaches a function some other way
 * than through API Gateway's model is held to the same contract. Ajv (what
 * @middy/validator uses) would add ~120 KB to every bundle for objects of a few
 * string fields; this checker is ~40 lines.
 */
/**
 * Checks a parsed JSON value against a schema and returns it typed. Messages name
 * the field and the rule, never the value: values may be codes or secrets.
 */
export function validateBody<S extends ObjectSchema>(schema: S, value: unknown): BodyOf<S> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameterException('Request body must be a JSON object.');
  }
  const body = value as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(schema.properties, key)) {
      throw new InvalidParameterException(`Unknown field "${truncate(key)}".`);
    }
  }
  for (const key of schema.required) {
    if (body[key] === undefined) throw new InvalidParameterException(`Missing required field "${key}".`);
  }
  if (schema.minProperties !== undefined && Object.keys(body).length < schema.minProperties) {
    throw new InvalidParameterException(
      `Request body must set at least ${schema.minProperties} of: ${Object.keys(schema.properties).join(', ')}.`,
    );
  }
  for (const [key, field] of Object.entries(schema.properties)) {
    if (body[key] !== undefined) checkString(key, field, body[key]);
  }
  return body as BodyOf<S>;
}

function checkString(key: string, field: StringField, value: unknown): void {
  const rule = (text: string) => new InvalidParameterException(`Field "${key}" ${text}.`);
  if (typeof value !== 'string') throw rule('must be a string');
  if (field.minLength !== undefined && value.length < field.minLength) {
    throw rule(`must be at least ${field.minLength} characters long`);
  }
  if (field.maxLength !== undefined && value.length > field.maxLength) {
    throw rule(`must be at most ${field.maxLength} characters long`);
  }
  if (field.enum && !field.enum.includes(value)) throw rule(`must be one of ${field.enum.join(', ')}`);
  if (field.pattern && !new RegExp(field.pattern, 'u').test(value)) throw rule(`must be ${field.description}`);
}

function truncate(key: string): string {
  return key.length > 40 ? `${key.slice(0, 40)}...` : key;
}
