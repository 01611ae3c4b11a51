import { UserError } from '../errors';
import type { GuildSettings } from '../tickets/model';
import type { TicketStore } from '../tickets/ports';
import { requireSettings } from '../tickets/settings';

/** Retention in days; 0 keeps transcripts forever. Ten years is the most anyone asked for. */
export const RETENTION_DAYS_LIMITS = [0, 3650] as const;

/**
 * Changes how transcripts are kept and sent. A new retention applies to transcripts stored from now
 * on (each record carries its own end, so a shorter setting never deletes what people were promised).
 */
export async function changeTranscriptSettings(
  tickets: Pick<TicketStore, 'getSettings' | 'saveSettings'>,
  guildId: string,
  change: { retentionDays?: number; dmOpener?: boolean },
  now: number,
): Promise<GuildSettings> {
  const current = await requireSettings(tickets, guildId);
  const [min, max] = RETENTION_DAYS_LIMITS;
  if (change.retentionDays !== undefined && (!Number.isInteger(change.retentionDays) || change.retentionDays < min || change.retentionDays > max)) {
    throw new UserError(`\`retention_days\` must be a whole number from ${min} (keep forever) to ${max}.`);
  }
  const next: GuildSettings = {
    ...current,
    transcriptRetentionDays: change.retentionDays === undefined ? (current.transcriptRetentionDays ?? null) : change.retentionDays === 0 ? null : change.retentionDays,
    transcriptDmOpener: change.dmOpener ?? current.transcriptDmOpener ?? false,
    updatedAt: now,
  };
  await tickets.saveSettings(guildId, next);
  return next;
}

/** One line for `/config show`. */
export function describeTranscriptSettings(s: GuildSettings): string {
  const days = s.transcriptRetentionDays ?? null;
  return `• Transcripts: kept ${days ? `${days} days` : 'forever'} · sent to the opener by DM: ${s.transcriptDmOpener ? 'yes' : 'no'}`;
}
