import { DynamoLicenseAdminStore } from '../lambdas/shared/adapters/dynamo-license-admin-store';
import { systemClock } from '../lambdas/shared/clock';
import { issueLicense } from '../lambdas/shared/licensing/admin';
import type { Tier } from '../lambdas/shared/licensing/features';
import { DEFAULT_GRACE_DAYS, graceMsFromDays, type License } from '../lambdas/shared/licensing/model';
import { localDocumentClient, type LocalEndpoints } from './aws/provision';

export interface LicenseTarget {
  endpoints: LocalEndpoints;
  resources: { tableName: string };
}

export interface LocalLicenseOptions {
  tier?: Tier;
  seats?: number;
  days?: number;
}

/**
 * Issues a license on a local stack's table the way `npm run ops -- license issue` does (audit
 * entry included) — for the sandbox, the tests' guild and the benchmarks' seeding.
 */
export async function issueLocalLicense(target: LicenseTarget, opts: LocalLicenseOptions = {}): Promise<{ key: string; license: License }> {
  const db = localDocumentClient(target.endpoints);
  try {
    return await issueLicense(
      { tier: opts.tier ?? 'enterprise', seats: opts.seats ?? 1, days: opts.days ?? 365, contact: 'sandbox@deskwire.local', notes: 'local stack', actor: 'ops:local' },
      { licenses: new DynamoLicenseAdminStore(db, target.resources.tableName), clock: systemClock, graceMs: graceMsFromDays(DEFAULT_GRACE_DAYS) },
    );
  } finally {
    db.destroy();
  }
}

/** Issues a license and activates `guildId` with it (the result of `/license activate`, without the interaction). */
export async function grantLocalLicense(target: LicenseTarget, guildId: string, opts: LocalLicenseOptions = {}): Promise<{ key: string; license: License }> {
  const issued = await issueLocalLicense(target, opts);
  const db = localDocumentClient(target.endpoints);
  try {
    const result = await new DynamoLicenseAdminStore(db, target.resources.tableName).activate({ keyHash: issued.license.keyHash, guildId, actor: 'ops:local', now: Date.now(), replaceable: () => true });
    if (!result.ok) throw new Error(`could not activate the local license: ${result.reason}`);
    return { key: issued.key, license: result.license };
  } finally {
    db.destroy();
  }
}
