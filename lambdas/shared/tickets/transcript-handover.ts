import type { WorkQueue } from '../ports/work-queue';
import type { Ticket } from './model';
import { appendToTrail, type TicketTrail } from './trail';

/**
 * The one hand-over point from closing a ticket to its transcript.
 *
 * Every close (staff, opener, accepted close request, auto-close) calls `onTicketClosed` once,
 * after the row is closed and before the thread is archived / the channel deleted (that happens
 * `closeDelaySeconds` later, from a delayed job). It queues a `transcript.build` job for this close
 * (`closedAt` tells closes of a reopened ticket apart).
 *
 * The close itself records `transcriptStatus: 'pending'` (same write as the close); the job's
 * handler, `buildTranscript`, merges the live ticket log with the REST history, re-hosts the
 * attachments, seals HTML + JSON into the archive and delivers the embed (and the opener's DM).
 */
export async function onTicketClosed(ticket: Ticket, deps: { workQueue: WorkQueue; trail?: TicketTrail; log?: { warn(msg: string, extra: Record<string, unknown>): void } }): Promise<void> {
  if (ticket.closedAt === null) throw new Error('onTicketClosed needs a closed ticket');
  // Earlier closes of a reopened ticket stay in its trail; this close's entry comes from the row too.
  await appendToTrail(deps.trail, { guildId: ticket.guildId, number: ticket.number, at: ticket.closedAt, event: 'closed', actorId: ticket.closedBy, details: { reason: ticket.closeReason } }, deps.log ?? console);
  await deps.workQueue.enqueue({ type: 'transcript.build', guildId: ticket.guildId, number: ticket.number, closedAt: ticket.closedAt });
}

/**
 * The `transcript.build` handler: the complete history archived, rendered and delivered
 * (see `transcripts/build.ts`).
 */
export { buildTranscript } from '../transcripts/build';
