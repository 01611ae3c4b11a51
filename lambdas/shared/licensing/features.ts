import { LicenseRequiredError } from '../errors';
import { relativeTime } from '../tickets/messages';
import type { Entitlement } from './model';

/**
 * The one place that decides what each tier grants. Every gate (ticket creation, callouts, AI)
 * asks `requireFeature` / `hasFeature`; nothing else compares tier names.
 *
 * - **standard**: tickets and transcripts
 * - **pro**: + Interactive Support callouts
 * - **enterprise**: + callouts + AI assistance
 */
export const FEATURES = ['tickets', 'transcripts', 'callouts', 'ai'] as const;
export type Feature = (typeof FEATURES)[number];

export const TIER_FEATURES = {
  standard: ['tickets', 'transcripts'],
  pro: ['tickets', 'transcripts', 'callouts'],
  enterprise: ['tickets', 'transcripts', 'callouts', 'ai'],
} as const satisfies Record<string, readonly Feature[]>;
export type Tier = keyof typeof TIER_FEATURES;
export const TIERS = Object.keys(TIER_FEATURES) as Tier[];

export const TIER_NAMES: Record<Tier, string> = { standard: 'Standard', pro: 'Pro', enterprise: 'Enterprise' };
export const FEATURE_NAMES: Record<Feature, string> = { tickets: 'Tickets', transcripts: 'Transcripts', callouts: 'Interactive Support callouts', ai: 'AI assistance' };

export const isTier = (value: string): value is Tier => value in TIER_FEATURES;
export const featuresOf = (tier: Tier): readonly Feature[] => TIER_FEATURES[tier];

/** The cheapest tier that grants `feature`. */
export const lowestTierWith = (feature: Feature): Tier => TIERS.find((t) => (TIER_FEATURES[t] as readonly Feature[]).includes(feature))!;

/** True when the guild may use `feature` now (active, or inside the grace period). */
export const hasFeature = (entitlement: Entitlement, feature: Feature): boolean => entitlement.state !== 'inactive' && entitlement.features.includes(feature);

const ACTIVATE_HINT = 'A server admin can run `/license activate` with a license key.';

/**
 * Gate: throws a `LicenseRequiredError` telling the member what is wrong and what an admin can
 * do; returns a warning to show while the license is in its grace period (things still work).
 */
export function requireFeature(entitlement: Entitlement, feature: Feature): { graceWarning: string | null } {
  if (entitlement.state === 'inactive') {
    const lead =
      entitlement.reason === 'expired'
        ? `This server's Deskwire license expired ${relativeTime(entitlement.expiresAt!)} and its grace period is over, so ${FEATURE_NAMES[feature]} are paused.`
        : entitlement.reason === 'suspended' || entitlement.reason === 'revoked'
          ? `This server's Deskwire license is ${entitlement.reason}, so ${FEATURE_NAMES[feature]} are paused. The license holder can contact Deskwire support.`
          : `Deskwire is not activated in this server yet, so ${FEATURE_NAMES[feature]} are not available.`;
    throw new LicenseRequiredError(`${lead} ${ACTIVATE_HINT}`);
  }
  if (!entitlement.features.includes(feature)) {
    throw new LicenseRequiredError(
      `${FEATURE_NAMES[feature]} need the ${TIER_NAMES[lowestTierWith(feature)]} tier or higher; this server's license is ${TIER_NAMES[entitlement.tier!]}. A server admin can run \`/license activate\` with a key of that tier.`,
    );
  }
  return {
    graceWarning:
      entitlement.state === 'grace'
        ? `⚠️ This server's Deskwire license has expired; everything keeps working until the grace period ends ${relativeTime(entitlement.graceEndsAt!)}. ${ACTIVATE_HINT.replace('a license key', 'a renewed key')}`
        : null,
  };
}
