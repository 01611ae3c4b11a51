import type { InteractionContext } from '../shared/contracts/work-job';
import { isUserError, RetryLaterError } from '../shared/errors';
import { GENERIC_ERROR_MESSAGE } from '../shared/interaction-reply';
import type { MessageBody } from '../shared/ports/discord';
import type { WorkerDeps } from './types';

/** Long enough for any job; a crashed attempt's lease lapses before SQS redelivers (visibility timeout). */
const LEASE_MS = 60_000;

/**
 * Runs a deferred interaction's work exactly once per interaction id and always tells the user:
 * the outcome, a user error's message, or — on the last attempt before the DLQ — a generic failure.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response
 */
export async function runInteractionJob(
  name: string,
  ctx: InteractionContext,
  attempt: number,
  deps: WorkerDeps,
  work: () => Promise<MessageBody>,
): Promise<void> {
  const key = `interaction:${ctx.interactionId}`;
  const claim = await deps.ledger.claim(key, deps.clock.now(), LEASE_MS);
  if (claim === 'done') {
    deps.log.info('job already done', { job: name, interactionId: ctx.interactionId });
    return;
  }
  if (claim === 'busy') throw new RetryLaterError(`job ${key} is held by another attempt`);

  let body: MessageBody;
  try {
    body = await work();
  } catch (err) {
    if (!isUserError(err)) {
      const last = attempt >= deps.maxReceiveCount;
      deps.log.error('job failed', { job: name, interactionId: ctx.interactionId, guildId: ctx.guildId, attempt, last, error: err as Error });
      deps.telemetry.capture({ event: 'command_failed', guildId: ctx.guildId, properties: { job: name, last_attempt: last } });
      if (last) await tellUser(ctx, { content: GENERIC_ERROR_MESSAGE }, deps);
      await deps.ledger.release(key);
      throw err;
    }
    body = { content: err.message };
  }
  await tellUser(ctx, { allowed_mentions: { parse: [] }, ...body }, deps);
  await deps.ledger.complete(key, deps.clock.now());
  deps.telemetry.capture({ event: 'command_used', guildId: ctx.guildId, properties: { job: name } });
}

async function tellUser(ctx: InteractionContext, body: MessageBody, deps: WorkerDeps): Promise<void> {
  await deps.discord.editOriginalResponse(ctx.applicationId, ctx.token, body);
}
