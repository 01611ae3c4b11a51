/**
 * Gateway pipeline benchmarks (called from `bench/run.ts`; `npx tsx bench/gateway.ts` runs them alone):
 *
 * 1. Forwarding throughput of one gateway task: MESSAGE_CREATE dispatches of open ticket threads
 *    pushed through a loopback gateway socket into discord.js, mapped, batched and sent to
 *    events.fifo on the SQS emulator. Everything but the emulators runs on this process's one
 *    thread (the loopback gateway's encoding included), so the figure is a floor. Then the same
 *    with an AWS-like round trip added to every SendMessageBatch, over 40 channels, with one call
 *    in flight and with the publisher's default: what sending several batches at once is for.
 * 2. The events λ's apply rate: message.create batches of 10 (Lambda's batch size here, one
 *    message per channel) through the handler against DynamoDB Local — the log write per message,
 *    and the activity write once a minute per ticket.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { DEFAULT_MAX_IN_FLIGHT_BATCHES, type SqsBatchSender } from '../gateway-task/src/sqs-publisher';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL = 'SILENT';

const FORWARD_EVENTS = Number(process.env.BENCH_GATEWAY_EVENTS ?? 20_000);
const APPLY_EVENTS = Number(process.env.BENCH_APPLY_EVENTS ?? 2_000);
const CHANNELS = 20;
/** Added to every SendMessageBatch in the round-trip runs (SQS within a region is ~10–30 ms). */
const SQS_RTT_MS = 20;
const RTT_EVENTS = Number(process.env.BENCH_GATEWAY_RTT_EVENTS ?? 6_000);
const RTT_CHANNELS = 40;

interface Rate {
  events: number;
  seconds: number;
  perSecond: number;
}

export interface GatewayBench {
  forward: Rate & { batches: number };
  /** With {@link SQS_RTT_MS} added per call: one call in flight, then the default. */
  forwardRtt: { oneInFlight: Rate; concurrent: Rate };
  apply: Rate;
}

export async function gatewayBench(): Promise<GatewayBench> {
  const { startDynamoDbLocal } = await import('../local/aws/dynamodb-local');
  const { startSqsS3Emulator } = await import('../local/aws/fauxqs');
  const { LOCAL_CREDENTIALS, LOCAL_REGION, provisionLocalResources } = await import('../local/aws/provision');
  const { Keys } = await import('../lambdas/shared/adapters/keys');
  const { startGateway } = await import('../gateway-task/src/gateway');
  const { createJsonLogger } = await import('../gateway-task/src/logger');
  const { FakeDiscordGateway } = await import('../test/gateway/support/fake-discord-gateway');
  const { dispatch, nextId } = await import('../test/gateway/support/dispatches');
  const { buildEventsDeps, handleEventsBatch } = await import('../lambdas/events/handler');
  const { localLambdaContext } = await import('../local/lambda-context');

  Object.assign(process.env, { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey });
  const [ddb, sqsS3] = await Promise.all([startDynamoDbLocal(), startSqsS3Emulator()]);
  const endpoints = { dynamodb: ddb.endpoint, sqsS3: sqsS3.endpoint };
  const resources = await provisionLocalResources(endpoints, { prefix: `bench-gw-${randomUUID().slice(0, 6)}`, visibilityTimeoutSeconds: 30 });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ endpoint: endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const fake = await FakeDiscordGateway.start();
  try {
    const guildId = nextId();
    const allChannels = Array.from({ length: Math.max(CHANNELS, RTT_CHANNELS) }, () => nextId());
    const channels = allChannels.slice(0, CHANNELS);
    for (const [i, channelId] of allChannels.entries()) {
      await db.send(
        new PutCommand({
          TableName: resources.tableName,
          Item: { ...Keys.ticket(guildId, i + 1), ...Keys.channelIndex(channelId), ...Keys.openChannel(channelId), guildId, number: i + 1, openerId: nextId(), channelId, status: 'open', lastActivityAt: 0 },
        }),
      );
    }

    // 1. Forwarding.
    const forward = async (run: { events: number; channels: string[]; sqs: SqsBatchSender; maxInFlightBatches?: number }): Promise<Rate> => {
      const gw = await startGateway(
        {
          discordToken: 'bench-token', eventsQueueUrl: resources.queues.events.url, awsRegion: LOCAL_REGION, sqsEndpoint: endpoints.sqsS3,
          tableName: resources.tableName, dynamodbEndpoint: endpoints.dynamodb, ticketRefreshSeconds: 300, discordApiBaseUrl: fake.apiBaseUrl,
          shards: 'auto', healthPort: 0, logLevel: 'error',
        },
        { sqs: run.sqs, publisher: { maxInFlightBatches: run.maxInFlightBatches }, healthHost: '127.0.0.1', logger: createJsonLogger({ level: 'error', write: () => {} }) },
      );
      await gw.ready;
      const packets = Array.from({ length: run.events }, (_, i) => dispatch.messageCreate({ guildId, channelId: run.channels[i % run.channels.length], content: `message ${i} with some ordinary length of text in it` }));
      const t0 = performance.now();
      for (let i = 0; i < packets.length; i++) {
        fake.dispatch(0, packets[i]);
        // Yield now and then, as a socket would: the task reads while Discord writes.
        if (i % 500 === 499) await new Promise((r) => setImmediate(r));
      }
      const stats = () => gw.health().publisher as { sent: number; dropped: number };
      while (stats().sent + stats().dropped < run.events) await new Promise((r) => setTimeout(r, 5));
      const seconds = (performance.now() - t0) / 1000;
      if (stats().dropped) throw new Error(`${stats().dropped} events dropped`);
      await gw.stop();
      return { events: run.events, seconds, perSecond: run.events / seconds };
    };
    const forwarded = await forward({ events: FORWARD_EVENTS, channels, sqs });
    const distantSqs: SqsBatchSender = {
      send: async (cmd) => {
        await new Promise((r) => setTimeout(r, SQS_RTT_MS));
        return sqs.send(cmd);
      },
    };
    const rttChannels = allChannels.slice(0, RTT_CHANNELS);
    const oneInFlight = await forward({ events: RTT_EVENTS, channels: rttChannels, sqs: distantSqs, maxInFlightBatches: 1 });
    const concurrent = await forward({ events: RTT_EVENTS, channels: rttChannels, sqs: distantSqs, maxInFlightBatches: DEFAULT_MAX_IN_FLIGHT_BATCHES });

    // 2. The events λ applying message.create batches.
    const deps = await buildEventsDeps({ TABLE_NAME: resources.tableName, AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb, AWS_ENDPOINT_URL_SQS: endpoints.sqsS3, WORK_QUEUE_URL: resources.queues.work.url, DISCORD_APPLICATION_ID: '100000000000000001' });
    const bodies = Array.from({ length: APPLY_EVENTS }, (_, i) => {
      const { d } = dispatch.messageCreate({ guildId, channelId: channels[i % CHANNELS], content: `applied ${i}` });
      return {
        type: 'message.create', guildId, channelId: d.channel_id, messageId: d.id, content: d.content, createdAt: Date.parse(d.timestamp), at: Date.now(),
        author: { id: d.author.id, username: d.author.username, globalName: d.author.global_name, avatar: null, bot: false },
        attachments: [], embeds: [], stickers: [], replyTo: null, mentions: { users: [], roles: [], channels: [] },
      };
    });
    const context = localLambdaContext('events', 30);
    const t1 = performance.now();
    for (let i = 0; i < bodies.length; i += 10) {
      const event: SQSEvent = {
        Records: bodies.slice(i, i + 10).map((b) => ({
          messageId: randomUUID(), receiptHandle: 'r', body: JSON.stringify(b), md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: resources.queues.events.arn, awsRegion: LOCAL_REGION, messageAttributes: {},
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'bench', ApproximateFirstReceiveTimestamp: '0', MessageGroupId: `channel-${b.channelId}`, MessageDeduplicationId: b.messageId },
        })),
      };
      const res = await handleEventsBatch(event, context, deps);
      if (res.batchItemFailures.length) throw new Error(`${res.batchItemFailures.length} records failed`);
    }
    const applySeconds = (performance.now() - t1) / 1000;
    // Every event must have been logged (the λ drops messages of channels without a ticket row).
    const logged = (await Promise.all(channels.slice(0, CHANNELS).map((c) => deps.ticketLog.list(guildId, c)))).flat().filter((m) => m.content.startsWith('applied ')).length;
    if (logged !== APPLY_EVENTS) throw new Error(`${APPLY_EVENTS - logged} applied events were not logged`);
    return {
      forward: { ...forwarded, batches: Math.ceil(FORWARD_EVENTS / 10) },
      forwardRtt: { oneInFlight, concurrent },
      apply: { events: APPLY_EVENTS, seconds: applySeconds, perSecond: APPLY_EVENTS / applySeconds },
    };
  } finally {
    await fake.close();
    sqs.destroy();
    db.destroy();
    await Promise.all([ddb.stop(), sqsS3.stop()]);
  }
}

/** The BENCHMARKS.md section for these figures. */
export function gatewayBenchLines(r: GatewayBench): string[] {
  return [
    '## Gateway pipeline',
    '',
    'Forwarding: MESSAGE_CREATE dispatches of 20 open ticket threads fed to one gateway task through a',
    'loopback gateway socket (discord.js parses them), mapped, validated, batched (10 per',
    'SendMessageBatch) into events.fifo on the SQS emulator; the loopback gateway shares the task’s one',
    'thread; up to 4 SendMessageBatch calls in flight, never two with the same channel. Goal ≥ 2,000',
    'events/s. Apply: the events λ handler on batches of 10 message.create events of 10 channels',
    '(live-log write each; activity write once a minute per ticket) against DynamoDB Local, one batch',
    'after another; within a batch the channels run concurrently.',
    '',
    '| measure | events | time | rate |',
    '|---|---|---|---|',
    `| gateway task → events.fifo | ${r.forward.events} | ${r.forward.seconds.toFixed(2)} s | ${Math.round(r.forward.perSecond)} events/s |`,
    `| same, +${SQS_RTT_MS} ms per SQS call, ${RTT_CHANNELS} channels, 1 call in flight | ${r.forwardRtt.oneInFlight.events} | ${r.forwardRtt.oneInFlight.seconds.toFixed(2)} s | ${Math.round(r.forwardRtt.oneInFlight.perSecond)} events/s |`,
    `| same, +${SQS_RTT_MS} ms per SQS call, ${RTT_CHANNELS} channels, up to ${DEFAULT_MAX_IN_FLIGHT_BATCHES} in flight | ${r.forwardRtt.concurrent.events} | ${r.forwardRtt.concurrent.seconds.toFixed(2)} s | ${Math.round(r.forwardRtt.concurrent.perSecond)} events/s |`,
    `| events λ → DynamoDB Local | ${r.apply.events} | ${r.apply.seconds.toFixed(2)} s | ${Math.round(r.apply.perSecond)} events/s |`,
    '',
  ];
}

if (require.main === module) {
  gatewayBench().then(
    (r) => console.log(gatewayBenchLines(r).join('\n')),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
