import { loggingEnvironment } from '../../contract/environment';
/**
 * One structured JSON logger for every handler and trigger.
 *
 * Powertools Logger (2.36) was measured against a bare Cognito handler bundled
 * the way lib/bundling.ts does: +24 KB minified and about +20 ms (44 -> 64 ms)
 * cold import, which alone breaks the 1.15x budgets of docs/performance.md.
 * This logger keeps what we use of it: levels, one JSON object per line, the
 * request id.
 *
 * Fields are primitives only, by type: an event, a request body or an SDK
 * response cannot be passed in whole, so they cannot be logged whole by accident.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

const severity: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

export class Logger {
  private readonly threshold: number;
  private requestId: string | undefined;

  constructor(
    private readonly service: string,
    level: LogLevel,
  ) {
    this.threshold = severity[level];
  }

  static levelFrom(value: string | undefined): LogLevel {
    const level = (value ?? 'INFO').toUpperCase();
    return level in severity ? (level as LogLevel) : 'INFO';
  }

  setRequestId(requestId: string | undefined): void {
    this.requestId = requestId;
  }

  debug(message: string, fields?: LogFields): void {
    this.write('DEBUG', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('INFO', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('WARN', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('ERROR', message, fields);
  }

  private write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (severity[level] < this.threshold) return;
    const line = JSON.stringify({
      timestamp: new Date().toISOString(),
      level,
      service: this.service,
      message,
      requestId: this.requestId,
      ...fields,
    });
    if (level === 'ERROR') console.error(line);
    else if (level === 'WARN') console.warn(line);
    else console.log(line);
  }
}

const settings = loggingEnvironment.decode(process.env);

export const logger = new Logger(settings.serviceName, Logger.levelFrom(settings.logLevel));
