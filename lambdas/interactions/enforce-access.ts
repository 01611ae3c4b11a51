import type { APIInteraction } from 'discord-api-types/v10';
import { tierOf, tierRank, type AccessTier } from '../shared/enforcement/model';
import { ForbiddenError, UserError } from '../shared/errors';
import { HQ_NOT_CONFIGURED } from '../shared/hq/config';
import type { AttemptPolicy } from '../shared/licensing/ports';
import type { InteractionDeps } from './types';

/**
 * Enforcement reads per vendor staff member: 30 in a 15-minute window (history and lookups alike),
 * so records cannot be scraped even with a staff account.
 */
export const ENFORCEMENT_READS: AttemptPolicy = { action: 'enforce-read', windowMs: 15 * 60_000, limits: { user: 30, guild: 100_000 } };

/** The invoker's enforcement tier from their HQ roles; refuses outside the HQ or below `least`. */
export function requireEnforcementTier(i: APIInteraction, deps: Pick<InteractionDeps, 'hq'>, least: AccessTier = 'standard'): { tier: AccessTier; actor: string } {
  if (!deps.hq) throw new UserError(HQ_NOT_CONFIGURED);
  if (i.guild_id !== deps.hq.guildId) throw new ForbiddenError('Enforcement records are only available in the Deskwire vendor HQ.');
  const tier = tierOf(i.member?.roles ?? [], deps.hq.tierRoleIds);
  if (!tier || tierRank(tier) < tierRank(least)) throw new ForbiddenError(`This needs ${least} enforcement access or higher${tier ? `; you have ${tier}` : ''}.`);
  return { tier, actor: `discord:${i.member!.user.id}` };
}

/** Counts a read against the staff member's window; refuses when it is used up. */
export async function countEnforcementRead(actorUserId: string, deps: Pick<InteractionDeps, 'attempts' | 'clock'>): Promise<void> {
  const now = deps.clock.now();
  const scopes = [{ kind: 'user' as const, id: actorUserId }];
  // Reserved up front (an atomic conditional increment): parallel reads cannot pass the limit together.
  const taken = await deps.attempts.reserve(ENFORCEMENT_READS, scopes, now);
  if (!taken.ok) {
    const minutes = Math.max(1, Math.ceil((taken.blockedUntil - now) / 60_000));
    throw new UserError(`Too many enforcement reads in a short time. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
}
