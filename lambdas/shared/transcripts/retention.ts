import { safeError } from '../safe-error';
import { dueSweep, type Sweep } from '../domain/sweeps';
import type { Telemetry } from '../ports/telemetry';
import type { ArchiveStore, TranscriptRecordStore } from './ports';

/** How many expired transcripts one run deletes; the rest wait for the next run. */
export const RETENTION_BATCH = 100;

export interface RetentionSweepDeps {
  records: TranscriptRecordStore;
  archive: ArchiveStore;
  telemetry: Telemetry;
  log: { error(msg: string, extra: Record<string, unknown>): void };
}

/**
 * Deletes transcripts whose guild's retention period ended: the archive objects under the
 * transcript's prefix (HTML, JSON, attachments, avatars), then the record (so a failed delete is
 * retried by the next run). Reads only due records (`ByDue`, `DUE#retention`).
 */
export function retentionSweep(deps: RetentionSweepDeps): Sweep {
  return dueSweep(
    'transcript-retention',
    (now) => deps.records.dueExpired(now, RETENTION_BATCH),
    async (r, now) => {
      const objects = await deps.archive.deletePrefix(r.prefix);
      await deps.records.delete(r.guildId, r.number, r.closedAt);
      deps.telemetry.capture({ event: 'transcripts_expired', guildId: r.guildId, properties: { objects_deleted: objects }, at: now });
      return true;
    },
    (r, err) => deps.log.error('transcript retention delete failed', { guildId: r.guildId, number: r.number, error: safeError(err) }),
  );
}
