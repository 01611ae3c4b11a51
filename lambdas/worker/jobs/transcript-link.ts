import type * as z from 'zod/mini';
import type { TranscriptLinkJob } from '../../shared/contracts/work-job';
import { ButtonStyle, ComponentKind } from '../../shared/discord-constants';
import { UserError } from '../../shared/errors';
import type { MessageBody } from '../../shared/ports/discord';
import { ticketLabel } from '../../shared/tickets/messages';
import { signLink, STAFF_LINK_TTL_SECONDS, viewerUrl } from '../../shared/transcripts/links';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/** `transcript.link` → an ephemeral answer with a signed viewer link for the staff member who asked (one hour). */
export function transcriptLink(job: z.infer<typeof TranscriptLinkJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  return runInteractionJob('transcript.link', job.ctx, attempt, deps, async (): Promise<MessageBody> => {
    const [ticket, record] = await Promise.all([deps.tickets.getTicket(job.guildId, job.number), deps.transcripts.records.latest(job.guildId, job.number)]);
    const label = ticketLabel({ number: job.number });
    if (!record) {
      // Stored once and no record now: the retention sweep deleted it (there is nothing to wait for).
      if (ticket?.status === 'closed' && ticket.transcriptStatus === 'stored') {
        throw new UserError(`The transcript of ticket ${label} was deleted by this server's retention policy (/config transcripts retention_days).`);
      }
      const why = ticket?.status !== 'closed' ? 'it has not been closed yet' : ticket.transcriptStatus === 'failed' || ticket.transcriptStatus === 'failed-retrying' ? 'archiving it failed and is being retried' : 'it is still being archived';
      throw new UserError(`Ticket ${label} has no transcript yet: ${why}. Try again in a minute.`);
    }
    const expiresAt = Math.floor(deps.clock.now() / 1000) + STAFF_LINK_TTL_SECONDS;
    const url = viewerUrl(deps.transcripts.viewerBaseUrl, job.guildId, job.number, signLink(deps.transcripts.linkSecret, { guildId: job.guildId, number: job.number, userId: job.ctx.userId, expiresAt }));
    return {
      content: `Transcript of ticket ${label} (${record.messageCount} messages). The link is for you only and works until <t:${expiresAt}:t>.`,
      components: [{ type: ComponentKind.ActionRow, components: [{ type: ComponentKind.Button, style: ButtonStyle.Link, label: 'Open transcript', url }] }] as MessageBody['components'],
      allowed_mentions: { parse: [] },
    };
  });
}
