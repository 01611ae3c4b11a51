import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Clock } from '../shared/clock';
import { GatewayEvent } from '../shared/contracts/gateway-event';
import { handleGuildEvent } from '../shared/domain/guild-lifecycle';
import { leaveIfEnforced } from '../shared/enforcement/guild-join';
import type { EnforcementStore } from '../shared/enforcement/ports';
import type { GuildStore } from '../shared/ports/guild-store';
import type { Telemetry } from '../shared/ports/telemetry';
import type { WorkQueue } from '../shared/ports/work-queue';
import { safeError } from '../shared/safe-error';
import { processSqsBatch, receiveCount } from '../shared/sqs-batch';
import type { TicketLogStore } from '../shared/tickets/live-log';
import type { TicketStore } from '../shared/tickets/ports';
import { handleTicketEvent, type TicketLookups } from '../shared/tickets/ticket-events';

export interface EventsDeps {
  guilds: GuildStore;
  tickets: TicketStore;
  ticketLog: TicketLogStore;
  workQueue: WorkQueue;
  /** Guild bans: a banned guild that adds the bot is left again. */
  enforcement: Pick<EnforcementStore, 'state'>;
  lookups: TicketLookups;
  telemetry: Telemetry;
  clock: Clock;
  log: Logger;
}

/**
 * One gateway event from events.fifo. A body that breaks the contract throws (→ retries → DLQ,
 * replayable). Bodies carry emoji as JSON escapes or raw; `JSON.parse` reads both.
 */
export async function processGatewayRecord(record: SQSRecord, deps: EventsDeps): Promise<void> {
  const event = GatewayEvent.parse(parseBody(record.body));
  switch (event.type) {
    case 'guild.create':
      await leaveIfEnforced(event.guildId, deps);
      return handleGuildEvent(event, deps);
    case 'guild.delete':
      return handleGuildEvent(event, deps);
    default:
      return handleTicketEvent(event, deps, receiveCount(record));
  }
}

/** A body that is not JSON. Its message never quotes the body (it may hold message content). */
export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';
  constructor() {
    super('gateway event body is not valid JSON');
  }
}

/** `JSON.parse`, whose own error messages quote part of the input, which `safeError` would log. */
function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new UnreadableEventError();
  }
}

/** The guild a gateway event body names, when it can be read (it may be the very body that failed). */
function guildIdOf(body: string): string | null {
  try {
    const guildId = (JSON.parse(body) as { guildId?: unknown } | null)?.guildId;
    return typeof guildId === 'string' && /^\d{1,20}$/.test(guildId) ? guildId : null;
  } catch {
    return null;
  }
}

/** The events λ: a FIFO batch (a failure skips the rest of its channel's group), then a telemetry flush. */
export async function handleEventsBatch(event: SQSEvent, context: Context, deps: EventsDeps): Promise<SQSBatchResponse> {
  try {
    return await processSqsBatch(event, context, (r) => processGatewayRecord(r, deps), {
      fifo: true,
      onError: (r, err) => {
        deps.log.warn('gateway event failed; it will be retried', { messageId: r.messageId, attempt: receiveCount(r), error: safeError(err) });
        // Logged + captured (DESIGN §5.5): the error's type and the guild, never the event's content.
        deps.telemetry.captureException(err, guildIdOf(r.body));
      },
    });
  } finally {
    await deps.telemetry.flush().catch((err) => deps.log.warn('telemetry flush failed', { error: safeError(err) }));
  }
}
