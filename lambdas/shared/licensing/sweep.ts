import { SWEEP_BATCH, dueSweep, type Sweep } from '../domain/sweeps';
import type { WorkQueue } from '../ports/work-queue';
import { safeError } from '../safe-error';
import { stepTime, stepToRun } from './model';
import type { LicenseAdminStore } from './ports';

export interface LicenseSweepDeps {
  licenses: LicenseAdminStore;
  workQueue: WorkQueue;
  graceMs: number;
  log: { error(msg: string, extra: Record<string, unknown>): void };
}

/**
 * License expiry: reads only licenses whose next step is due (`ByDue`, `DUE#license`; the index
 * projects the whole item, so one read per due license), then for each: queues the guilds' notice
 * for the worker (warnings, expiry, end of grace; telemetry) and moves the license to its next
 * step with a write conditional on the step it saw. A second sweep finds nothing due; a notice
 * queued twice by overlapping sweeps is posted once (the worker's ledger key is per step and expiry).
 */
export function licenseSweep(deps: LicenseSweepDeps): Sweep {
  return dueSweep(
    'license-expiry',
    (now) => deps.licenses.dueLicenses(now, SWEEP_BATCH),
    async (license, now) => {
      const plan = stepToRun(license.dueStep!, license.expiresAt, deps.graceMs, now);
      if (!plan) {
        // The grace period was lengthened since this was scheduled: wait for the new time.
        return deps.licenses.advance(license, license.dueStep!, { step: license.dueStep!, at: stepTime(license.dueStep!, license.expiresAt, deps.graceMs) }, now);
      }
      await deps.workQueue.enqueue({ type: 'license.notice', keyHash: license.keyHash, step: plan.run, expiresAt: license.expiresAt, graceEndsAt: license.expiresAt + deps.graceMs });
      return deps.licenses.advance(license, plan.run, plan.next, now);
    },
    (license, err) => deps.log.error('license step failed', { licenseId: license.id, error: safeError(err) }),
  );
}
