import { discordTime } from '../tickets/messages';
import { FEATURE_NAMES, featuresOf, TIER_NAMES } from './features';
import type { Entitlement, License } from './model';


/** One line for the guild's license state (`/status`, `/license status`). */
export function describeEntitlement(e: Entitlement): string {
  switch (e.state) {
    case 'active':
      return `${TIER_NAMES[e.tier!]} license, active until ${discordTime(e.expiresAt!, 'f')} (${discordTime(e.expiresAt!, 'R')})`;
    case 'grace':
      return `${TIER_NAMES[e.tier!]} license expired ${discordTime(e.expiresAt!, 'R')}: grace period until ${discordTime(e.graceEndsAt!, 'f')} (${discordTime(e.graceEndsAt!, 'R')}); everything works until then`;
    case 'inactive':
      if (e.reason === 'expired') return `Inactive: the ${TIER_NAMES[e.tier!]} license expired ${discordTime(e.expiresAt!, 'R')} and its grace period is over. Run \`/license activate\` with a renewed key.`;
      if (e.reason === 'suspended' || e.reason === 'revoked') return `Inactive: the license is ${e.reason}. The license holder can contact Deskwire support.`;
      return 'No license: run `/license activate` with a license key to open tickets.';
  }
}

/** `/license status`: state, tier, expiry, seats and this guild's features. */
export function describeLicenseStatus(e: Entitlement, license: License | null): string {
  const lines = ['**Deskwire license**', `• State: ${describeEntitlement(e)}`];
  if (e.tier && e.licenseId) {
    lines.push(`• Tier: ${TIER_NAMES[e.tier]} · license ID \`${e.licenseId}\``);
    lines.push(`• Expires: ${discordTime(e.expiresAt!, 'f')} (${discordTime(e.expiresAt!, 'R')})`);
    if (license) lines.push(`• Seats: ${license.seatsUsed} / ${license.seats} servers`);
  }
  lines.push(`• Features here: ${e.features.length ? e.features.map((f) => FEATURE_NAMES[f]).join(', ') : 'none'}`);
  return lines.join('\n');
}

/** The answer to a successful `/license activate`. */
export function describeActivation(license: License, replaced: string | null): string {
  return [
    `✅ Deskwire is activated in this server: **${TIER_NAMES[license.tier]}** license \`${license.id}\`, valid until ${discordTime(license.expiresAt, 'f')} (${discordTime(license.expiresAt, 'R')}).`,
    `• Seats: ${license.seatsUsed} / ${license.seats} servers`,
    `• Features: ${featuresOf(license.tier).map((f) => FEATURE_NAMES[f]).join(', ')}`,
    ...(replaced ? [`• It replaces the inactive license \`${replaced}\`, whose seat is free again.`] : []),
  ].join('\n');
}
