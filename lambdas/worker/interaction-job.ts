import { FUNCTION_TIMEOUTS } from '../../lib/resources';
import type { InteractionContext } from '../shared/contracts/work-job';
import { MessageFlags } from '../shared/discord-constants';
import { DiscordActionError, isUserError, RetryLaterError } from '../shared/errors';
import { userFacingMessage } from '../shared/interaction-reply';
import type { MessageBody } from '../shared/ports/discord';
import { safeError } from '../shared/safe-error';
import type { WorkerDeps } from './types';

/**
 * Longer than any attempt can run (the worker's timeout), shorter than the queue's visibility
 * timeout: by the time SQS redelivers after a crash, the crashed attempt's lease has lapsed.
 */
export const LEASE_MS = (FUNCTION_TIMEOUTS.worker + 5) * 1000;

/** Discord's "Unknown Webhook": the interaction token expired (15 minutes), nobody can be told any more. */
const isExpiredInteraction = (err: unknown) => err instanceof DiscordActionError && err.discordCode === 10015;

/**
 * Runs a deferred interaction's work exactly once per interaction id and always tells the user:
 * the outcome, a user error's message, or — on the last attempt before the DLQ — a generic failure.
 * A lease taken by this attempt is always completed or released, whatever fails.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response
 */
export async function runInteractionJob(
  name: string,
  ctx: InteractionContext,
  attempt: number,
  deps: WorkerDeps,
  work: () => Promise<MessageBody>,
  opts: { onGiveUp?: () => Promise<void> } = {},
): Promise<void> {
  const key = `interaction:${ctx.interactionId}`;
  const log = { job: name, interactionId: ctx.interactionId, guildId: ctx.guildId, attempt };
  const claim = await deps.ledger.claim(key, deps.clock.now(), LEASE_MS);
  if (claim.result === 'done') {
    deps.log.info('job already done', log);
    return;
  }
  if (claim.result === 'busy') throw new RetryLaterError(`job ${key} is held by another attempt`);
  const { owner } = claim;
  const last = attempt >= deps.maxReceiveCount;

  let body: MessageBody | undefined;
  let errorBody: MessageBody = {};
  let failure: unknown;
  try {
    body = await work();
  } catch (err) {
    if (!isUserError(err)) {
      deps.log.error('job failed', { ...log, last, error: safeError(err) });
      deps.telemetry.capture({ event: 'command_failed', guildId: ctx.guildId, properties: { job: name, last_attempt: last } });
      if (!last) {
        await deps.ledger.release(key, owner);
        throw err;
      }
      // Undo what must not stay half-made (e.g. a reserved ticket without a channel).
      await opts.onGiveUp?.().catch((undoErr) => deps.log.error('could not undo a failed job', { ...log, error: safeError(undoErr) }));
      failure = err;
    }
    // An update deferral's message is replaced: its buttons go too, so a failed Confirm is not left pressable.
    errorBody = ctx.deferredUpdate ? { content: userFacingMessage(err), embeds: [], components: [] } : { content: userFacingMessage(err) };
  }

  const failed = body === undefined;
  try {
    if (failed && ctx.deferredPublic) await answerPrivately(ctx, errorBody, deps);
    else await deps.discord.editOriginalResponse(ctx.applicationId, ctx.token, { allowed_mentions: { parse: [] }, ...(body ?? errorBody) });
  } catch (err) {
    if (isExpiredInteraction(err)) {
      deps.log.warn('interaction expired before the outcome could be shown', log);
    } else {
      deps.log.error('could not edit the interaction response', { ...log, error: safeError(err) });
      await deps.ledger.release(key, owner);
      throw err;
    }
  }
  if (failure) {
    // The user was told; the job goes to the DLQ unfinished, so a replay after a fix runs it again.
    await deps.ledger.release(key, owner);
    throw failure;
  }
  await deps.ledger.complete(key, owner, deps.clock.now());
  deps.telemetry.capture({ event: 'command_used', guildId: ctx.guildId, properties: { job: name } });
}

/**
 * A failed public deferral: the "thinking…" placeholder everyone sees is deleted, then the error
 * goes to the user alone as an ephemeral follow-up. In that order: while the deferred response
 * is still loading, Discord turns the first follow-up into it (public, whatever its flags say).
 * A retry after a partial answer is safe: the placeholder already gone counts as deleted.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#create-followup-message
 */
async function answerPrivately(ctx: InteractionContext, body: MessageBody, deps: WorkerDeps): Promise<void> {
  await deps.discord.deleteOriginalResponse(ctx.applicationId, ctx.token);
  await deps.discord.createFollowup(ctx.applicationId, ctx.token, { allowed_mentions: { parse: [] }, ...body, flags: MessageFlags.Ephemeral });
}
