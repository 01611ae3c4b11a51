import { DiscordActionError, UserError } from '../errors';
import { GuildChannelCapError } from '../ports/discord';
import { BOT_ALLOW } from '../contracts/ticket-channel';
import { PermissionFlagsBits } from '../discord-constants';
import { permissionNames } from '../domain/permissions';
import { channelLink, userMention } from './messages';

/**
 * The provisioning step Discord refused, with where it happened: what lets the member and the
 * staff be told which permission is missing, and where, instead of a generic "missing permission".
 */
export type ProvisionStep =
  | { kind: 'create_thread' | 'create_channel' | 'add_opener'; parentId: string | null }
  | { kind: 'welcome' | 'find_welcome'; mode: 'thread' | 'channel'; parentId: string | null };

/**
 * What the bot needed at each step (bits of the required permissions, named from that one list),
 * and what for. A step needing several cannot tell which one Discord missed: all are named.
 */
const NEEDS: Record<ProvisionStep['kind'] | 'welcome_thread', { bits: bigint; action: string }> = {
  // Starting a private thread. @see https://discord.com/developers/docs/resources/channel#start-thread-without-message
  create_thread: { bits: PermissionFlagsBits.CreatePrivateThreads, action: 'create the private ticket thread' },
  // Creating a channel with overwrites needs Manage Channels, Manage Roles, and every bit the
  // overwrites grant (the bot's own set covers the members'). @see https://discord.com/developers/docs/resources/guild#create-guild-channel
  create_channel: { bits: PermissionFlagsBits.ManageChannels | PermissionFlagsBits.ManageRoles | BOT_ALLOW, action: 'create the ticket channel' },
  // Adding a member needs the ability to send messages in the thread. @see https://discord.com/developers/docs/resources/channel#add-thread-member
  add_opener: { bits: PermissionFlagsBits.SendMessagesInThreads, action: 'add the member to their ticket thread' },
  welcome_thread: { bits: PermissionFlagsBits.SendMessagesInThreads, action: 'post the welcome message in the ticket thread' },
  welcome: { bits: PermissionFlagsBits.SendMessages, action: 'post the welcome message in the ticket channel' },
  // A retry reads the channel's first messages for an earlier welcome. @see https://discord.com/developers/docs/resources/message#get-channel-messages
  find_welcome: { bits: PermissionFlagsBits.ReadMessageHistory, action: 'check the ticket for a welcome message posted earlier' },
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
    const names = permissionNames(code === 50001 ? PermissionFlagsBits.ViewChannel : need.bits);
    const where = whereFor(step);
    if (names.length === 1) {
      return new TicketNotOpenedError(
        `Your ticket could not be created: Deskwire is missing the **${names[0]}** permission ${where}. Please ask the server staff to give the bot that permission, then try again.`,
        `${who}: Deskwire is missing the **${names[0]}** permission ${where} (needed to ${need.action}). Give it to the bot’s role there; the member can then try again.`,
      );
    }
    const all = listOf(names.map((n) => `**${n}**`));
    return new TicketNotOpenedError(
      `Your ticket could not be created: Deskwire needs the ${all} permissions ${where} and is missing at least one of them. Please ask the server staff to give the bot those permissions, then try again.`,
      `${who}: Deskwire needs the ${all} permissions ${where} (to ${need.action}) and is missing at least one of them. Give them to the bot’s role there (\`/status\` there names the missing ones); the member can then try again.`,
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
  const inCategory = step.kind === 'create_channel' || ('mode' in step && step.mode === 'channel');
  return inCategory ? `in the category ${channelLink(step.parentId)}` : `in ${channelLink(step.parentId)}`;
}

/** "A, B and C". */
const listOf = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
