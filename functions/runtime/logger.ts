import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../../domain/log.js';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/** The logging settings of a function's config record (config.ts). */
export interface LogSettings {
  POWERTOOLS_SERVICE_NAME?: string | undefined;
  POWERTOOLS_LOG_LEVEL?: LogLevel | undefined;
}

const loggers = new Map<string, Logger>();

/**
 * One logger per function and cold start: deps.ts creates it from the config record, and handler.ts gets the
 * same instance for injectLambdaContext, so every line carries the invocation's context.
 */
export function makeLogger(serviceName: string, c: LogSettings = {}): Logger {
  let logger = loggers.get(serviceName);
  if (!logger) {
    logger = new Logger({
      serviceName: c.POWERTOOLS_SERVICE_NAME ?? serviceName,
      ...(c.POWERTOOLS_LOG_LEVEL ? { logLevel: c.POWERTOOLS_LOG_LEVEL } : {}),
    });
    loggers.set(serviceName, logger);
  }
  return logger;
}

/** The domain's logging callback, backed by a Powertools logger. */
export function domainLog(logger: Logger): Log {
  return (level, message, data = {}) => {
    logger[level](message, data);
  };
}
