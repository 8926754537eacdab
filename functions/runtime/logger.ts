import { Logger } from '@aws-lambda-powertools/logger';

export function makeLogger(serviceName: string): Logger {
  return new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? serviceName });
}

/** The domain's logging callback, backed by a Powertools logger. */
export function domainLog(logger: Logger) {
  return (level: 'info' | 'warn' | 'error', message: string, data: Record<string, unknown> = {}) => {
    logger[level](message, data);
  };
}
