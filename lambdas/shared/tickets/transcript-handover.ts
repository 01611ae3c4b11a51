import type { WorkQueue } from '../ports/work-queue';
import type { Ticket } from './model';
import type { TicketStore } from './ports';

/**
 * The one hand-over point from closing a ticket to its transcript.
 *
 * Every close (staff, opener, accepted close request, auto-close) calls `onTicketClosed` once,
 * after the row is closed and before the thread is archived / the channel deleted (that happens
 * `closeDelaySeconds` later, from a delayed job). It queues a `transcript.build` job for this close
 * (`closedAt` tells closes of a reopened ticket apart).
 *
 * Today the job's handler, `buildTranscript`, only records `transcriptStatus: 'pending'` on the
 * ticket. The transcripts feature replaces `buildTranscript` (rendering from the live ticket log
 * the events λ keeps, which outlives the deleted channel; re-hosting attachments; posting to the
 * transcript channel) and keeps this hook and the job contract as they are.
 */
export async function onTicketClosed(ticket: Ticket, deps: { workQueue: WorkQueue }): Promise<void> {
  if (ticket.closedAt === null) throw new Error('onTicketClosed needs a closed ticket');
  await deps.workQueue.enqueue({ type: 'transcript.build', guildId: ticket.guildId, number: ticket.number, closedAt: ticket.closedAt });
}

/** The `transcript.build` handler until transcripts exist: marks the transcript as pending. */
export async function buildTranscript(job: { guildId: string; number: number; closedAt: number }, deps: { tickets: TicketStore }): Promise<void> {
  await deps.tickets.setTranscriptStatus(job.guildId, job.number, 'pending');
}
