import { DAY_MS } from '../clock';
import { featuresOf, type Feature, type Tier } from './features';

/**
 * The licensing domain: a license (sold as a key, stored under the key's hash) grants a tier's
 * features to up to `seats` guilds until `expiresAt`, then for a grace period. Plain data, no I/O.
 */

/** `expired` is set by the sweep at `expiresAt`; `suspended` and `revoked` by ops. */
export type LicenseStatus = 'active' | 'suspended' | 'revoked' | 'expired';
export const LICENSE_STATUSES: readonly LicenseStatus[] = ['active', 'suspended', 'revoked', 'expired'];

/** Most guilds one license can hold: a change rewrites the license and each guild's copy in one transaction (≤ 100 items). */
export const MAX_SEATS = 50;

/** Default grace period after expiry (`LICENSE_GRACE_DAYS`). */
export const DEFAULT_GRACE_DAYS = 3;

export interface License {
  /** Short id for ops (the start of the hash). */
  id: string;
  keyHash: string;
  tier: Tier;
  /** Most guilds at once. */
  seats: number;
  seatsUsed: number;
  issuedAt: number;
  expiresAt: number;
  status: LicenseStatus;
  contact: string;
  notes: string | null;
  /** Bumped by every change a guild's copy must follow (optimistic concurrency). */
  rev: number;
  /** The next sweep step and its time (the `ByDue` index); null when nothing is due. */
  dueStep: LicenseStep | null;
  dueAt: number | null;
}

/** A guild's activation, with the license fields gating reads (one GetItem on the 3-second path). */
export interface GuildLicense {
  guildId: string;
  keyHash: string;
  licenseId: string;
  tier: Tier;
  /** The license's status as ops set it (`expired` is derived from `expiresAt`, not copied). */
  status: LicenseStatus;
  expiresAt: number;
  activatedAt: number;
  activatedBy: string;
}

export type EntitlementState = 'active' | 'grace' | 'inactive';

/** What a guild may use right now: the single answer every gate reads. */
export interface Entitlement {
  state: EntitlementState;
  tier: Tier | null;
  /** Empty when inactive. */
  features: readonly Feature[];
  expiresAt: number | null;
  graceEndsAt: number | null;
  /** Why it is inactive: no license bound, or the bound license's condition. */
  reason: 'none' | 'expired' | 'suspended' | 'revoked' | null;
  licenseId: string | null;
}

/**
 * A guild's entitlement from its activation, decided by time: active until `expiresAt`, then in
 * grace for `graceMs`, then inactive. Extending a license moves `expiresAt`, which lifts the gate
 * at once; the sweep only tells people (warnings, expiry notices) and records `expired`.
 */
export function entitlementOf(binding: GuildLicense | null, now: number, graceMs: number): Entitlement {
  if (!binding) return { state: 'inactive', tier: null, features: [], expiresAt: null, graceEndsAt: null, reason: 'none', licenseId: null };
  const graceEndsAt = binding.expiresAt + graceMs;
  const base = { tier: binding.tier, expiresAt: binding.expiresAt, graceEndsAt, licenseId: binding.licenseId };
  if (binding.status === 'suspended' || binding.status === 'revoked') return { ...base, state: 'inactive', features: [], reason: binding.status };
  if (now < binding.expiresAt) return { ...base, state: 'active', features: featuresOf(binding.tier), reason: null };
  if (now < graceEndsAt) return { ...base, state: 'grace', features: featuresOf(binding.tier), reason: null };
  return { ...base, state: 'inactive', features: [], reason: 'expired' };
}

/**
 * The sweep's steps for one expiry, in order: warnings 7 days and 1 day before, the expiry itself
 * (status `expired`, grace starts), and the end of grace (the guilds are told tickets are paused).
 */
export const LICENSE_STEPS = ['warn7', 'warn1', 'expire', 'grace-end'] as const;
export type LicenseStep = (typeof LICENSE_STEPS)[number];

export function stepTime(step: LicenseStep, expiresAt: number, graceMs: number): number {
  switch (step) {
    case 'warn7':
      return expiresAt - 7 * DAY_MS;
    case 'warn1':
      return expiresAt - DAY_MS;
    case 'expire':
      return expiresAt;
    case 'grace-end':
      return expiresAt + graceMs;
  }
}

/**
 * Where a license (issued, extended or reactivated at `now`) enters the schedule: the latest step
 * already reached (so a license issued 3 days before expiry gets its warning at the next sweep,
 * not a "7 days" one a week late), or the first step.
 */
export function scheduleFrom(expiresAt: number, graceMs: number, now: number): { dueStep: LicenseStep; dueAt: number } {
  let dueStep: LicenseStep = LICENSE_STEPS[0];
  for (const step of LICENSE_STEPS) if (stepTime(step, expiresAt, graceMs) <= now) dueStep = step;
  return { dueStep, dueAt: stepTime(dueStep, expiresAt, graceMs) };
}

/**
 * For a due license at `now`: the step to run (the latest one reached from `dueStep` on — a late
 * sweep skips stale warnings) and the next one, or null when the schedule is done.
 */
export function stepToRun(dueStep: LicenseStep, expiresAt: number, graceMs: number, now: number): { run: LicenseStep; next: { step: LicenseStep; at: number } | null } | null {
  const from = LICENSE_STEPS.indexOf(dueStep);
  let run = -1;
  for (let i = from; i < LICENSE_STEPS.length; i++) if (stepTime(LICENSE_STEPS[i], expiresAt, graceMs) <= now) run = i;
  if (run < 0) return null;
  const next = LICENSE_STEPS[run + 1];
  return { run: LICENSE_STEPS[run], next: next ? { step: next, at: stepTime(next, expiresAt, graceMs) } : null };
}

export const graceMsFromDays = (days: number) => days * DAY_MS;
