import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per function. Log fields never carry message content, user names or
 * tokens: ids and event names only.
 *
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName: `deskwire-${serviceName}` });
}
