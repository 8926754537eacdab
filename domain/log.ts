export type LogLevel = 'info' | 'warn' | 'error';

/**
 * The one logging callback: the domain, the adapters and the local stack all take this. On Lambda it is backed
 * by a Powertools logger (functions/runtime/logger.ts); locally it prints a line.
 */
export type Log = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;
