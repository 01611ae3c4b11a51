import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIMessage } from 'discord-api-types/v10';
import { Keys } from '../../lambdas/shared/adapters/keys';
import type { GuildSettings, Ticket } from '../../lambdas/shared/tickets/model';
import { componentInteraction, modalSubmitInteraction, option, type OptionInput } from '../../local/discord';
import type { E2E } from './stack';
import { finalReply, newMember, runCommand, setupThreadMode, ticketData } from './tickets';

type Body = { type: number; data?: { content?: string; flags?: number; components?: unknown[]; embeds?: unknown[]; custom_id?: string } };

/** Helpers for working and closing tickets through signed interactions. */
export function ticketWork(e: E2E, data: ReturnType<typeof ticketData>) {
  const guildId = e.world.guild.id;
  const content = (res: { body: unknown }) => (res.body as Body).data?.content;

  return {
    guildId,
    content,
    /** `/setup` in thread mode with a log channel; returns the log channel id. */
    async setup(extra: Partial<GuildSettings> = {}) {
      const log = e.discord.createChannel(guildId, { name: 'ticket-log', parentId: e.world.guild.textCategoryId });
      await setupThreadMode(e, [option.channel('log_channel', { id: log.id, type: 0, name: 'ticket-log' })]);
      await this.settings({ closeDelaySeconds: 0, ...extra });
      return log.id;
    },
    async settings(change: Partial<GuildSettings>) {
      const current = (await data.store.getSettings(guildId))!;
      await data.store.saveSettings(guildId, { ...current, ...change });
    },
    /** A member with the guild's Support (staff) role. */
    staff(name = `staff${Math.floor(Math.random() * 1e6)}`) {
      const user = e.discord.createUser({ username: name });
      e.discord.addMember(guildId, user.id, [e.world.guild.supportRoleId!]);
      return user.id;
    },
    member: (name?: string) => newMember(e, name),
    /** Opens a ticket as `userId` (optionally in a category) and waits until it is ready. */
    async open(userId: string, category = 'general'): Promise<Ticket & { channelId: string }> {
      const { payload } = await runCommand(e, userId, 'ticket', [option.subcommand('open', [option.string('category', category)])]);
      const reply = await finalReply(e, payload.id);
      const channelId = /<#(\d+)>/.exec(reply.content)?.[1];
      if (!channelId) throw new Error(`ticket not opened: ${reply.content}`);
      return (await data.store.ticketByChannel(channelId)) as Ticket & { channelId: string };
    },
    /** `/ticket <sub> …` inside `channelId`. */
    ticket: (userId: string, channelId: string, sub: string, options: OptionInput[] = []) => runCommand(e, userId, 'ticket', [option.subcommand(sub, options)], channelId),
    /** A button press by `userId` on `message` (or a placeholder message) in `channelId`. */
    async press(userId: string, channelId: string, customId: string, message?: APIMessage) {
      const payload = componentInteraction({ ...e.discord.interactionContext({ channelId, userId }), customId, message });
      const res = await e.discord.sendInteraction(payload);
      return { payload, res };
    },
    async submit(userId: string, channelId: string, customId: string, fields: Record<string, string>, message?: APIMessage) {
      const payload = modalSubmitInteraction({ ...e.discord.interactionContext({ channelId, userId }), customId, fields, message });
      const res = await e.discord.sendInteraction(payload);
      return { payload, res };
    },
    /** The worker's final answer to a deferred interaction. */
    done: (interactionId: string) => finalReply(e, interactionId),
    /** A public deferral's failure: the placeholder deleted, the error an ephemeral follow-up (returned). */
    privateFailure: (interactionId: string) =>
      e.discord.waitFor(() => {
        const [followUp] = e.discord.followUps(interactionId);
        return followUp && !e.discord.originalMessage(interactionId) ? followUp : undefined;
      }, 10_000),
    /** The worker's edit of the message a deferred update (type 6) pointed `@original` at. */
    edited: (interactionId: string) =>
      e.discord.waitFor(() => {
        const m = e.discord.originalMessage(interactionId);
        return m?.edited_timestamp ? m : undefined;
      }, 10_000),
    get: (n: number) => data.store.getTicket(guildId, n) as Promise<Ticket>,
    welcome: (t: Pick<Ticket, 'channelId' | 'welcomeMessageId'>) => e.discord.messagesIn(t.channelId!).find((m) => m.id === t.welcomeMessageId)!,
    field: (message: APIMessage, name: string) => message.embeds[0]?.fields?.find((f) => f.name === name)?.value,
    customIds: (message: APIMessage | undefined) => JSON.stringify(message?.components ?? []).match(/dw1:[^"]+/g) ?? [],
    /** The opener's per-category slot item (open ticket numbers, last open time). */
    async slot(userId: string, categoryId = 'general') {
      return (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.memberCategory(guildId, userId, categoryId), ConsistentRead: true }))).Item;
    },
    /** Moves a ticket's close time back (the window tests cannot wait for). */
    async closedHoursAgo(n: number, hours: number) {
      await data.db.send(
        new UpdateCommand({ TableName: e.stack.resources.tableName, Key: Keys.ticket(guildId, n), UpdateExpression: 'SET closedAt = :t', ExpressionAttributeValues: { ':t': Date.now() - hours * 3_600_000 } }),
      );
    },
    dmsOf: (userId: string) => {
      const dm = e.discord.state.dmChannels.get(userId);
      return dm ? e.discord.messagesIn(dm) : [];
    },
    dmChannelOf: (userId: string) => e.discord.state.dmChannels.get(userId)!,
  };
}
