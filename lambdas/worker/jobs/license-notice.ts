import type * as z from 'zod/mini';
import type { LicenseNoticeJob } from '../../shared/contracts/work-job';
import { sendLicenseNotices } from '../../shared/licensing/notices';
import { runOnce } from '../run-once';
import type { WorkerDeps } from '../types';

/**
 * `license.notice` from the license sweep → a line in each guild's log channel. Idempotent by its
 * ledger key (one per license, step and expiry), so overlapping sweeps or a redelivery post once.
 */
export async function licenseNotice(job: z.infer<typeof LicenseNoticeJob>, deps: WorkerDeps): Promise<void> {
  await runOnce(`license-notice:${job.keyHash}:${job.step}:${job.expiresAt}`, deps, async () => {
    const guilds = await sendLicenseNotices(job, deps);
    deps.log.info('license notice', { step: job.step, guilds });
  });
}
