import type { Tier } from '../licensing/features';

/**
 * Interactive Support callouts: server staff call a vendor agent into their guild. Plain data.
 *
 * Life of a callout: `opening` (reserved by the interactions λ: one open callout per guild, the
 * cooldown) → `open` (the worker made the single-use invite and posted the HQ alert; escalates,
 * then expires unanswered) → `responded` (one agent, by a conditional write) → `resolved` with a
 * note, or `expired`. Its invite is deleted on Discord at resolve / expiry / the invite's own end.
 */
export type CalloutStatus = 'opening' | 'open' | 'responded' | 'resolved' | 'expired';

/**
 * The next sweep step (the `ByDue` index): release a reservation the worker never finished
 * (`deliver`, while `opening`), escalate, expire unanswered, delete the invite.
 */
export type CalloutStep = 'deliver' | 'escalate' | 'expire' | 'invite';

export const MIN_REASON = 10;
export const MAX_REASON = 500;
export const MAX_NOTE = 500;
/** Discord's invites live at most this long for a callout (max_age ≤ 1 hour). */
export const MAX_INVITE_AGE_SECONDS = 3600;
/** How long a `/callout` waits for its requester to accept the terms. */
export const DRAFT_TTL_MS = 15 * 60_000;
/** Callout records are kept this long (the table's TTL), then DynamoDB deletes them. */
export const CALLOUT_RETENTION_MS = 90 * 24 * 3_600_000;
/**
 * A callout still `opening` this long after its reservation is released by the sweep: its
 * `callout.open` job never reached the queue, or the worker gave up and its undo failed. The
 * worker's own attempts (5, backoff 10–120 s, ≤ 30 s each) end within ~6 minutes, so the release
 * never races a delivery in progress; meanwhile the guild's slot is held ("already has an open callout").
 */
export const DELIVERY_DUE_MS = 10 * 60_000;
/** A failed invite deletion is tried again this much later by the sweep. */
export const INVITE_RETRY_MS = 15 * 60_000;

export interface Callout {
  guildId: string;
  calloutId: string;
  reason: string;
  requesterId: string;
  /** The channel `/callout` was run in, and the ticket when that channel is one. */
  channelId: string | null;
  ticketNumber: number | null;
  tier: Tier | null;
  termsVersion: string;
  status: CalloutStatus;
  createdAt: number;
  guildName: string | null;
  inviteCode: string | null;
  inviteChannelId: string | null;
  inviteExpiresAt: number | null;
  alertChannelId: string | null;
  alertMessageId: string | null;
  escalatedAt: number | null;
  responderId: string | null;
  respondedAt: number | null;
  closedBy: string | null;
  closedAt: number | null;
  note: string | null;
  dueStep: CalloutStep | null;
  dueAt: number | null;
}

/** A `/callout` held while its requester reads the terms. */
export interface CalloutDraft {
  reason: string;
  channelId: string | null;
  createdAt: number;
}

export type ReserveResult = { ok: true } | { ok: false; reason: 'open'; openCalloutId: string } | { ok: false; reason: 'cooldown'; retryAt: number };

/** Sortable, short, unique enough per guild: base-36 time + 4 random base-36 characters. */
export const newCalloutId = (now: number, random: () => number = Math.random) =>
  `${now.toString(36)}${Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0')}`;

export const STATUS_LABELS: Record<CalloutStatus, string> = { opening: 'being sent', open: 'waiting for an agent', responded: 'agent on the way', resolved: 'resolved', expired: 'expired unanswered' };

export const inviteUrl = (code: string) => `https://discord.gg/${code}`;
