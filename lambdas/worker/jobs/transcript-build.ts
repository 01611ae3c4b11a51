import type * as z from 'zod/mini';
import type { TranscriptBuildJob } from '../../shared/contracts/work-job';
import { RetryLaterError } from '../../shared/errors';
import { safeError } from '../../shared/safe-error';
import { buildTranscript } from '../../shared/tickets/transcript-handover';
import type { WorkerDeps } from '../types';

/**
 * `transcript.build`, queued by every close (see `shared/tickets/transcript-handover.ts`). A failure
 * (S3, KMS, DynamoDB, Discord) is recorded on the ticket — `failed-retrying`, or `failed` on the
 * last attempt before the dead-letter queue — and rethrown so SQS retries the job.
 */
export async function transcriptBuild(job: z.infer<typeof TranscriptBuildJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  try {
    await buildTranscript(job, deps);
  } catch (err) {
    // Stored, and being delivered by a concurrent attempt: not a failure of the transcript.
    if (err instanceof RetryLaterError) throw err;
    const last = attempt >= deps.maxReceiveCount;
    const error = err instanceof Error ? err.name : 'Error';
    deps.log.error('transcript build failed', { guildId: job.guildId, number: job.number, attempt, last, error: safeError(err) });
    deps.telemetry.capture({ event: 'transcript_failed', guildId: job.guildId, properties: { error, attempt, last_attempt: last } });
    await deps.tickets.setTranscriptStatus(job.guildId, job.number, last ? 'failed' : 'failed-retrying', { closedAt: job.closedAt, error }).catch((e) => deps.log.error('could not record the transcript failure', { error: safeError(e) }));
    throw err;
  }
}
