import type * as z from 'zod/mini';
import type { StatusReportJob } from '../../shared/contracts/work-job';
import { buildStatusReport } from '../../shared/domain/status-report';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/** `/status` → diagnostic embed edited into the deferred reply. */
export function statusReport(job: z.infer<typeof StatusReportJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  return runInteractionJob('status.report', job.ctx, attempt, deps, () => buildStatusReport(job.ctx, deps));
}
