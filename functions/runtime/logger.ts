import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../../domain/log.js';

export function makeLogger(serviceName: string): Logger {
  return new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? serviceName });
}

/** The domain's logging callback, backed by a Powertools logger. */
export function domainLog(logger: Logger): Log {
  return (level, message, data = {}) => {
    logger[level](message, data);
  };
}
