import { UserError } from '../errors';
import type { WorkQueue } from '../ports/work-queue';
import { OPENER_LEAVES_ACTIONS, openerLeavesOf, type GuildSettings, type OpenerLeavesAction } from './model';
import type { TicketStore } from './ports';

/** The guild's settings, or the refusal every ticket action gives before `/setup` has run. */
export async function requireSettings(tickets: Pick<TicketStore, 'getSettings'>, guildId: string): Promise<GuildSettings> {
  const settings = await tickets.getSettings(guildId);
  if (!settings) throw new UserError('Tickets are not set up in this server yet. A server admin can run `/setup`.');
  return settings;
}

/** The ticket behaviour `/config tickets` changes; each field optional (left out = unchanged). */
export interface BehaviourChange {
  openerCanClose?: boolean;
  reopenWindowHours?: number;
  closeDelaySeconds?: number;
  /** 0 turns auto-close off. */
  autoCloseHours?: number;
  autoCloseWarnHours?: number;
  /** One of {@link OPENER_LEAVES_ACTIONS}. */
  openerLeaves?: string;
}

/** Bounds chosen so every value maps onto something Discord and SQS can do (delays ≤ 15 minutes). */
export const LIMITS = {
  reopenWindowHours: [0, 720],
  closeDelaySeconds: [0, 900],
  autoCloseHours: [0, 720],
  autoCloseWarnHours: [1, 168],
} as const;

/**
 * Changes the guild's ticket behaviour after `/setup`. Refuses values out of range and an
 * auto-close warning that would come before the ticket even opened. A changed auto-close setting
 * reaches the tickets already open through a `tickets.reschedule` job (`rescheduling: true`).
 */
export async function changeBehaviour(
  guildId: string,
  change: BehaviourChange,
  now: number,
  deps: { tickets: TicketStore; workQueue: WorkQueue },
): Promise<{ settings: GuildSettings; rescheduling: boolean }> {
  const current = await requireSettings(deps.tickets, guildId);
  for (const [key, [min, max]] of Object.entries(LIMITS) as Array<[keyof typeof LIMITS, readonly [number, number]]>) {
    const value = change[key];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new UserError(`\`${snake(key)}\` must be a whole number from ${min} to ${max}.`);
    }
  }
  if (change.openerLeaves !== undefined && !OPENER_LEAVES_ACTIONS.includes(change.openerLeaves as OpenerLeavesAction)) {
    throw new UserError(`\`opener_leaves\` must be one of ${OPENER_LEAVES_ACTIONS.join(', ')}.`);
  }
  const next: GuildSettings = {
    ...current,
    openerCanClose: change.openerCanClose ?? current.openerCanClose,
    reopenWindowHours: change.reopenWindowHours ?? current.reopenWindowHours,
    closeDelaySeconds: change.closeDelaySeconds ?? current.closeDelaySeconds,
    autoCloseHours: change.autoCloseHours === undefined ? current.autoCloseHours : change.autoCloseHours === 0 ? null : change.autoCloseHours,
    autoCloseWarnHours: change.autoCloseWarnHours ?? current.autoCloseWarnHours,
    openerLeaves: (change.openerLeaves as OpenerLeavesAction | undefined) ?? openerLeavesOf(current),
    updatedAt: now,
  };
  if (next.autoCloseHours !== null && next.autoCloseWarnHours >= next.autoCloseHours) {
    throw new UserError(`The auto-close warning (${next.autoCloseWarnHours} h) must come before the close (${next.autoCloseHours} h): lower \`auto_close_warn_hours\`.`);
  }
  await deps.tickets.saveSettings(guildId, next);
  const rescheduling = next.autoCloseHours !== current.autoCloseHours || (next.autoCloseHours !== null && next.autoCloseWarnHours !== current.autoCloseWarnHours);
  if (rescheduling) await deps.workQueue.enqueue({ type: 'tickets.reschedule', guildId });
  return { settings: next, rescheduling };
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
