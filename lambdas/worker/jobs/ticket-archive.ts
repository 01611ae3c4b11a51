import type * as z from 'zod/mini';
import type { TicketArchiveJob } from '../../shared/contracts/work-job';
import { MAX_DELAY_SECONDS } from '../../shared/ports/work-queue';
import { archiveClosedTicket } from '../../shared/tickets/close-ticket';
import type { TranscriptStatus } from '../../shared/tickets/model';
import type { WorkerDeps } from '../types';

/**
 * How long a channel-mode ticket's channel waits, from its close, for the transcript to read its
 * history. Past it the channel is deleted anyway (a close must end); the transcript then says its
 * history is incomplete.
 */
export const CHANNEL_WAIT_MS = 24 * 3_600_000;

/** Not read yet: being built, retried, or dead-lettered (a replay still needs the channel). */
const NOT_READ: ReadonlySet<TranscriptStatus> = new Set(['pending', 'failed-retrying', 'failed']);

/** The next look, growing with the time already waited: a few seconds at first, at most SQS's 15 minutes. */
export function nextArchiveCheckSeconds(waitedMs: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(5, Math.round(waitedMs / 2000)));
}

/**
 * `ticket.archive`, delivered after the close delay → thread locked + archived, or channel deleted.
 *
 * A deleted channel takes its REST history with it, so in channel mode the delete waits while the
 * transcript has not read it: the job is sent again with a delay (not retried: its receive count,
 * backoff and DLQ stay for real failures) until {@link CHANNEL_WAIT_MS} after the close.
 */
export async function archiveTicket(job: z.infer<typeof TicketArchiveJob>, _attempt: number, deps: WorkerDeps): Promise<void> {
  const ticket = await deps.tickets.getTicket(job.guildId, job.number);
  if (ticket?.mode === 'channel' && ticket.closedAt === job.closedAt && ticket.transcriptStatus && NOT_READ.has(ticket.transcriptStatus)) {
    const waited = deps.clock.now() - job.closedAt;
    if (waited < CHANNEL_WAIT_MS) {
      const delaySeconds = nextArchiveCheckSeconds(waited);
      await deps.workQueue.enqueue(job, { delaySeconds });
      deps.log.info('ticket archive waits for the transcript', { guildId: job.guildId, number: job.number, transcriptStatus: ticket.transcriptStatus, delaySeconds });
      return;
    }
    deps.log.warn('deleting a ticket channel whose transcript has not read it', { guildId: job.guildId, number: job.number, transcriptStatus: ticket.transcriptStatus, waitedMs: waited });
  }
  const outcome = await archiveClosedTicket(job, deps);
  deps.log.info('ticket archive', { guildId: job.guildId, number: job.number, outcome });
}
