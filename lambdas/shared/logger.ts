import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/**
 * One structured JSON logger per function. Log fields never carry message content, user names or
 * tokens: ids and event names only.
 *
 * The level is `LOG_LEVEL` (the variable every process's config validates, and the stack sets on
 * each function with the Lambda application log level). It is given to the constructor because
 * Powertools would otherwise let `POWERTOOLS_LOG_LEVEL` take precedence over it; loggers are made
 * at module load, so the variable is read from the environment then. Unset: Powertools' default (INFO).
 *
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#log-levels
 */
export function createLogger(serviceName: string, env: Record<string, string | undefined> = process.env): Logger {
  return new Logger({ serviceName: `deskwire-${serviceName}`, logLevel: (env.LOG_LEVEL || undefined) as LogLevel | undefined });
}
