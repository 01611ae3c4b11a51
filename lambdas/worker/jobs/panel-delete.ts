import type * as z from 'zod/mini';
import type { PanelDeleteJob } from '../../shared/contracts/work-job';
import { removePanelMessage } from '../../shared/tickets/publish-panel';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/** `panel.delete` → removes the deleted panel's message and tells the admin. */
export function deletePanelMessage(job: z.infer<typeof PanelDeleteJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  return runInteractionJob('panel.delete', job.ctx, attempt, deps, async () => ({ content: await removePanelMessage(job, deps) }));
}
