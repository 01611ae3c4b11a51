import { FEATURE_NAMES, featuresOf, TIER_NAMES } from './features';
import type { Entitlement, License } from './model';

/** Discord timestamp markup. @see https://discord.com/developers/docs/reference#message-formatting-timestamp-styles */
const ts = (ms: number, style: 'R' | 'f' | 'D') => `<t:${Math.floor(ms / 1000)}:${style}>`;

/** One line for the guild's license state (`/status`, `/license status`). */
export function describeEntitlement(e: Entitlement): string {
  switch (e.state) {
    case 'active':
      return `${TIER_NAMES[e.tier!]} license, active until ${ts(e.expiresAt!, 'f')} (${ts(e.expiresAt!, 'R')})`;
    case 'grace':
      return `${TIER_NAMES[e.tier!]} license expired ${ts(e.expiresAt!, 'R')}: grace period until ${ts(e.graceEndsAt!, 'f')} (${ts(e.graceEndsAt!, 'R')}); everything works until then`;
    case 'inactive':
      if (e.reason === 'expired') return `Inactive: the ${TIER_NAMES[e.tier!]} license expired ${ts(e.expiresAt!, 'R')} and its grace period is over. Run \`/license activate\` with a renewed key.`;
      if (e.reason === 'suspended' || e.reason === 'revoked') return `Inactive: the license is ${e.reason}. The license holder can contact Deskwire support.`;
      return 'No license: run `/license activate` with a license key to open tickets.';
  }
}

/** `/license status`: state, tier, expiry, seats and this guild's features. */
export function describeLicenseStatus(e: Entitlement, license: License | null): string {
  const lines = ['**Deskwire license**', `• State: ${describeEntitlement(e)}`];
  if (e.tier && e.licenseId) {
    lines.push(`• Tier: ${TIER_NAMES[e.tier]} · license ID \`${e.licenseId}\``);
    lines.push(`• Expires: ${ts(e.expiresAt!, 'f')} (${ts(e.expiresAt!, 'R')})`);
    if (license) lines.push(`• Seats: ${license.seatsUsed} / ${license.seats} servers`);
  }
  lines.push(`• Features here: ${e.features.length ? e.features.map((f) => FEATURE_NAMES[f]).join(', ') : 'none'}`);
  return lines.join('\n');
}

/** The answer to a successful `/license activate`. */
export function describeActivation(license: License, replaced: string | null): string {
  return [
    `✅ Deskwire is activated in this server: **${TIER_NAMES[license.tier]}** license \`${license.id}\`, valid until ${ts(license.expiresAt, 'f')} (${ts(license.expiresAt, 'R')}).`,
    `• Seats: ${license.seatsUsed} / ${license.seats} servers`,
    `• Features: ${featuresOf(license.tier).map((f) => FEATURE_NAMES[f]).join(', ')}`,
    ...(replaced ? [`• It replaces the inactive license \`${replaced}\`, whose seat is free again.`] : []),
  ].join('\n');
}
