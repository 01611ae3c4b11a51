import type * as z from 'zod/mini';
import type { TelemetryJob } from '../../shared/contracts/work-job';
import type { WorkerDeps } from '../types';

/** Forwards telemetry captured on the 3-second path; the batch handler flushes it. */
export async function forwardTelemetry(job: z.infer<typeof TelemetryJob>, deps: WorkerDeps): Promise<void> {
  for (const event of job.events) deps.telemetry.capture(event);
}
