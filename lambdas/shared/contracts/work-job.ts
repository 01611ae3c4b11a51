import * as z from 'zod/mini';
import { Snowflake } from './common';
import { TelemetryEvent } from './telemetry-event';

/**
 * What the worker needs to finish a deferred interaction: where to send the outcome
 * (`applicationId` + `token` address the `@original` response for 15 minutes) and who asked.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
 */
export const InteractionContext = z.object({
  interactionId: Snowflake,
  applicationId: Snowflake,
  token: z.string().check(z.minLength(1)),
  guildId: z.nullable(Snowflake),
  channelId: z.nullable(Snowflake),
  userId: Snowflake,
  /** The invoking member's permissions bit set, as Discord sent it. */
  memberPermissions: z.nullable(z.string()),
  /** The bot's permissions in the channel, as Discord sent it (`app_permissions`). */
  appPermissions: z.nullable(z.string()),
  locale: z.optional(z.string()),
  /**
   * Deferred as an update of the message the component was on (type 6: a confirmation, a close
   * request): a failure then replaces that message, buttons included, so none stays pressable.
   */
  deferredUpdate: z.optional(z.boolean()),
  /**
   * Deferred as a public message (type 5 without the ephemeral flag): a success is shown to
   * everyone, a failure is not — the public placeholder is deleted and the error sent as an
   * ephemeral follow-up only the user sees.
   */
  deferredPublic: z.optional(z.boolean()),
});
export type InteractionContext = z.infer<typeof InteractionContext>;

/** `/status`: a diagnostic of this guild's Deskwire setup, built by the worker. */
export const StatusReportJob = z.object({
  type: z.literal('status.report'),
  ctx: InteractionContext,
});

/** Create the reserved ticket's thread or channel and welcome message, then tell the opener. */
export const TicketOpenJob = z.object({
  type: z.literal('ticket.open'),
  ctx: InteractionContext,
  guildId: Snowflake,
  number: z.int().check(z.positive()),
  /** Shown in the welcome message, e.g. "support is closed right now". */
  note: z.nullable(z.string().check(z.maxLength(500))),
});

const PanelId = z.string().check(z.regex(/^[a-z0-9]{1,20}$/, 'must be a panel id'));

/**
 * Post panels or re-render their messages (create, edit, or a category they show changed).
 * `created`: the panel row was saved for this job and is removed if it cannot be posted.
 * `moveTo`: post the (single) panel in this channel instead, then delete the old message.
 * `intro`: what the admin changed, shown above the per-panel outcome.
 */
export const PanelPublishJob = z.object({
  type: z.literal('panel.publish'),
  ctx: InteractionContext,
  guildId: Snowflake,
  panelIds: z.array(PanelId).check(z.minLength(1), z.maxLength(25)),
  created: z.boolean(),
  moveTo: z.nullable(z.object({ channelId: Snowflake, channelName: z.string().check(z.maxLength(100)) })),
  intro: z.nullable(z.string().check(z.maxLength(1500))),
});

/** Delete a removed panel's message (the panel row is already gone). */
export const PanelDeleteJob = z.object({
  type: z.literal('panel.delete'),
  ctx: InteractionContext,
  guildId: Snowflake,
  title: z.string().check(z.maxLength(256)),
  channelId: Snowflake,
  messageId: z.nullable(Snowflake),
});

const TicketNumber = z.int().check(z.positive());

/** What changed on an open ticket (the row already holds it); the worker makes Discord match. */
export const TicketChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('claim') }),
  z.object({ kind: z.literal('unclaim'), previous: Snowflake }),
  z.object({ kind: z.literal('transfer'), to: Snowflake }),
  /** `level`: the priority the interaction set (older jobs without it: the row's at run time). */
  z.object({ kind: z.literal('priority'), level: z.optional(z.enum(['low', 'normal', 'high', 'urgent'])) }),
  z.object({ kind: z.literal('member'), op: z.enum(['add', 'remove']), userId: Snowflake }),
  z.object({ kind: z.literal('role'), op: z.enum(['add', 'remove']), roleId: Snowflake }),
  z.object({ kind: z.literal('rename'), name: z.string().check(z.minLength(1), z.maxLength(100)) }),
]);
export type TicketChange = z.infer<typeof TicketChange>;

/** Staff worked a ticket: re-render its welcome message, change members / overwrites / name, tell the channel. */
export const TicketUpdateJob = z.object({ type: z.literal('ticket.update'), ctx: InteractionContext, guildId: Snowflake, number: TicketNumber, change: TicketChange });

/**
 * Finish closing a ticket whose row an interaction already closed (slots released): notice, log,
 * feedback DM to the opener, transcript hand-over, and the delayed archive.
 */
export const TicketCloseJob = z.object({ type: z.literal('ticket.close'), ctx: InteractionContext, guildId: Snowflake, number: TicketNumber, source: z.enum(['staff', 'opener', 'request']) });

/** Bring a reopened ticket's thread back (unarchive, unlock, opener re-added) and its buttons. */
export const TicketReopenJob = z.object({ type: z.literal('ticket.reopen'), ctx: InteractionContext, guildId: Snowflake, number: TicketNumber });

/** From the sweeper: post the idle warning, or close, if the ticket had no activity since `lastActivityAt`. */
export const TicketAutoCloseJob = z.object({ type: z.literal('ticket.auto-close'), guildId: Snowflake, number: TicketNumber, step: z.enum(['warn', 'close']), lastActivityAt: z.int() });

/**
 * Sent with the guild's close delay (SQS DelaySeconds): lock + archive the thread or delete the
 * channel of the close at `closedAt` — a ticket reopened meanwhile is left alone.
 */
export const TicketArchiveJob = z.object({ type: z.literal('ticket.archive'), guildId: Snowflake, number: TicketNumber, closedAt: z.int() });

/**
 * The guild's auto-close settings changed: place its open tickets in the due index from their own
 * last activity. `after`: a follow-up job continues after that ticket number.
 */
export const TicketsRescheduleJob = z.object({ type: z.literal('tickets.reschedule'), guildId: Snowflake, after: z.optional(TicketNumber) });

/** The transcript hand-over from the close flow (see `tickets/transcript-handover.ts`). */
export const TranscriptBuildJob = z.object({ type: z.literal('transcript.build'), guildId: Snowflake, number: TicketNumber, closedAt: z.int() });

/**
 * From the events λ: a ticket whose row it closed without an interaction (its channel deleted by
 * hand or its thread locked, or its opener left) — notice, log, feedback DM, transcript hand-over
 * and the archive, once per close (`closedAt`).
 */
export const TicketFinishCloseJob = z.object({
  type: z.literal('ticket.finish-close'),
  guildId: Snowflake,
  number: TicketNumber,
  closedAt: z.int(),
  source: z.enum(['channel-removed', 'opener-left']),
});

/** From the events λ: the opener of an open ticket left the server; tell the ticket and the staff log. */
export const TicketOpenerLeftJob = z.object({ type: z.literal('ticket.opener-left'), guildId: Snowflake, number: TicketNumber, leftAt: z.int() });

/** `/ticket transcript`: the worker signs a short-lived viewer link for the staff member and answers. */
export const TranscriptLinkJob = z.object({ type: z.literal('transcript.link'), ctx: InteractionContext, guildId: Snowflake, number: TicketNumber });

/** The opener rated a closed ticket: its transcript-channel post shows the rating. */
export const TranscriptRatedJob = z.object({ type: z.literal('transcript.rated'), guildId: Snowflake, number: TicketNumber, closedAt: z.int() });

/** Finish opening a reservation whose worker attempts all failed (from the repair sweep). */
export const TicketRepairJob = z.object({
  type: z.literal('ticket.repair'),
  guildId: Snowflake,
  number: z.int().check(z.positive()),
  attempt: z.int().check(z.positive()),
});

/**
 * From the license sweep: tell the guilds using a license about a step of its expiry (warning,
 * expiry, end of grace). Skipped by the worker when the license changed since (`expiresAt`).
 */
export const LicenseNoticeJob = z.object({
  type: z.literal('license.notice'),
  keyHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a license key hash')),
  step: z.enum(['warn7', 'warn1', 'expire', 'grace-end']),
  expiresAt: z.int(),
  graceEndsAt: z.int(),
});

/**
 * Telemetry recorded on the 3-second path (the interactions λ) and sent to PostHog by the worker,
 * so no third-party call ever delays an interaction response.
 */
export const TelemetryJob = z.object({
  type: z.literal('telemetry.capture'),
  events: z.array(TelemetryEvent).check(z.minLength(1), z.maxLength(50)),
});

const CalloutRef = { guildId: Snowflake, calloutId: z.string().check(z.regex(/^[0-9a-z]{6,16}$/, 'must be a callout id')) };

/** `/callout` reserved a callout: make the single-use invite, post the HQ alert, tell the requester. */
export const CalloutOpenJob = z.object({ type: z.literal('callout.open'), ctx: InteractionContext, ...CalloutRef });
/** An agent took the callout: update the HQ alert, tell the requester an agent is on the way. */
export const CalloutRespondedJob = z.object({ type: z.literal('callout.responded'), ...CalloutRef });
/** From the callout sweep: nobody answered yet; ping the agents again. */
export const CalloutEscalateJob = z.object({ type: z.literal('callout.escalate'), ...CalloutRef });
/** Resolved, expired, or its invite ran out: delete the invite on Discord and show the final state. */
export const CalloutCloseJob = z.object({ type: z.literal('callout.close'), ...CalloutRef });

const TargetKindSchema = z.enum(['user', 'guild']);

/** `/enforce add` and `/enforce lookup`: the worker holds the key that seals and opens sensitive fields. */
export const EnforceJob = z.object({
  type: z.literal('enforce.run'),
  ctx: InteractionContext,
  op: z.discriminatedUnion('op', [
    z.object({
      op: z.literal('add'),
      kind: TargetKindSchema,
      targetId: Snowflake,
      reason: z.string().check(z.maxLength(500)),
      outcome: z.enum(['warning', 'ban']),
      related: z.array(z.string().check(z.maxLength(100))).check(z.maxLength(20)),
      personal: z.nullable(z.string().check(z.maxLength(1000))),
    }),
    z.object({
      op: z.literal('lookup'),
      kind: TargetKindSchema,
      targetId: Snowflake,
      tier: z.enum(['standard', 'elevated', 'sudo']),
      /** A sudo read's written justification (the worker audits it before reading). */
      justification: z.nullable(z.string().check(z.maxLength(1000))),
    }),
  ]),
});

/** The bot was added to a guild under an enforcement ban: leave it. */
export const GuildLeaveJob = z.object({ type: z.literal('guild.leave'), guildId: Snowflake });

/**
 * The work-queue contract: every job the interactions λ enqueues and the worker λ consumes.
 * Jobs are idempotent on `ctx.interactionId` (Discord never delivers the same interaction id twice
 * for different work, and SQS may deliver a message more than once). Jobs without an interaction
 * (from the sweeper, or follow-ups the worker queues itself) are idempotent on their own key or state.
 */
export const WorkJob = z.discriminatedUnion('type', [StatusReportJob, TicketOpenJob, TicketRepairJob, TelemetryJob, PanelPublishJob, PanelDeleteJob,
  TicketUpdateJob, TicketCloseJob, TicketReopenJob, TicketAutoCloseJob, TicketArchiveJob, TicketsRescheduleJob, TranscriptBuildJob,
  TicketFinishCloseJob, TicketOpenerLeftJob, LicenseNoticeJob,
  TranscriptLinkJob, TranscriptRatedJob,
  CalloutOpenJob, CalloutRespondedJob, CalloutEscalateJob, CalloutCloseJob, EnforceJob, GuildLeaveJob]);
export type WorkJob = z.infer<typeof WorkJob>;
export type WorkJobType = WorkJob['type'];
