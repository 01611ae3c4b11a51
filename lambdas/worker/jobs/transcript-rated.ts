import type * as z from 'zod/mini';
import type { TranscriptRatedJob } from '../../shared/contracts/work-job';
import { RetryLaterError } from '../../shared/errors';
import { showRating } from '../../shared/transcripts/build';
import type { WorkerDeps } from '../types';

/** `transcript.rated` → the transcript-channel post shows the rating; retried while the transcript is still being stored. */
export async function transcriptRated(job: z.infer<typeof TranscriptRatedJob>, deps: WorkerDeps): Promise<void> {
  if ((await showRating(job, deps)) === 'waiting') throw new RetryLaterError(`transcript of ticket ${job.number} not delivered yet`);
}
