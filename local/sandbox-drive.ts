import type { IncomingMessage, ServerResponse } from 'node:http';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ApplicationCommandOptionType, type APIApplicationCommand, type APIApplicationCommandBasicOption, type APIMessage } from 'discord-api-types/v10';
import { deduplicationId, GatewayEvent, messageGroupId } from '../lambdas/shared/contracts/gateway-event';
import { DynamoTicketLogStore } from '../lambdas/shared/adapters/dynamo-ticket-log-store';
import { DynamoTicketStore } from '../lambdas/shared/adapters/dynamo-ticket-store';
import { mapMessageCreate } from '../gateway-task/src/dispatch-mappers';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDocumentClient } from './aws/provision';
import { commandInteraction, componentInteraction, option, type DiscordEmulator, type OptionInput } from './discord';
import { findMessage } from './discord/messages';
import type { SandboxWorld } from './sandbox';
import type { LocalStack } from './stack';

/** Who runs a sandbox command or presses a button. */
export type SandboxActor = 'owner' | 'member' | 'staff';

const LOADING = 128; // message flag "Loading" (the "thinking…" placeholder of a deferred reply)

/** The final answer to one signed interaction: the HTTP reply, then the worker's edit when deferred. */
export interface SandboxAnswer {
  status: number;
  ackMs: number;
  /** Interaction response type of the HTTP reply (4 inline, 5 deferred, 6 deferred update, 7 update, 9 modal). */
  type?: number;
  deferred: boolean;
  message?: APIMessage;
  /** A deferred answer that the worker did not give in time (see the worker's log, or the DLQ). */
  timedOut?: boolean;
}

export const actorId = (world: SandboxWorld, as: SandboxActor = 'owner'): string => {
  if (as === 'member') return world.memberId;
  if (as === 'staff') {
    if (!world.staffId) throw new Error('This sandbox has no staff member.');
    return world.staffId;
  }
  return world.userId;
};

/**
 * Sends a signed interaction as Discord would and waits for what the user finally sees: the inline
 * reply, or the worker's edit of the deferred reply (type 5) or of the message a component was on (type 6).
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
 */
export async function sendAndAwait(emulator: DiscordEmulator, payload: Record<string, any>, timeoutMs = 10_000): Promise<SandboxAnswer> {
  const editedBefore = (payload.message as APIMessage | undefined)?.edited_timestamp ?? null;
  const sent = await emulator.sendInteraction(payload);
  const type = (sent.body as { type?: number } | undefined)?.type;
  const answer = { status: sent.status, ackMs: sent.latencyMs, type, deferred: type === 5 || type === 6 };
  const settled = async (done: (m: APIMessage | undefined) => boolean) => {
    const message = await emulator.waitFor(() => {
      const m = emulator.originalMessage(payload.id as string);
      return m && done(m) ? m : undefined;
    }, timeoutMs).catch(() => undefined);
    return message ? { ...answer, message } : { ...answer, timedOut: true };
  };
  if (type === 5) return settled((m) => ((m?.flags ?? 0) & LOADING) === 0);
  if (type === 6) return settled((m) => Boolean(m?.edited_timestamp && m.edited_timestamp !== editedBefore));
  return { ...answer, message: emulator.originalMessage(payload.id as string) };
}

/**
 * Sends a slash command (`"ticket open"` = command + subcommand) as the sandbox owner, member or
 * staff member in #support (or `channelId`), signed like Discord, and waits for its final answer.
 */
export async function runSandboxCommand(
  emulator: DiscordEmulator,
  world: SandboxWorld,
  command: string,
  opts: { as?: SandboxActor; options?: OptionInput[]; channelId?: string; timeoutMs?: number } = {},
): Promise<SandboxAnswer> {
  const [name, sub] = command.split(' ');
  const options = sub ? [option.subcommand(sub, opts.options ?? [])] : (opts.options ?? []);
  const ctx = emulator.interactionContext({ guildId: world.guild.id, channelId: opts.channelId ?? world.channelId, userId: actorId(world, opts.as) });
  return sendAndAwait(emulator, commandInteraction({ ...ctx, name, options }), opts.timeoutMs);
}

/** Presses a button (`customId`) on `message` in `channelId` as the given sandbox user. */
export async function pressSandboxComponent(
  emulator: DiscordEmulator,
  world: SandboxWorld,
  press: { customId: string; channelId: string; message?: APIMessage; as?: SandboxActor; timeoutMs?: number },
): Promise<SandboxAnswer> {
  const ctx = emulator.interactionContext({ guildId: world.guild.id, channelId: press.channelId, userId: actorId(world, press.as) });
  return sendAndAwait(emulator, componentInteraction({ ...ctx, customId: press.customId, message: press.message }), press.timeoutMs);
}

/** Publishes a gateway event the way the gateway task does (same contract, group and dedup ids). */
export async function publishGatewayEvent(stack: LocalStack, event: GatewayEvent): Promise<void> {
  const sqs = new SQSClient({ endpoint: stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const body = GatewayEvent.parse(event);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queues.events.url, MessageBody: JSON.stringify(body), MessageGroupId: messageGroupId(body), MessageDeduplicationId: deduplicationId(body) }),
    );
  } finally {
    sqs.destroy();
  }
}

/**
 * A user writes in a channel: the message is posted in the emulator (Discord's history) and the
 * gateway's MESSAGE_CREATE is mapped and published to events.fifo exactly as the gateway task does.
 */
export async function writeSandboxMessage(stack: LocalStack, emulator: DiscordEmulator, world: SandboxWorld, channelId: string, as: SandboxActor, content: string): Promise<APIMessage> {
  return postUserMessage(stack, emulator, { guildId: world.guild.id, channelId, authorId: actorId(world, as), content });
}

/** {@link writeSandboxMessage} for any user of the emulator (tests). */
export async function postUserMessage(stack: LocalStack, emulator: DiscordEmulator, m: { guildId: string; channelId: string; authorId: string; content: string }): Promise<APIMessage> {
  const message = emulator.postMessage(m.channelId, m.authorId, { content: m.content });
  const event = mapMessageCreate({ ...message, guild_id: m.guildId } as never, { at: Date.now(), shardId: 0, tickets: { has: () => true, hasOpener: () => true } });
  if (event) await publishGatewayEvent(stack, event);
  return message;
}

/** Custom ids (`dw1:…`) of a message's components. */
export const customIdsOf = (message: APIMessage | undefined): string[] => JSON.stringify(message?.components ?? []).match(/dw1:[^"]+/g) ?? [];

/** The first link button's URL of a message. */
export const linkOf = (message: APIMessage | undefined): string | undefined => /"url":"([^"]+)"/.exec(JSON.stringify(message?.components ?? []))?.[1];

/** Renders a message as plain text for the terminal. */
export function describeMessage(m: APIMessage | undefined): string {
  if (!m) return '(no message)';
  const lines: string[] = [];
  if (m.content) lines.push(m.content);
  for (const e of m.embeds ?? []) {
    if (e.title) lines.push(`┃ ${e.title}`);
    if (e.description) lines.push(`┃ ${e.description}`);
    for (const f of e.fields ?? []) lines.push(`┃ ${f.name}: ${f.value.replace(/\n/g, '\n┃   ')}`);
  }
  const buttons = customIdsOf(m);
  if (buttons.length) lines.push(`[buttons: ${buttons.join('  ')}]`);
  return lines.join('\n');
}

/** A 400 from the sandbox driver: what was wrong and what to send instead. */
export class SandboxRequestError extends Error {}

const USAGE =
  'Send {"name":"<command> [subcommand]","as":"owner"|"member"|"staff","channel":"<ticket number or channel id>","options":{"<name>":<value>}} ' +
  'or {"component":"<custom_id>","message":"<message id>","channel":"<ticket number or channel id>","as":…}, e.g. {"name":"ticket close","as":"staff","channel":"1","options":{"reason":"done"}}.';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The option types the sandbox can fill from JSON. @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-type */
const OPTION_KIND: Partial<Record<ApplicationCommandOptionType, string>> = {
  [ApplicationCommandOptionType.String]: 'text',
  [ApplicationCommandOptionType.Integer]: 'a whole number',
  [ApplicationCommandOptionType.Number]: 'a number',
  [ApplicationCommandOptionType.Boolean]: 'true or false',
  [ApplicationCommandOptionType.User]: 'a user ("<@id>" or the id)',
  [ApplicationCommandOptionType.Channel]: 'a channel ("<#id>" or the id)',
  [ApplicationCommandOptionType.Role]: 'a role ("<@&id>" or the id)',
  [ApplicationCommandOptionType.Mentionable]: 'a user or role ("<@id>", "<@&id>")',
};

/**
 * Option values from JSON, typed by the command's registered definition (`commands/definitions.ts`,
 * as registered to the sandbox server) — as Discord types them, never guessed from the JSON value:
 * `{"number": 1}` on a string option is the text "1", `"3"` on an integer option is 3. Users,
 * channels and roles are resolved from the emulator, as Discord sends them. An option the command
 * does not have, or a value that does not fit, is a 400 naming what it takes.
 */
export function optionsFrom(emulator: DiscordEmulator, guildId: string, command: Pick<APIApplicationCommand, 'name' | 'options'>, sub: string | undefined, raw: unknown): OptionInput[] {
  const label = `/${command.name}${sub ? ` ${sub}` : ''}`;
  const subcommand = sub ? command.options?.find((o) => o.type === ApplicationCommandOptionType.Subcommand && o.name === sub) : undefined;
  if (sub && !subcommand) throw new SandboxRequestError(`/${command.name} has no subcommand "${sub}".`);
  const declared = ((subcommand && 'options' in subcommand ? subcommand.options : sub ? [] : command.options) ?? []) as APIApplicationCommandBasicOption[];
  if (raw === undefined) return [];
  if (!isObject(raw)) throw new SandboxRequestError('"options" must be an object of option name → value.');
  return Object.entries(raw).map(([name, value]) => {
    const def = declared.find((o) => o.name === name);
    if (!def) throw new SandboxRequestError(`${label} has no option "${name}"${declared.length ? `; it takes: ${declared.map((o) => o.name).join(', ')}` : ''}.`);
    const wrong = () => new SandboxRequestError(`Option "${name}" of ${label} must be ${OPTION_KIND[def.type] ?? 'something the sandbox cannot send'}.`);
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
    if (text === null) throw wrong();
    switch (def.type) {
      case ApplicationCommandOptionType.String:
        return option.string(name, typeof value === 'string' ? value : text);
      case ApplicationCommandOptionType.Integer:
      case ApplicationCommandOptionType.Number: {
        const n = Number(text);
        if (text === '' || !Number.isFinite(n) || (def.type === ApplicationCommandOptionType.Integer && !Number.isInteger(n))) throw wrong();
        return def.type === ApplicationCommandOptionType.Integer ? option.integer(name, n) : option.number(name, n);
      }
      case ApplicationCommandOptionType.Boolean:
        if (text !== 'true' && text !== 'false') throw wrong();
        return option.boolean(name, text === 'true');
      case ApplicationCommandOptionType.User:
      case ApplicationCommandOptionType.Channel:
      case ApplicationCommandOptionType.Role:
      case ApplicationCommandOptionType.Mentionable: {
        const [, mentionPrefix, mentionId, bareId] = /^(?:<(@&|@!?|#)(\d{1,20})>|(\d{1,20}))$/.exec(text) ?? [];
        const prefix = mentionPrefix ?? '';
        const id = mentionId ?? bareId;
        if (!id) throw wrong();
        const user = prefix === '@&' || prefix === '#' ? undefined : emulator.state.users.get(id)?.user;
        const role = prefix === '@&' || prefix === '' ? emulator.state.guilds.get(guildId)?.roles.find((r) => r.id === id) : undefined;
        const channel = prefix === '#' || prefix === '' ? emulator.state.channels.get(id) : undefined;
        if (def.type === ApplicationCommandOptionType.Channel) {
          if (!channel) throw new SandboxRequestError(`Option "${name}": no channel ${id} in the sandbox.`);
          return option.channel(name, { id, type: channel.type, name: channel.name ?? 'channel' });
        }
        if (def.type !== ApplicationCommandOptionType.Role && user) return option.user(name, user);
        if (def.type !== ApplicationCommandOptionType.User && role) return option.role(name, role);
        const what = def.type === ApplicationCommandOptionType.User ? 'user' : def.type === ApplicationCommandOptionType.Role ? 'role' : 'user or role';
        throw new SandboxRequestError(`Option "${name}": no ${what} ${id} in the sandbox${what === 'user' ? '' : ' server'}.`);
      }
      default:
        throw wrong();
    }
  });
}

/** `"channel"`: a ticket number (its thread or channel) or a channel id of the sandbox server; #support when absent. */
async function channelFrom(emulator: DiscordEmulator, world: SandboxWorld, stack: LocalStack, raw: unknown): Promise<string> {
  if (raw === undefined) return world.channelId;
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text)) throw new SandboxRequestError('"channel" must be a ticket number or a channel id.');
  if (text.length <= 9) {
    const db = localDocumentClient(stack.endpoints);
    try {
      const ticket = await new DynamoTicketStore(db, stack.resources.tableName).getTicket(world.guild.id, Number(text));
      if (!ticket?.channelId) throw new SandboxRequestError(`There is no ticket #${text} with a thread or channel in the sandbox server.`);
      return ticket.channelId;
    } finally {
      db.destroy();
    }
  }
  const channel = emulator.state.channels.get(text);
  if (!channel || channel.guild_id !== world.guild.id) throw new SandboxRequestError(`There is no channel ${text} in the sandbox server.`);
  return text;
}

/**
 * `POST /sandbox/command` — drive the sandbox from curl: a slash command (`name`, `options`) or a
 * button press (`component`, `message`), as the owner, the member or the staff member, in #support
 * or a ticket (`channel`). Bad bodies get a 400 that says what to send.
 */
export function sandboxCommandRoute(emulator: DiscordEmulator, world: SandboxWorld, stack: () => LocalStack | undefined) {
  return async (_req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const reply = (status: number, value: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value, null, 2));
    const local = stack();
    if (!local) return reply(503, { error: 'starting', message: 'The sandbox is still starting; try again in a moment.' });
    try {
      let request: unknown;
      try {
        request = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        throw new SandboxRequestError(`The body is not JSON. ${USAGE}`);
      }
      if (!isObject(request)) throw new SandboxRequestError(`The body must be a JSON object. ${USAGE}`);
      const { name, as, component, message: messageId } = request;
      if (as !== undefined && as !== 'owner' && as !== 'member' && as !== 'staff') throw new SandboxRequestError('"as" must be "owner", "member" or "staff".');
      const channelId = await channelFrom(emulator, world, local, request.channel);
      let answer: SandboxAnswer;
      if (component !== undefined) {
        if (typeof component !== 'string' || !component.startsWith('dw1:')) throw new SandboxRequestError('"component" must be a custom_id ("dw1:…") shown under a message\'s buttons.');
        if (messageId !== undefined && (typeof messageId !== 'string' || !/^\d{1,20}$/.test(messageId))) throw new SandboxRequestError('"message" must be a message id.');
        const message = messageId ? findMessage(emulator.model, channelId, messageId) : undefined;
        if (messageId && !message) throw new SandboxRequestError(`There is no message ${messageId} in that channel.`);
        answer = await pressSandboxComponent(emulator, world, { customId: component, channelId, message, as });
      } else {
        if (typeof name !== 'string' || !/^[\w-]{1,32}( [\w-]{1,32})?$/.test(name)) throw new SandboxRequestError(`"name" must be a command, with its subcommand if it has one. ${USAGE}`);
        const registered = [...(emulator.state.commands.guild.get(world.guild.id)?.values() ?? [])].find((c) => c.name === name.split(' ')[0]);
        if (!registered) throw new SandboxRequestError(`There is no command /${name.split(' ')[0]} in the sandbox server.`);
        answer = await runSandboxCommand(emulator, world, name, { as, channelId, options: optionsFrom(emulator, world.guild.id, registered, name.split(' ')[1], request.options) });
      }
      reply(200, { ...answer, text: describeMessage(answer.message) });
    } catch (err) {
      if (err instanceof SandboxRequestError) return reply(400, { error: 'bad_request', message: err.message });
      throw err;
    }
  };
}

/** How many messages the events λ has logged for a ticket channel (what a close must wait for to include them). */
export async function liveLogCount(stack: LocalStack, guildId: string, channelId: string): Promise<number> {
  const db = localDocumentClient(stack.endpoints);
  try {
    return (await new DynamoTicketLogStore(db, stack.resources.tableName).list(guildId, channelId)).length;
  } finally {
    db.destroy();
  }
}
