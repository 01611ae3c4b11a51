/**
 * The gateway bridge as a library, for running it inside another process (the local stack).
 * The container runs `main.ts` instead.
 */
export { parseGatewayConfig, ConfigError, type GatewayConfig, type ShardPlan } from './config';
export { startGateway, type GatewayDeps, type RunningGateway } from './gateway';
export { evaluateShardHealth, type HealthReport, type ShardHealth } from './health';
export { createJsonLogger, type Logger, type LogLevel } from './logger';
export {
  SqsFifoPublisher,
  InvalidGatewayEventError,
  PublisherClosedError,
  type SqsBatchSender,
  type SqsFifoPublisherOptions,
  type PublisherStats,
  type DrainResult,
} from './sqs-publisher';
