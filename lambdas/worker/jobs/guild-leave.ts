import type * as z from 'zod/mini';
import type { GuildLeaveJob } from '../../shared/contracts/work-job';
import type { WorkerDeps } from '../types';

/** `guild.leave` (from the events λ): the bot was added to a banned guild; it leaves unless the ban was lifted meanwhile. */
export async function guildLeave(job: z.infer<typeof GuildLeaveJob>, deps: WorkerDeps): Promise<void> {
  if (!(await deps.enforcement.state('guild', job.guildId))) return;
  await deps.discord.leaveGuild(job.guildId);
  deps.log.info('left a guild under an enforcement ban', { guildId: job.guildId });
}
