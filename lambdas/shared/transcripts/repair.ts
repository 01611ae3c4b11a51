import { SWEEP_BATCH, dueSweep, type Sweep } from '../domain/sweeps';
import type { WorkQueue } from '../ports/work-queue';
import { safeError } from '../safe-error';
import type { TicketStore } from '../tickets/ports';

export { TRANSCRIPT_DUE_MS } from './schedule';
/** Repairs re-queue the build this many times, that far apart, before the transcript is marked failed. */
export const MAX_TRANSCRIPT_REPAIRS = 3;
export const TRANSCRIPT_REPAIR_INTERVAL_MS = 30 * 60_000;
/** The error a stuck build is recorded with (staff see that archiving failed; ops see why). */
export const STUCK_BUILD_ERROR = 'BuildTimedOut';

export interface TranscriptRepairSweepDeps {
  tickets: Pick<TicketStore, 'dueTranscriptBuilds' | 'claimTranscriptRepair' | 'setTranscriptStatus'>;
  /** Routes `transcript.build` to the transcripts queue. */
  workQueue: WorkQueue;
  log: { error(msg: string, extra: Record<string, unknown>): void };
}

/**
 * Closed tickets whose transcript is overdue (`DUE#transcript`, set by the close, removed when the
 * transcript is stored or failed for good): the build is marked `failed-retrying` and queued again
 * (a build is idempotent per close: it finds a stored record and only finishes delivery, or builds
 * again), up to {@link MAX_TRANSCRIPT_REPAIRS} times; then the transcript is `failed` and leaves
 * the index (its dead letter, if any, can still be replayed). A claim moves the due time first, so
 * overlapping sweeps never queue the same repair twice.
 */
export function transcriptRepairSweep(deps: TranscriptRepairSweepDeps): Sweep {
  return dueSweep(
    'transcript-repair',
    (now) => deps.tickets.dueTranscriptBuilds(now, SWEEP_BATCH),
    async (item, now) => {
      const claim = await deps.tickets.claimTranscriptRepair(item.guildId, item.number, item.dueAt, now + TRANSCRIPT_REPAIR_INTERVAL_MS);
      if (!claim) return false;
      const forClose = { closedAt: claim.closedAt, error: STUCK_BUILD_ERROR };
      if (claim.transcriptStatus === 'stored' || claim.transcriptStatus === 'failed') {
        // Settled without leaving the index (an older write): only the marker goes.
        await deps.tickets.setTranscriptStatus(item.guildId, item.number, claim.transcriptStatus, { closedAt: claim.closedAt });
      } else if (claim.repairs > MAX_TRANSCRIPT_REPAIRS) {
        await deps.tickets.setTranscriptStatus(item.guildId, item.number, 'failed', forClose);
        deps.log.error('transcript build gave up after repairs', { guildId: item.guildId, number: item.number, repairs: claim.repairs - 1 });
      } else {
        await deps.tickets.setTranscriptStatus(item.guildId, item.number, 'failed-retrying', forClose);
        await deps.workQueue.enqueue({ type: 'transcript.build', guildId: item.guildId, number: item.number, closedAt: claim.closedAt });
      }
      return true;
    },
    (item, err) => deps.log.error('could not repair a transcript build', { guildId: item.guildId, number: item.number, error: safeError(err) }),
  );
}
