import { DiscordActionError, UserError } from '../errors';
import { GuildChannelCapError } from '../ports/discord';
import { channelLink, userMention } from './messages';

/**
 * The provisioning step Discord refused, with where it happened: what lets the member and the
 * staff be told which permission is missing, and where, instead of a generic "missing permission".
 */
export type ProvisionStep =
  | { kind: 'create_thread' | 'create_channel' | 'add_opener'; parentId: string | null }
  | { kind: 'welcome'; mode: 'thread' | 'channel'; parentId: string | null };

/** What the bot needed at each step (as Discord names the permission), and what for. */
const NEEDS: Record<ProvisionStep['kind'] | 'welcome_thread', { permission: string; action: string }> = {
  // Starting a private thread. @see https://discord.com/developers/docs/resources/channel#start-thread-without-message
  create_thread: { permission: 'Create Private Threads', action: 'create the private ticket thread' },
  // Creating a channel (its overwrites only grant what the bot has). @see https://discord.com/developers/docs/resources/guild#create-guild-channel
  create_channel: { permission: 'Manage Channels', action: 'create the ticket channel' },
  // Adding a member needs the ability to send messages in the thread. @see https://discord.com/developers/docs/resources/channel#add-thread-member
  add_opener: { permission: 'Send Messages in Threads', action: 'add the member to their ticket thread' },
  welcome_thread: { permission: 'Send Messages in Threads', action: 'post the welcome message in the ticket thread' },
  welcome: { permission: 'Send Messages', action: 'post the welcome message in the ticket channel' },
};

/** 50013 Missing Permissions, 50001 Missing Access (cannot see the channel). */
const PERMISSION_CODES = new Set([50013, 50001]);
/** 160006: the guild's active-thread cap. */
const THREAD_CAP = 160006;

/**
 * A ticket Discord refused to let us finish: the reservation has been rolled back. The message is
 * for the member; `staffLine` is what the staff log channel was told.
 */
export class TicketNotOpenedError extends UserError {
  override readonly name = 'TicketNotOpenedError';
  override readonly status = 502;
  override readonly code = 'ticket_not_opened';
  constructor(
    message: string,
    readonly staffLine: string,
  ) {
    super(message);
  }
}

/** True when a failure at a provisioning step is Discord's (or our) final word: roll back, do not retry. */
export function isRefusal(err: unknown): boolean {
  return err instanceof UserError || err instanceof GuildChannelCapError;
}

/**
 * What the member and the staff are told when `step` was refused with `err` (already rolled back).
 * Permission refusals name the permission and where it is missing; caps say which cap.
 */
export function describeRefusal(err: unknown, step: ProvisionStep | null, openerId: string): TicketNotOpenedError {
  const who = `⚠️ ${userMention(openerId)} could not open a ticket`;
  if (err instanceof GuildChannelCapError) {
    return new TicketNotOpenedError(
      'This server has reached Discord’s limit of 500 channels, so no ticket channel can be created right now. The staff have been told.',
      `${who}: this server has reached Discord’s limit of 500 channels. Delete unused channels or switch to thread mode.`,
    );
  }
  const code = err instanceof DiscordActionError ? err.discordCode : undefined;
  if (code === THREAD_CAP) {
    return new TicketNotOpenedError(
      'This server has reached Discord’s limit of active threads, so no ticket thread can be created right now. The staff have been told.',
      `${who}: this server has reached Discord’s limit of active threads. Archive or close some threads, or switch tickets to channel mode.`,
    );
  }
  if (code !== undefined && PERMISSION_CODES.has(code) && step) {
    const need = NEEDS[step.kind === 'welcome' && step.mode === 'thread' ? 'welcome_thread' : step.kind];
    const permission = code === 50001 ? 'View Channel' : need.permission;
    const where = whereFor(step);
    return new TicketNotOpenedError(
      `Your ticket could not be created: Deskwire is missing the **${permission}** permission ${where}. Please ask the server staff to give the bot that permission, then try again.`,
      `${who}: Deskwire is missing the **${permission}** permission ${where} (needed to ${need.action}). Give it to the bot’s role there; the member can then try again.`,
    );
  }
  if (code === 10007) {
    return new TicketNotOpenedError('You are no longer a member of this server, so your ticket was cancelled.', `${who}: they left the server before it was ready, so it was cancelled.`);
  }
  if (code === 10003 && step && (step.kind === 'create_thread' || step.kind === 'create_channel')) {
    return new TicketNotOpenedError(
      'Your ticket could not be created: the channel tickets are opened in no longer exists. Please ask the server staff to run `/setup` again.',
      `${who}: the channel set for tickets (${whereFor(step).replace(/^in (the category )?/, '')}) no longer exists. Run \`/setup\` to choose another.`,
    );
  }
  if (code === 10003) {
    return new TicketNotOpenedError(
      'Your ticket’s channel was deleted while it was being set up, so it was cancelled. Please open a new one.',
      `${who}: its channel was deleted while it was being set up, so it was cancelled.`,
    );
  }
  const reason = err instanceof Error ? err.message : 'Discord refused the request.';
  return new TicketNotOpenedError(`Your ticket could not be created: ${reason}`, `${who}: ${reason}`);
}

/**
 * Where the bot needs the permission: threads take theirs from the parent channel; a channel mode
 * ticket from its category (the ticket channel itself was deleted by the rollback).
 */
function whereFor(step: ProvisionStep): string {
  if (!step.parentId) return 'in this server';
  const inCategory = step.kind === 'create_channel' || (step.kind === 'welcome' && step.mode === 'channel');
  return inCategory ? `in the category ${channelLink(step.parentId)}` : `in ${channelLink(step.parentId)}`;
}
