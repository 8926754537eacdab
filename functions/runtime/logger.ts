import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../../domain/log.js';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/** The logging settings of a function's config record (config.ts). */
export interface LogSettings {
  POWERTOOLS_SERVICE_NAME?: string | undefined;
  POWERTOOLS_LOG_LEVEL?: LogLevel | undefined;
}

export function makeLogger(serviceName: string, c: LogSettings = {}): Logger {
  return new Logger({
    serviceName: c.POWERTOOLS_SERVICE_NAME ?? serviceName,
    ...(c.POWERTOOLS_LOG_LEVEL ? { logLevel: c.POWERTOOLS_LOG_LEVEL } : {}),
  });
}

/** The domain's logging callback, backed by a Powertools logger. */
export function domainLog(logger: Logger): Log {
  return (level, message, data = {}) => {
    logger[level](message, data);
  };
}
