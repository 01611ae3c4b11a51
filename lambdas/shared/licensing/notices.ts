import type { Clock } from '../clock';
import type { DiscordApi } from '../ports/discord';
import type { Telemetry } from '../ports/telemetry';
import type { TicketStore } from '../tickets/ports';
import { discordTime } from '../tickets/messages';
import { logToStaff } from '../tickets/staff-log';
import { TIER_NAMES } from './features';
import type { License, LicenseStep } from './model';
import type { LicenseStore } from './ports';


/** What a guild's log channel is told at each step of its license's expiry. */
export function licenseNotice(step: LicenseStep, license: Pick<License, 'tier' | 'id'>, expiresAt: number, graceEndsAt: number): string {
  const which = `This server's Deskwire ${TIER_NAMES[license.tier]} license (\`${license.id}\`)`;
  switch (step) {
    case 'warn7':
    case 'warn1':
      return `⚠️ ${which} expires ${discordTime(expiresAt, 'R')} (${discordTime(expiresAt, 'f')}). Ask the license holder to extend it. Tickets keep working until then and for a grace period after.`;
    case 'expire':
      return `⚠️ ${which} has expired. Everything keeps working during a grace period that ends ${discordTime(graceEndsAt, 'R')} (${discordTime(graceEndsAt, 'f')}); after that, opening tickets is paused until the license is extended or an admin runs \`/license activate\` with a new key.`;
    case 'grace-end':
      return `⛔ ${which} expired and its grace period is over: opening tickets is paused. Existing tickets can still be closed. Ask the license holder to extend it, or run \`/license activate\` with a new key.`;
  }
}

export interface LicenseNoticeDeps {
  licenses: LicenseStore;
  tickets: Pick<TicketStore, 'getSettings'>;
  discord: Pick<DiscordApi, 'postMessage'>;
  telemetry: Telemetry;
  clock: Clock;
  log: { warn(msg: string, extra: Record<string, unknown>): void };
}

/**
 * The worker's half of a license step: tells each guild using the license in its log channel
 * (best effort: a guild without one is not told) and records `license_expired` per guild. Skipped
 * when the license changed since the sweep (extended, suspended, revoked).
 */
export async function sendLicenseNotices(job: { keyHash: string; step: LicenseStep; expiresAt: number; graceEndsAt: number }, deps: LicenseNoticeDeps): Promise<number> {
  const license = await deps.licenses.get(job.keyHash);
  if (!license || license.expiresAt !== job.expiresAt || license.status === 'suspended' || license.status === 'revoked') return 0;
  const guilds = await deps.licenses.boundGuilds(job.keyHash);
  const content = licenseNotice(job.step, license, job.expiresAt, job.graceEndsAt);
  for (const { guildId } of guilds) {
    if (job.step === 'expire') deps.telemetry.capture({ event: 'license_expired', guildId, properties: { tier: license.tier }, at: deps.clock.now() });
    const settings = await deps.tickets.getSettings(guildId);
    if (settings) await logToStaff(settings, content, deps);
  }
  return guilds.length;
}
