import type * as z from 'zod/mini';
import type { LicenseNoticeJob } from '../../shared/contracts/work-job';
import { RetryLaterError } from '../../shared/errors';
import { sendLicenseNotices } from '../../shared/licensing/notices';
import { LEASE_MS } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `license.notice` from the license sweep → a line in each guild's log channel. Idempotent by its
 * ledger key (one per license, step and expiry), so overlapping sweeps or a redelivery post once.
 */
export async function licenseNotice(job: z.infer<typeof LicenseNoticeJob>, deps: WorkerDeps): Promise<void> {
  const key = `license-notice:${job.keyHash}:${job.step}:${job.expiresAt}`;
  const claim = await deps.ledger.claim(key, deps.clock.now(), LEASE_MS);
  if (claim.result === 'done') return;
  if (claim.result === 'busy') throw new RetryLaterError(`job ${key} is held by another attempt`);
  try {
    const guilds = await sendLicenseNotices(job, deps);
    deps.log.info('license notice', { step: job.step, guilds });
  } catch (err) {
    await deps.ledger.release(key, claim.owner);
    throw err;
  }
  await deps.ledger.complete(key, claim.owner, deps.clock.now());
}
