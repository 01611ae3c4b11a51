import type * as z from 'zod/mini';
import { abandonCallout, announceResponder, deliverCallout, escalateCallout, finishCallout } from '../../shared/callouts/delivery';
import type { CalloutCloseJob, CalloutEscalateJob, CalloutOpenJob, CalloutRespondedJob } from '../../shared/contracts/work-job';
import { isUserError } from '../../shared/errors';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `callout.open` → invite, HQ alert, the requester's answer. A refusal (no permission to create an
 * invite) or the last failed attempt gives the reservation back, so nothing half-made stays.
 */
export function calloutOpen(job: z.infer<typeof CalloutOpenJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  const undo = () => abandonCallout(job.guildId, job.calloutId, deps);
  return runInteractionJob(
    'callout.open',
    job.ctx,
    attempt,
    deps,
    async () => {
      try {
        // After Accept the terms message itself is edited: its embed and buttons go.
        return { content: await deliverCallout(job.guildId, job.calloutId, deps), embeds: [], components: [] };
      } catch (err) {
        if (isUserError(err)) await undo();
        throw err;
      }
    },
    { onGiveUp: undo },
  );
}

/** `callout.responded` → the alert shows the responder; the requester is told (once: Respond succeeds once). */
export const calloutResponded = (job: z.infer<typeof CalloutRespondedJob>, deps: WorkerDeps) => announceResponder(job.guildId, job.calloutId, deps);

/** `callout.escalate` (sweep) → agents pinged again. */
export const calloutEscalate = (job: z.infer<typeof CalloutEscalateJob>, deps: WorkerDeps) => escalateCallout(job.guildId, job.calloutId, deps);

/** `callout.close` (resolve, expiry, the invite's end) → invite deleted on Discord, final state shown. */
export const calloutClose = (job: z.infer<typeof CalloutCloseJob>, deps: WorkerDeps) => finishCallout(job.guildId, job.calloutId, deps);
