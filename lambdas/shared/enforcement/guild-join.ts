import type { WorkQueue } from '../ports/work-queue';
import type { EnforcementStore } from './ports';

/**
 * The bot was added to a guild: under an enforcement ban it leaves again (the worker calls
 * `DELETE /users/@me/guilds/{id}`; the events λ holds no Discord client). True when it will leave.
 *
 * @see https://discord.com/developers/docs/resources/user#leave-guild
 */
export async function leaveIfEnforced(guildId: string, deps: { enforcement: Pick<EnforcementStore, 'state'>; workQueue: WorkQueue }): Promise<boolean> {
  if (!(await deps.enforcement.state('guild', guildId))) return false;
  await deps.workQueue.enqueue({ type: 'guild.leave', guildId });
  return true;
}
