/**
 * The JSON Schema subset the request bodies use (contract/request-bodies.ts):
 * API Gateway request models (draft-04) in `lib/`, the handlers' own check in
 * lambda/core/request-schema.ts, docs/openapi.yaml held to them by a test.
 */
export interface StringField {
  readonly type: 'string';
  readonly description: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

export interface ObjectSchema<
  P extends Record<string, StringField> = Record<string, StringField>,
  R extends keyof P & string = keyof P & string,
> {
  readonly type: 'object';
  readonly title: string;
  readonly properties: P;
  readonly required: readonly R[];
  readonly additionalProperties: false;
  readonly minProperties?: number;
}

type FieldValue<F> = F extends { readonly enum: readonly (infer E)[] } ? E : string;

/** The body type a schema describes: required keys required, the rest optional. */
export type BodyOf<S> =
  S extends ObjectSchema<infer P, infer R> ? { [K in R]: FieldValue<P[K]> } & { [K in Exclude<keyof P, R>]?: FieldValue<P[K]> } : never;
