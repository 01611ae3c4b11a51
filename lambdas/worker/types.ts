import type { Logger } from '@aws-lambda-powertools/logger';
import type { CalloutStore } from '../shared/callouts/ports';
import type { Clock } from '../shared/clock';
import type { EnforcementStore } from '../shared/enforcement/ports';
import type { Sealer } from '../shared/enforcement/seal';
import type { HqSettings } from '../shared/hq/config';
import type { Entitlements, LicenseStore } from '../shared/licensing/ports';
import type { DiscordApi } from '../shared/ports/discord';
import type { GuildStore } from '../shared/ports/guild-store';
import type { JobLedger } from '../shared/ports/job-ledger';
import type { RetryScheduler } from '../shared/ports/retry-scheduler';
import type { Telemetry } from '../shared/ports/telemetry';
import type { WorkQueue } from '../shared/ports/work-queue';
import type { PanelStore } from '../shared/tickets/panel-store';
import type { TicketStore } from '../shared/tickets/ports';
import type { TicketTrail } from '../shared/tickets/trail';
import type { TranscriptServices } from '../shared/transcripts/build';

export interface WorkerDeps {
  discord: DiscordApi;
  guilds: GuildStore;
  tickets: TicketStore;
  panels: PanelStore;
  licenses: LicenseStore;
  entitlements: Entitlements;
  /** The bot's user id (= the application id). */
  botUserId: string;
  ledger: JobLedger;
  /** The worker's own follow-ups: the delayed archive after a close, the transcript hand-over. */
  workQueue: WorkQueue;
  /** Backoff for failed jobs; absent, SQS redelivers after the visibility timeout. */
  retries?: RetryScheduler;
  telemetry: Telemetry;
  /** Keys the opaque category values telemetry sends instead of category ids (see `telemetryCategoryRef`). */
  telemetryKey: string;
  callouts: CalloutStore;
  enforcement: EnforcementStore;
  /** Seals and opens enforcement's sensitive fields; null without `ENFORCEMENT_KEY`. */
  sealer: Sealer | null;
  /** The vendor HQ (callout alerts); null when not configured. */
  hq: HqSettings | null;
  clock: Clock;
  log: Logger;
  /** The queue's maxReceiveCount: on the last attempt a failing job tells the user before the DLQ. */
  maxReceiveCount: number;
  /** The ticket event trail (claims, members, priority…) the transcript shows. */
  trail: TicketTrail;
  /** Building, archiving and delivering transcripts. */
  transcripts: TranscriptServices;
}
