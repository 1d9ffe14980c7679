import { Logger } from '../../../lambda/core/logger';
import { capturedLogLines } from '../../support/log-capture';

function linesOf(run: () => void): Record<string, unknown>[] {
  const start = capturedLogLines.length;
  run();
  return capturedLogLines.slice(start).map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('writes one JSON object per line with level, service, message, request id and fields', () => {
  const logger = new Logger('svc', 'DEBUG');
  logger.setRequestId('req-1');
  const [line] = linesOf(() => logger.info('hello', { status: 200, cause: 'x' }));
  expect(line).toEqual({
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    level: 'INFO',
    service: 'svc',
    message: 'hello',
    requestId: 'req-1',
    status: 200,
    cause: 'x',
  });
});

test('drops lines below its level', () => {
  const logger = new Logger('svc', 'WARN');
  const lines = linesOf(() => {
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
  });
  expect(lines.map((line) => line.level)).toEqual(['WARN', 'ERROR']);
});

test('reads its level from the environment value, INFO when unknown', () => {
  expect(Logger.levelFrom('debug')).toBe('DEBUG');
  expect(Logger.levelFrom(undefined)).toBe('INFO');
  expect(Logger.levelFrom('verbose')).toBe('INFO');
});
