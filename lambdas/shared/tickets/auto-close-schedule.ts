import { HOUR_MS } from '../clock';
import type { GuildSettings, Ticket } from './model';

/**
 * Activity closer together than this is recorded once (auto-close works in hours): the store's
 * activity write is conditional on it, and the events λ skips a write it knows would change nothing.
 */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

/**
 * When an idle ticket is warned and closed, from the guild's settings and the last activity.
 * Plain functions: the store uses them to place a ticket in the `ByDue` index, the sweep to decide
 * what a due ticket needs. Settings are read again when a ticket comes due, so a changed setting
 * applies to tickets already in the index.
 */
export interface AutoCloseTimes {
  /** Null when no warning is configured (or it would not come before the close). */
  warnAt: number | null;
  closeAt: number;
}

export function autoCloseTimes(settings: Pick<GuildSettings, 'autoCloseHours' | 'autoCloseWarnHours'>, lastActivityAt: number): AutoCloseTimes | null {
  const hours = settings.autoCloseHours;
  if (!hours || hours <= 0) return null;
  const closeAt = lastActivityAt + hours * HOUR_MS;
  const warn = settings.autoCloseWarnHours;
  return { warnAt: warn > 0 && warn < hours ? closeAt - warn * HOUR_MS : null, closeAt };
}

/** The due time a ticket enters the index with after activity: its warning, or its close. */
export function firstAutoCloseDue(settings: Pick<GuildSettings, 'autoCloseHours' | 'autoCloseWarnHours'>, lastActivityAt: number): number | null {
  const times = autoCloseTimes(settings, lastActivityAt);
  return times ? (times.warnAt ?? times.closeAt) : null;
}

export type AutoCloseStep =
  /** Not open, or auto-close is off: leave the index. */
  | { kind: 'none' }
  /** Not yet (activity or a changed setting moved it): due again at `dueAt`. */
  | { kind: 'wait'; dueAt: number }
  /** Post the warning; close at `closeAt`. */
  | { kind: 'warn'; closeAt: number }
  | { kind: 'close' };

/**
 * What a due ticket needs at `now`. The warning always gives members the full warning period:
 * posted late (the sweeper runs every few minutes), it moves the close by as much.
 */
export function autoCloseStep(ticket: Pick<Ticket, 'status' | 'lastActivityAt' | 'autoCloseWarnedAt'> | null, settings: GuildSettings | null, now: number): AutoCloseStep {
  if (!ticket || ticket.status !== 'open' || !settings) return { kind: 'none' };
  const times = autoCloseTimes(settings, ticket.lastActivityAt);
  if (!times) return { kind: 'none' };
  const warnMs = times.warnAt === null ? 0 : times.closeAt - times.warnAt;
  if (ticket.autoCloseWarnedAt != null) {
    const closeAt = Math.max(times.closeAt, ticket.autoCloseWarnedAt + warnMs);
    return now >= closeAt ? { kind: 'close' } : { kind: 'wait', dueAt: closeAt };
  }
  if (times.warnAt !== null) {
    return now >= times.warnAt ? { kind: 'warn', closeAt: Math.max(times.closeAt, now + warnMs) } : { kind: 'wait', dueAt: times.warnAt };
  }
  return now >= times.closeAt ? { kind: 'close' } : { kind: 'wait', dueAt: times.closeAt };
}
