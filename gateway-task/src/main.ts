/**
 * Container entry point: parse the environment, run the bridge, stop cleanly on SIGTERM (ECS
 * sends it, then SIGKILL after the task's stop timeout) or SIGINT.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_timeout
 */
import { ConfigError, parseGatewayConfig } from './config';
import { startGateway, type RunningGateway } from './gateway';
import { createJsonLogger, type Logger } from './logger';

function fail(log: Logger, message: string, error: unknown): never {
  log.error(message, { error });
  process.exit(1);
}

async function main(): Promise<void> {
  const bootLog = createJsonLogger({ level: 'info' });
  let config;
  try {
    config = parseGatewayConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      // Same JSON line shape as every other log, on stderr too so `docker run` shows it plainly.
      bootLog.error(err.message, { problems: err.problems });
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const log = createJsonLogger({ level: config.logLevel });
  process.on('uncaughtException', (err) => fail(log, 'uncaught exception', err));
  process.on('unhandledRejection', (err) => fail(log, 'unhandled rejection', err));

  let shuttingDown = false;
  const starting: Promise<RunningGateway> = startGateway(config, { logger: log });
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info('shutdown requested', { signal });
    await (await starting.catch(() => null))?.stop();
    process.exit(0);
  };
  // Registered before connecting, so a stop during a slow login still flushes and exits.
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  const gateway = await starting;
  try {
    await gateway.ready;
  } catch (err) {
    if (shuttingDown) return;
    shuttingDown = true;
    await gateway.stop();
    fail(log, 'gateway could not connect', err);
  }
}

main().catch((err) => fail(createJsonLogger(), 'gateway task failed to start', err));
