import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { buildEventsDeps, handleEventsBatch } from '../../lambdas/events/handler';
import type { EventsDeps } from '../../lambdas/events/app';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { deduplicationId, messageGroupId, type GatewayEvent } from '../../lambdas/shared/contracts/gateway-event';
import { toSqsBody } from '../../lambdas/shared/contracts/sqs-body';
import { HOUR_MS } from '../../lambdas/shared/clock';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';
import { testContext } from '../support/context';
import { sqsEventWith } from '../support/sqs-events';

describe('events λ: ticket activity written at most once a minute per ticket, without a refused write in between', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let deps: EventsDeps;
  const clock = new ManualClock();
  const touches: Array<{ number: number; written: boolean }> = [];
  beforeAll(async () => {
    env = await provisionForTest('events-activity');
    const built = await buildEventsDeps({
      TABLE_NAME: env.resources.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: env.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: env.endpoints.sqsS3,
      WORK_QUEUE_URL: env.resources.queues.work.url,
      DISCORD_APPLICATION_ID: '100000000000000001',
    });
    // The real store; the wrapper only notes which activity writes were attempted and their outcome.
    const tickets = Object.create(built.tickets) as EventsDeps['tickets'];
    tickets.touchTicket = async (...args) => {
      const written = await built.tickets.touchTicket(...args);
      touches.push({ number: args[1], written });
      return written;
    };
    deps = { ...built, tickets, clock };
  });
  afterAll(() => env.destroy());

  const guildId = randomSnowflake();
  const seedOpenTicket = async (number: number, channelId: string, lastActivityAt: number) =>
    env.db.send(
      new PutCommand({
        TableName: env.resources.tableName,
        Item: { ...Keys.ticket(guildId, number), ...Keys.channelIndex(channelId), guildId, number, openerId: randomSnowflake(), channelId, status: 'open', lastActivityAt },
      }),
    );
  const message = (channelId: string, bot = false): GatewayEvent => ({
    type: 'message.create', guildId, channelId, messageId: randomSnowflake(), content: 'hello', createdAt: clock.now(), at: clock.now(),
    author: { id: randomSnowflake(), username: 'ana', globalName: 'Ana', avatar: null, bot },
    attachments: [], embeds: [], stickers: [], replyTo: null, mentions: { users: [], roles: [], channels: [] },
  });
  const apply = async (...events: GatewayEvent[]) => {
    const batch = { Records: events.flatMap((e) => sqsEventWith([toSqsBody(e)], { MessageGroupId: messageGroupId(e), MessageDeduplicationId: deduplicationId(e) }).Records) };
    const res = await handleEventsBatch(batch, testContext('events'), deps);
    expect(res.batchItemFailures).toEqual([]);
  };
  const lastActivity = async (number: number) => (await deps.tickets.getTicket(guildId, number))?.lastActivityAt;

  it('writes on the first message, skips the next ones within the minute, writes again after it; every message is logged', async () => {
    const channelId = randomSnowflake();
    const start = clock.now();
    await seedOpenTicket(1, channelId, start - 2 * HOUR_MS);

    await apply(message(channelId));
    expect(await lastActivity(1)).toBe(start);
    clock.advance(30_000);
    await apply(message(channelId), message(channelId, true), message(channelId));
    clock.advance(29_999);
    await apply(message(channelId));
    expect(await lastActivity(1)).toBe(start);
    clock.advance(1);
    await apply(message(channelId));
    expect(await lastActivity(1)).toBe(start + 60_000);

    // Two writes, both accepted: nothing was sent that the store would have refused.
    expect(touches.filter((t) => t.number === 1)).toEqual([{ number: 1, written: true }, { number: 1, written: true }]);
    expect(await deps.ticketLog.list(guildId, channelId)).toHaveLength(6);
  });

  it('a ticket touched elsewhere in the last minute (another container, an interaction) is still asked, and the store refuses', async () => {
    const channelId = randomSnowflake();
    await seedOpenTicket(2, channelId, clock.now() - 10_000);
    await apply(message(channelId));
    expect(touches.filter((t) => t.number === 2)).toEqual([{ number: 2, written: false }]);
    expect(await lastActivity(2)).toBe(clock.now() - 10_000);
  });
});
