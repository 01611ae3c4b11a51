import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Events, type Client, type CloseEvent } from 'discord.js';
import { DynamoOpenTicketChannels } from '../../lambdas/shared/adapters/dynamo-open-ticket-channels';
import type { GatewayConfig } from './config';
import { createDiscordClient } from './discord-client';
import { mapDispatch, type RawGatewayPacket } from './dispatch-mappers';
import { evaluateShardHealth, startHealthServer, type HealthReport } from './health';
import { createJsonLogger, type Logger } from './logger';
import { PublisherOverflowError, SqsFifoPublisher, type SqsBatchSender, type SqsFifoPublisherOptions } from './sqs-publisher';
import { shardOf, TicketChannels, type OpenTicketChannelSource } from './ticket-channels';

/** What {@link startGateway} can be given instead of building it from config. */
export interface GatewayDeps {
  logger?: Logger;
  /** Where batches go; by default an `SQSClient` for `config.awsRegion` / `config.sqsEndpoint`. */
  sqs?: SqsBatchSender;
  /** Publisher tuning: linger, buffer size, retry backoff. */
  publisher?: Omit<SqsFifoPublisherOptions, 'sqs' | 'queueUrl' | 'logger'>;
  /** Where open ticket channels are read from; by default the `OpenChannels` index of `config.tableName`. */
  openTicketChannels?: OpenTicketChannelSource;
  /** Clock stamped on events as `at`. */
  now?: () => number;
  /** Interface the health endpoint binds to. Default all interfaces (the ECS health check and load balancers reach it). */
  healthHost?: string;
  /** How long `stop()` waits for the publisher to flush. Default 20 s, inside ECS's default 30 s stop timeout. */
  drainTimeoutMs?: number;
}

/** A running gateway bridge. */
export interface RunningGateway {
  /**
   * Settles when login finishes: resolves once every shard of this task has received READY,
   * rejects when login fails (bad token, Discord unreachable). After a rejection, call `stop()`.
   */
  readonly ready: Promise<void>;
  /** Port the health endpoint listens on (useful when configured as 0). */
  readonly healthPort: number;
  /** The report `GET /health` serves. */
  health(): HealthReport;
  /** Disconnects from Discord, flushes queued events to SQS, closes the health endpoint. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the gateway → SQS bridge: the health endpoint first (503 until connected), then the read
 * of the open ticket channels, then the discord.js client, whose raw dispatches are mapped to
 * contract events and published to the events FIFO queue. Resolves once the channels are loaded
 * and the login started; `ready` tells when Discord accepted the session.
 *
 * The bridge listens to discord.js's `raw` packet stream rather than `guildCreate` /
 * `guildDelete`: those fire only for guilds joined after the client is ready (not for the
 * GUILD_CREATE every guild gets on each connect, which the consumer relies on for "ensure
 * installed") and turn outages into a separate `guildUnavailable` event. Raw packets are the
 * documented Discord payloads, unaffected by what the trimmed caches hold.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#receive-events
 * @see https://discord.js.org/docs/packages/discord.js/14.28.1/Client:Class#raw
 */
export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const log = deps.logger ?? createJsonLogger({ level: config.logLevel });
  const now = deps.now ?? Date.now;

  const ownSqs = deps.sqs
    ? null
    : new SQSClient({
        region: config.awsRegion,
        ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}),
        // A hung connection must fail and be retried, not hold its batch's channels back.
        requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
      });
  const publisher = new SqsFifoPublisher({
    sqs: deps.sqs ?? ownSqs!,
    queueUrl: config.eventsQueueUrl,
    logger: log.child({ component: 'sqs-publisher' }),
    ...deps.publisher,
  });

  const ownDynamo = deps.openTicketChannels
    ? null
    : DynamoDBDocumentClient.from(
        new DynamoDBClient({ region: config.awsRegion, ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}), requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } }),
      );
  const plan = config.shards;
  const tickets = new TicketChannels(deps.openTicketChannels ?? new DynamoOpenTicketChannels(ownDynamo!, config.tableName), {
    // A task running some of the shards keeps only the channels of its own guilds.
    ownsGuild: plan === 'auto' ? undefined : (guildId) => plan.ids.includes(shardOf(guildId, plan.count)),
    logger: log.child({ component: 'ticket-channels' }),
  });
  const client = createDiscordClient({ shards: config.shards, apiBaseUrl: config.discordApiBaseUrl });
  const expectedShards = config.shards === 'auto' ? null : config.shards.ids;
  let stopping: Promise<void> | null = null;

  const health = (): HealthReport => {
    const report = evaluateShardHealth(client.ws.shards.values(), expectedShards);
    const stats = publisher.stats();
    return {
      ...report,
      ...(stopping ? { status: 'unavailable', stopping: true } : {}),
      // Events are being dropped (SQS unreachable for long): still 200 — a new task would not bring
      // SQS back and would lose the buffer — but the report and the logs say so.
      ...(publisher.overflowing() ? { degraded: 'events are being dropped: the SQS buffer is full' } : {}),
      publisher: stats,
      ticketChannels: tickets.size,
    };
  };

  // The health endpoint first (503 until every shard is connected): the ECS health check's grace
  // period starts with the task, and the index read below can take a while on a large table.
  const healthServer = await startHealthServer({
    port: config.healthPort,
    host: deps.healthHost,
    report: health,
    logger: log.child({ component: 'health' }),
  });

  // Before connecting: no message may be judged against an empty set. A failure here ends the
  // start (ECS restarts the task) rather than running blind.
  try {
    await tickets.refresh();
  } catch (err) {
    await healthServer.close();
    ownDynamo?.destroy();
    ownSqs?.destroy();
    throw err;
  }
  tickets.startRefreshing(config.ticketRefreshSeconds * 1000);

  client.on(Events.Raw, (packet: RawGatewayPacket, shardId: number) => {
    let event;
    try {
      tickets.observe(packet);
      event = mapDispatch(packet, { at: now(), shardId, tickets });
    } catch (err) {
      log.error('gateway dispatch not mapped', { dispatch: packet?.t, shardId, error: err });
      return;
    }
    if (!event) return;
    // A deleted ticket channel: nothing more will be said there. A locked thread stays known (a
    // reopen may unlock it a moment later, Deskwire's own lock may race one); the refresh drops it.
    if (event.type === 'channel.delete') tickets.forget(event.channelId);
    const type = event.type;
    publisher.publish(event).then(
      () => log.debug('gateway event queued', { type, shardId }),
      // Overflow refusals are counted and logged by the publisher (not once per event).
      (err: unknown) => err instanceof PublisherOverflowError || log.error('gateway event not published', { type, dispatch: packet.t, shardId, error: err }),
    );
  });
  attachLifecycleLogging(client, log, { token: config.discordToken, isStopping: () => stopping !== null });

  const ready = client.login(config.discordToken).then(() => {
    log.info('gateway connected', { shards: client.ws.shards.map((s) => s.id), shardCount: client.options.shardCount });
  });
  ready.catch((err: unknown) => log.error('gateway login failed', { error: err }));

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      log.info('gateway stopping');
      tickets.stop();
      try {
        await client.destroy();
      } catch (err) {
        log.warn('discord client did not close cleanly', { error: err });
      }
      const drained = await publisher.drain({ timeoutMs: deps.drainTimeoutMs ?? 20_000 });
      await healthServer.close();
      ownSqs?.destroy();
      ownDynamo?.destroy();
      log.info('gateway stopped', { drained: drained.completed, ...publisher.stats() });
    })());

  return { ready, healthPort: healthServer.port, health, stop };
}

/** Shard lifecycle to the log: ids and close codes only. */
function attachLifecycleLogging(client: Client, log: Logger, opts: { token: string; isStopping: () => boolean }): void {
  // discord.js logs the token with only its last segment masked; keep all of it out of the logs.
  const scrub = (text: string) => (opts.token ? text.split(opts.token).join('[token]') : text).replace(/^Provided token: .*/s, 'Provided token: [token]');

  client.on(Events.ShardReady, (shardId, unavailableGuilds) =>
    log.info('shard ready', { shardId, unavailableGuilds: unavailableGuilds?.size ?? 0 }),
  );
  client.on(Events.ShardResume, (shardId, replayedEvents) => log.info('shard resumed', { shardId, replayedEvents }));
  client.on(Events.ShardReconnecting, (shardId) => {
    // destroy() closes each shard, which discord.js reports as a reconnect.
    if (!opts.isStopping()) log.warn('shard reconnecting', { shardId });
  });
  client.on(Events.ShardDisconnect, (event: CloseEvent, shardId) =>
    // Only unrecoverable closes (bad token, disallowed intents, invalid shard) end up here;
    // the health endpoint turns 503 and ECS replaces the task.
    log.error('shard disconnected for good', { shardId, code: event.code }),
  );
  client.on(Events.ShardError, (error, shardId) => log.error('shard connection error', { shardId, error }));
  client.on(Events.ClientReady, (c) => log.info('client ready', { guilds: c.guilds.cache.size }));
  client.on(Events.Warn, (message) => log.warn('discord.js warning', { detail: scrub(message) }));
  client.on(Events.Error, (error) => log.error('discord.js error', { error }));
  client.on(Events.Debug, (message) => log.debug('discord.js debug', { detail: scrub(message) }));
}
