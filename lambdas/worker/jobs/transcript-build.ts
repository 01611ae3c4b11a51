import type * as z from 'zod/mini';
import type { TranscriptBuildJob } from '../../shared/contracts/work-job';
import { buildTranscript } from '../../shared/tickets/transcript-handover';
import type { WorkerDeps } from '../types';

/** `transcript.build`, queued by every close (see `shared/tickets/transcript-handover.ts`). */
export function transcriptBuild(job: z.infer<typeof TranscriptBuildJob>, deps: WorkerDeps): Promise<void> {
  return buildTranscript(job, deps);
}
