import type { Logger } from '@aws-lambda-powertools/logger';
import type { CalloutStore } from '../shared/callouts/ports';
import { calloutSweep } from '../shared/callouts/sweep';
import type { Clock } from '../shared/clock';
import { safeError } from '../shared/safe-error';
import { purgeSweep, runSweeps, type Sweep, type SweepResult } from '../shared/domain/sweeps';
import type { GuildStore } from '../shared/ports/guild-store';
import type { LicenseAdminStore } from '../shared/licensing/ports';
import { licenseSweep } from '../shared/licensing/sweep';
import type { Telemetry } from '../shared/ports/telemetry';
import type { WorkQueue } from '../shared/ports/work-queue';
import { autoCloseSweep } from '../shared/tickets/auto-close';
import { repairSweep } from '../shared/tickets/repair';
import type { TicketStore } from '../shared/tickets/ports';
import type { ArchiveStore, TranscriptRecordStore } from '../shared/transcripts/ports';
import { retentionSweep } from '../shared/transcripts/retention';
import { transcriptRepairSweep } from '../shared/transcripts/repair';

export interface SweeperDeps {
  guilds: GuildStore;
  tickets: TicketStore;
  licenses: LicenseAdminStore;
  /** How long a guild keeps working after its license expires. */
  licenseGraceMs: number;
  /** Where sweeps hand Discord work to the worker (the sweeper holds no Discord client). */
  workQueue: WorkQueue;
  /** Archive objects (transcripts of purged guilds and expired transcripts are deleted). */
  archive: ArchiveStore;
  transcripts: TranscriptRecordStore;
  callouts: CalloutStore;
  /** Unanswered callouts expire this long after they were made (`CALLOUT_EXPIRE_MINUTES`). */
  calloutExpireMs: number;
  telemetry: Telemetry;
  clock: Clock;
  log: Logger;
}

/** Every sweep the schedule runs. Each reads only its due items (ByDue index). */
export function sweepsFor(deps: SweeperDeps): Sweep[] {
  return [
    purgeSweep(deps),
    autoCloseSweep(deps),
    repairSweep(deps),
    licenseSweep({ ...deps, graceMs: deps.licenseGraceMs }),
    retentionSweep({ ...deps, records: deps.transcripts }),
    calloutSweep({ ...deps, expireMs: deps.calloutExpireMs }),
    transcriptRepairSweep(deps),
  ];
}

/** One scheduled run: all sweeps, a log line per sweep, a telemetry flush. */
export async function runScheduledSweep(deps: SweeperDeps): Promise<SweepResult[]> {
  try {
    const results = await runSweeps(sweepsFor(deps), deps.clock, (_sweep, err) => deps.telemetry.captureException(err, null));
    for (const r of results) (r.error || r.failed ? deps.log.error : deps.log.info).call(deps.log, 'sweep finished', { ...r });
    return results;
  } finally {
    await deps.telemetry.flush().catch((err) => deps.log.warn('telemetry flush failed', { error: safeError(err) }));
  }
}
