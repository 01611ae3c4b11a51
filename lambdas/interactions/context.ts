import type { APIInteraction } from 'discord-api-types/v10';
import type { InteractionContext } from '../shared/contracts/work-job';

/** Extracts what a deferred job needs from an interaction payload. */
export function interactionContext(i: APIInteraction): InteractionContext {
  const userId = i.member?.user.id ?? i.user?.id;
  if (!userId) throw new Error('interaction without a user');
  return {
    interactionId: i.id,
    applicationId: i.application_id,
    token: i.token,
    guildId: i.guild_id ?? null,
    channelId: i.channel?.id ?? null,
    userId,
    memberPermissions: i.member?.permissions ?? null,
    appPermissions: i.app_permissions ?? null,
    locale: 'locale' in i ? i.locale : undefined,
  };
}
