import type { Clock } from '../clock';
import { SWEEP_BATCH, dueSweep, type Sweep } from '../domain/sweeps';
import type { WorkQueue } from '../ports/work-queue';
import { safeError } from '../safe-error';
import { INVITE_RETRY_MS, type Callout } from './model';
import type { CalloutStore } from './ports';

export interface CalloutSweepDeps {
  callouts: CalloutStore;
  workQueue: WorkQueue;
  /** Unanswered callouts expire this long after they were made. */
  expireMs: number;
  log: { error(msg: string, extra: Record<string, unknown>): void };
}

/**
 * Callout steps from the sparse `ByDue` index (`DUE#callout`): a reservation still `opening` after
 * `DELIVERY_DUE_MS` (10 minutes) is released (its invite, if one was made, deleted by the worker first,
 * retried like an invite step); an unanswered callout escalates
 * (agents pinged again), then expires; any callout's invite is deleted on Discord when it runs
 * out, at resolve or at expiry. Each step is claimed with a write conditional on the step the sweep
 * saw, then handed to the worker (the sweeper holds no Discord client). An invite step stays due
 * 15 minutes later until the worker confirms the deletion.
 */
export function calloutSweep(deps: CalloutSweepDeps): Sweep {
  const ref = (c: Callout) => ({ guildId: c.guildId, calloutId: c.calloutId });
  return dueSweep(
    'callout-steps',
    (now) => deps.callouts.due(now, SWEEP_BATCH),
    async (c, now) => {
      if (c.dueStep === 'deliver' && c.status === 'opening') {
        // Never delivered: give the slot back. Nothing was made on Discord unless an invite is recorded,
        // and deleting one takes the worker (the sweeper holds no Discord client).
        if (!c.inviteCode) return deps.callouts.abandon(c).then(() => true);
        if (!(await deps.callouts.moveStep(c, { step: 'deliver', at: now + INVITE_RETRY_MS }))) return false;
        await deps.workQueue.enqueue({ type: 'callout.close', ...ref(c) });
        return true;
      }
      if (c.dueStep === 'escalate' && c.status === 'open') {
        if (!(await deps.callouts.moveStep(c, { step: 'expire', at: Math.max(now, c.createdAt + deps.expireMs) }, now))) return false;
        await deps.workQueue.enqueue({ type: 'callout.escalate', ...ref(c) });
        return true;
      }
      if (c.dueStep === 'expire' && c.status === 'open') {
        if (!(await deps.callouts.close(c.guildId, c.calloutId, { status: 'expired' }, now)).ok) return false;
        await deps.workQueue.enqueue({ type: 'callout.close', ...ref(c) });
        return true;
      }
      if (c.dueStep === 'invite') {
        if (!(await deps.callouts.moveStep(c, { step: 'invite', at: now + INVITE_RETRY_MS }))) return false;
        await deps.workQueue.enqueue({ type: 'callout.close', ...ref(c) });
        return true;
      }
      // A step that no longer applies (e.g. answered meanwhile): out of the index.
      return deps.callouts.moveStep(c, null);
    },
    (c, err) => deps.log.error('callout step failed', { guildId: c.guildId, calloutId: c.calloutId, step: c.dueStep, error: safeError(err) }),
  );
}
