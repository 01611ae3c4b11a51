import type { APIInteraction, APIInteractionResponse } from 'discord-api-types/v10';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CalloutStore } from '../shared/callouts/ports';
import type { Clock } from '../shared/clock';
import type { EnforcementState } from '../shared/enforcement/model';
import type { EnforcementStore } from '../shared/enforcement/ports';
import type { HqSettings } from '../shared/hq/config';
import type { WorkJob } from '../shared/contracts/work-job';
import type { AttemptLimiter, Entitlements, LicenseStore } from '../shared/licensing/ports';
import type { WorkQueue } from '../shared/ports/work-queue';
import type { PanelStore } from '../shared/tickets/panel-store';
import type { TicketStore } from '../shared/tickets/ports';

/** What the interactions λ's use cases get: cheap, in-region dependencies only. */
export interface InteractionDeps {
  workQueue: WorkQueue;
  tickets: TicketStore;
  panels: PanelStore;
  licenses: LicenseStore;
  /** What the guild's license allows now (the gate of ticket creation and tier features). */
  entitlements: Entitlements;
  attempts: AttemptLimiter;
  callouts: CalloutStore;
  enforcement: EnforcementStore;
  /** The vendor HQ (callouts, enforcement); null when not configured. */
  hq: HqSettings | null;
  /** How an enforced user or guild can appeal (shown in every enforcement refusal). */
  appeal: string;
  /** The invoking user's ban, read by the router with the guild's (set per interaction). */
  enforcedUser?: EnforcementState | null;
  clock: Clock;
  log: Logger;
}

/**
 * The outcome of handling an interaction: a reply to send now, or a deferral plus the job that
 * will finish it (the router enqueues the job, then ACKs with type 5 / 6).
 */
export type Outcome = { reply: APIInteractionResponse } | { defer: { ephemeral: boolean; update?: boolean }; job: WorkJob };

/** One application command: its registration body and its handler. */
export interface CommandModule<I extends APIInteraction = APIInteraction> {
  /** The command's name; its registration body lives beside it as `<name>Definition` (see `commands/definitions.ts`). */
  name: string;
  execute(interaction: I, deps: InteractionDeps): Promise<Outcome> | Outcome;
}

/** One component (button / select) or modal action, addressed by the `custom_id` action name. */
export interface ActionModule<I extends APIInteraction = APIInteraction> {
  action: string;
  execute(interaction: I, args: string[], deps: InteractionDeps): Promise<Outcome> | Outcome;
}
