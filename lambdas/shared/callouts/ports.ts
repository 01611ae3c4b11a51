import type { Callout, CalloutDraft, CalloutStep, ReserveResult } from './model';

/** Callouts and their bookkeeping (DESIGN §3: `GUILD#<gid>` / `CALLOUT#<id>`). */
export interface CalloutStore {
  hasAcceptedTerms(userId: string, version: string): Promise<boolean>;
  /** Records the acceptance: user, guild, terms version, time. */
  acceptTerms(userId: string, version: string, guildId: string, now: number): Promise<void>;
  saveDraft(guildId: string, userId: string, draft: CalloutDraft): Promise<void>;
  /** Reads and removes the draft (null when none or expired). */
  takeDraft(guildId: string, userId: string, now: number): Promise<CalloutDraft | null>;

  /** Atomically: no other open callout in the guild, the cooldown passed; then the callout row (`opening`, in the due index at its `dueAt`). */
  reserve(callout: Callout, cooldownMs: number): Promise<ReserveResult>;
  /** Gives the reservation back (its cooldown too): the callout could not be made. */
  abandon(callout: Callout): Promise<void>;
  get(guildId: string, calloutId: string): Promise<Callout | null>;
  /** Saves what the worker made so far (conditional on `opening`). */
  saveProgress(guildId: string, calloutId: string, fields: Partial<Pick<Callout, 'inviteCode' | 'inviteChannelId' | 'inviteExpiresAt' | 'alertChannelId' | 'alertMessageId' | 'guildName'>>): Promise<boolean>;
  /** `opening` → `open`, due to escalate at `escalateAt`. */
  markOpen(guildId: string, calloutId: string, escalateAt: number): Promise<boolean>;

  /** The one responder: `open` → `responded` (conditional). `taken` carries the callout as it is. */
  respond(guildId: string, calloutId: string, agentId: string, now: number): Promise<{ ok: true; callout: Callout } | { ok: false; callout: Callout | null }>;
  /** `open`/`responded` → `resolved` (or `open` → `expired` at the expiry step); frees the guild's open slot; the invite is due for deletion now. */
  close(guildId: string, calloutId: string, to: { status: 'resolved'; by: string; note: string } | { status: 'expired' }, now: number): Promise<{ ok: true; callout: Callout } | { ok: false; callout: Callout | null }>;
  /** The invite is gone on Discord: forget its code and leave the due index. */
  inviteDeleted(guildId: string, calloutId: string, code: string | null): Promise<boolean>;

  /** Callouts whose next step is due (the `ByDue` index). */
  due(now: number, limit: number): Promise<Callout[]>;
  /** Moves from the step the sweep saw to the next one (conditional), recording an escalation. */
  moveStep(callout: Callout, next: { step: CalloutStep; at: number } | null, escalatedAt?: number): Promise<boolean>;
  /** Newest first, for ops. */
  list(opts: { openOnly: boolean; limit: number }): Promise<Callout[]>;
}
