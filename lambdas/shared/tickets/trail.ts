import type { TicketChange } from '../contracts/work-job';
import type { SystemEvent } from '../transcripts/model';

/**
 * The ticket's event trail: an append-only list of what happened to a ticket besides messages
 * (claims, members, priority, renames, closes, reopens), written where the ticket changes and read
 * by the transcript builder. The ticket row only keeps the current state (who claims it now); the
 * trail keeps the history a transcript shows.
 */
export interface TrailEvent {
  guildId: string;
  number: number;
  /** Epoch ms. */
  at: number;
  event: SystemEvent;
  /** Null for automatic actions. */
  actorId: string | null;
  details: Record<string, string | number | null>;
}

export interface TicketTrail {
  /** Appends an event; the same event (ticket, time, kind, actor) written twice is kept once. */
  append(event: TrailEvent): Promise<void>;
  /** The ticket's events, oldest first. */
  list(guildId: string, number: number): Promise<TrailEvent[]>;
}

/** The trail event for a change staff made on an open ticket (`ticket.update`). */
export function trailEventFor(change: TicketChange, ticket: { guildId: string; number: number; priority?: string }, actorId: string, at: number): TrailEvent {
  const base = { guildId: ticket.guildId, number: ticket.number, at, actorId };
  switch (change.kind) {
    case 'claim':
      return { ...base, event: 'claimed', details: {} };
    case 'unclaim':
      return { ...base, event: 'unclaimed', details: { userId: change.previous } };
    case 'transfer':
      return { ...base, event: 'transferred', details: { userId: change.to } };
    case 'priority':
      return { ...base, event: 'priority', details: { priority: ticket.priority ?? null } };
    case 'member':
      return { ...base, event: change.op === 'add' ? 'member-added' : 'member-removed', details: { userId: change.userId } };
    case 'role':
      return { ...base, event: change.op === 'add' ? 'role-added' : 'role-removed', details: { roleId: change.roleId } };
    case 'rename':
      return { ...base, event: 'renamed', details: { name: change.name } };
  }
}

/** Appends without ever failing the ticket action it records (the trail is for the transcript). */
export async function appendToTrail(trail: TicketTrail | undefined, event: TrailEvent, log: { warn(msg: string, extra: Record<string, unknown>): void }): Promise<void> {
  await trail?.append(event).catch((err: unknown) => log.warn('could not append to the ticket trail', { guildId: event.guildId, number: event.number, error: err instanceof Error ? err.name : 'Error' }));
}
