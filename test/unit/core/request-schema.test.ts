import { InvalidParameterException } from '../../../lambda/core/errors';
import type { ObjectSchema } from '../../../contract/schema';
import { validateBody } from '../../../lambda/core/request-schema';

const schema = {
  type: 'object',
  title: 'Example',
  properties: {
    code: { type: 'string', description: 'a 6-digit code', pattern: '^[0-9]{6}$' },
    name: { type: 'string', description: 'a name', minLength: 2, maxLength: 5 },
    mode: { type: 'string', description: 'a mode', enum: ['ON', 'OFF'] },
  },
  required: ['code'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

function refusal(value: unknown): string {
  try {
    validateBody(schema, value);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParameterException);
    return (error as Error).message;
  }
  throw new Error('expected the body to be refused');
}

test('a valid body comes back typed and unchanged', () => {
  const body = validateBody(schema, { code: '012345', mode: 'ON' });
  expect(body).toEqual({ code: '012345', mode: 'ON' });
  const mode: 'ON' | 'OFF' | undefined = body.mode;
  expect(mode).toBe('ON');
});

test.each([
  ['null', null, 'Request body must be a JSON object.'],
  ['an array', [], 'Request body must be a JSON object.'],
  ['a string', 'code', 'Request body must be a JSON object.'],
  ['a missing required field', {}, 'Missing required field "code".'],
  ['an unknown field', { code: '123456', extra: 1 }, 'Unknown field "extra".'],
  ['a number for a string', { code: 123456 }, 'Field "code" must be a string.'],
  ['a null field', { code: null }, 'Field "code" must be a string.'],
  ['a pattern mismatch', { code: '12345' }, 'Field "code" must be a 6-digit code.'],
  ['a pattern with trailing text', { code: '123456\n' }, 'Field "code" must be a 6-digit code.'],
  ['too short', { code: '123456', name: 'a' }, 'Field "name" must be at least 2 characters long.'],
  ['too long', { code: '123456', name: 'abcdef' }, 'Field "name" must be at most 5 characters long.'],
  ['not in the enum', { code: '123456', mode: 'on' }, 'Field "mode" must be one of ON, OFF.'],
])('refuses %s with a message naming the rule', (_, value, message) => {
  expect(refusal(value)).toBe(message);
});

test('messages never contain the value that was sent', () => {
  expect(refusal({ code: '98765' })).not.toContain('98765');
});

test('a very long unknown field name is shortened in the message', () => {
  expect(refusal({ code: '123456', ['k'.repeat(500)]: 1 })).toBe(`Unknown field "${'k'.repeat(40)}...".`);
});

test('__proto__ in JSON is an unknown field, not a prototype', () => {
  expect(refusal(JSON.parse('{"code":"123456","__proto__":{"x":1}}'))).toBe('Unknown field "__proto__".');
});

test('minProperties is enforced', () => {
  const oneOf = {
    type: 'object',
    title: 'AtLeastOne',
    properties: { a: { type: 'string', description: 'a' }, b: { type: 'string', description: 'b' } },
    required: [],
    minProperties: 1,
    additionalProperties: false,
  } as const satisfies ObjectSchema;
  expect(() => validateBody(oneOf, {})).toThrow('Request body must set at least 1 of: a, b.');
  expect(validateBody(oneOf, { b: 'x' })).toEqual({ b: 'x' });
});
