import * as errors from '../../../lambda/core/errors';
import { toErrorResponse } from '../../../lambda/http/error-responses';

test('every error class of lambda/core/errors has a 4xx status and keeps its own message', () => {
  const classes = Object.values(errors).filter(
    (value) => typeof value === 'function' && value.prototype instanceof errors.MfaServiceError,
  ) as unknown as (new (message: string) => errors.MfaServiceError)[];
  expect(classes.length).toBeGreaterThan(0);
  for (const ErrorClass of classes) {
    const response = toErrorResponse(new ErrorClass('our message'));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.message).toBe('our message');
  }
});

test('something thrown that is not an Error is a 500 without detail', () => {
  expect(toErrorResponse('a string')).toEqual({
    status: 500,
    name: 'InternalErrorException',
    message: 'Internal error. Try again later.',
  });
});

test('an Error named like a Cognito exception but not from the SDK is not trusted as one', () => {
  const impostor = Object.assign(new Error('x'), { name: 'CodeMismatchException' });
  expect(toErrorResponse(impostor).status).toBe(500);
});
