import type { Clock } from '../clock';
import type { TelemetryEvent } from '../contracts/telemetry-event';
import { UserError } from '../errors';
import type { WorkQueue } from '../ports/work-queue';
import { safeError } from '../safe-error';
import { TIER_NAMES } from './features';
import { hashLicenseKey, parseLicenseKey } from './license-key';
import { describeActivation, describeLicenseStatus } from './messages';
import type { AttemptLimiter, AttemptPolicy, AttemptScope, Entitlements, LicenseStore } from './ports';

/**
 * Wrong keys per guild and per user before `/license activate` pauses: 5 per member and 10 per
 * server in a 15-minute window. Generous for typing mistakes (which the check group catches
 * without counting), useless for guessing 100-bit keys.
 */
export const ACTIVATION_ATTEMPTS: AttemptPolicy = { action: 'license-activate', windowMs: 15 * 60_000, limits: { user: 5, guild: 10 } };

export const INVALID_KEY_MESSAGE = 'That key is not valid. Check it with the license holder, or contact Deskwire support.';
export const TYPO_MESSAGE = 'That key is not valid — check it for typos. Keys look like `DW-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`.';

export interface LicensingDeps {
  licenses: LicenseStore;
  entitlements: Entitlements;
  attempts: AttemptLimiter;
  /** Telemetry from the 3-second path goes through the worker. */
  workQueue: WorkQueue;
  clock: Clock;
  log: { warn(msg: string, extra: Record<string, unknown>): void };
}

/**
 * `/license activate key:` — binds the guild to the license and takes a seat (one transaction).
 * Typos are caught by the key's check group before any lookup; a key that is unknown, suspended,
 * revoked or expired gets one generic answer and counts as a failed attempt.
 *
 * Only wrong keys count against the limit: each lookup reserves an attempt up front (so parallel
 * attempts cannot slip past the limit together), and any other outcome — activated, already bound,
 * no free seat, an error on our side — gives it back.
 */
export async function activateLicense(input: { guildId: string; userId: string; key: string }, deps: LicensingDeps): Promise<string> {
  const now = deps.clock.now();
  const canonical = parseLicenseKey(input.key);
  if (!canonical) throw new UserError(TYPO_MESSAGE);
  const scopes = [
    { kind: 'user' as const, id: input.userId },
    { kind: 'guild' as const, id: input.guildId },
  ];
  const reserved = await deps.attempts.reserve(ACTIVATION_ATTEMPTS, scopes, now);
  if (!reserved.ok) {
    const minutes = Math.max(1, Math.ceil((reserved.blockedUntil - now) / 60_000));
    throw new UserError(`Too many attempts with keys that are not valid. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }

  let result: Awaited<ReturnType<LicenseStore['activate']>>;
  try {
    result = await deps.licenses.activate({
      keyHash: hashLicenseKey(canonical),
      guildId: input.guildId,
      actor: `discord:${input.userId}`,
      now,
      // Decided on the guild's current activation as the store read it (consistently); the store's
      // transaction holds only while that activation is unchanged. A license that no longer
      // entitles this guild (expired past grace, suspended, revoked) gives way to the new one.
      replaceable: (binding) => deps.entitlements.of(binding, now).state === 'inactive',
    });
  } catch (err) {
    await giveBack(deps, scopes, now);
    throw err;
  }
  if (!result.ok && result.reason === 'invalid') throw new UserError(INVALID_KEY_MESSAGE);
  if (!result.ok) {
    await giveBack(deps, scopes, now);
    switch (result.reason) {
      case 'already_bound':
        throw new UserError(
          result.binding.keyHash === hashLicenseKey(canonical)
            ? 'This server already uses that license. `/license status` shows its details.'
            : `This server already has a ${TIER_NAMES[result.binding.tier]} license (\`${result.binding.licenseId}\`). Run \`/license deactivate\` first to switch to another key.`,
        );
      case 'no_seats':
        throw new UserError(
          `That license is already used by all of its ${result.license.seats} server${result.license.seats === 1 ? '' : 's'}. Run \`/license deactivate\` in a server that no longer needs it, or ask the license holder for more seats.`,
        );
    }
  }
  await Promise.all([giveBack(deps, scopes, now), recordTelemetry(deps, [{ event: 'license_activated', guildId: input.guildId, properties: { tier: result.license.tier }, at: now }])]);
  return describeActivation(result.license, result.replaced);
}

/** `/license deactivate` — unbinds the guild and frees its seat. */
export async function deactivateLicense(input: { guildId: string; userId: string }, deps: LicensingDeps): Promise<string> {
  const now = deps.clock.now();
  const done = await deps.licenses.deactivate(input.guildId, `discord:${input.userId}`, now);
  if (!done) throw new UserError('This server has no license to deactivate.');
  await recordTelemetry(deps, [{ event: 'license_deactivated', guildId: input.guildId, properties: { tier: done.binding.tier }, at: now }]);
  const seats = done.license ? ` (${done.license.seatsUsed} / ${done.license.seats} seats now used)` : '';
  return `Deactivated: this server's seat on license \`${done.binding.licenseId}\` is free again${seats}. Opening tickets is paused until a license is activated here; existing tickets can still be closed.`;
}

/** `/license status` — state, tier, expiry, seats and this guild's features. */
export async function licenseStatus(guildId: string, deps: Pick<LicensingDeps, 'licenses' | 'entitlements'>): Promise<string> {
  const entitlement = await deps.entitlements.entitlementFor(guildId);
  const binding = entitlement.licenseId ? await deps.licenses.guildBinding(guildId) : null;
  return describeLicenseStatus(entitlement, binding ? await deps.licenses.get(binding.keyHash) : null);
}

/** A reserved attempt that was not a wrong key; failing to give it back only costs the member one try. */
async function giveBack(deps: Pick<LicensingDeps, 'attempts' | 'log'>, scopes: AttemptScope[], now: number): Promise<void> {
  await deps.attempts.giveBack(ACTIVATION_ATTEMPTS, scopes, now).catch((err) => deps.log.warn('could not give back an activation attempt', { error: safeError(err) }));
}

/** Queued for the worker (PostHog is never called on the 3-second path); a failed send is only logged. */
async function recordTelemetry(deps: Pick<LicensingDeps, 'workQueue' | 'log'>, events: TelemetryEvent[]): Promise<void> {
  await deps.workQueue.enqueue({ type: 'telemetry.capture', events }).catch((err) => deps.log.warn('could not queue license telemetry', { error: safeError(err) }));
}
