import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIMessage } from 'discord-api-types/v10';
import { DynamoTicketStore } from '../../lambdas/shared/adapters/dynamo-ticket-store';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { newCategory, type Category } from '../../lambdas/shared/tickets/model';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/provision';
import { commandInteraction, option, type OptionInput } from '../../local/discord';
import type { E2E } from './stack';

/** Data access for assertions (the real store, the real table). */
export function ticketData(e: E2E) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: e.stack.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = new DynamoTicketStore(db, e.stack.resources.tableName);
  return {
    db,
    store,
    blacklist: (guildId: string, userId: string, reason: string | null = null) =>
      db.send(new PutCommand({ TableName: e.stack.resources.tableName, Item: { ...Keys.blacklist(guildId, userId), reason } })),
    /** Creates the category, or replaces the fields of a live one with that id. */
    category: async (guildId: string, partial: Partial<Category> & { id: string; name: string }) => {
      const category = newCategory({ createdAt: Date.now(), ...partial });
      if (!(await store.createCategory(guildId, category)) && !(await store.saveCategory(guildId, category))) throw new Error(`category ${partial.id} was deleted: ids are never reused`);
    },
    destroy: () => db.destroy(),
  };
}

/** Sends a slash command as `userId` in `channelId`. */
export async function runCommand(e: E2E, userId: string, name: string, options: OptionInput[] = [], channelId = e.world.channelId) {
  const payload = commandInteraction({ ...e.discord.interactionContext({ guildId: e.world.guild.id, channelId, userId }), name, options });
  const res = await e.discord.sendInteraction(payload);
  return { payload, res };
}

/** The deferred reply after the worker's edit (the "thinking…" placeholder has flag 128). */
export const finalReply = (e: E2E, interactionId: string, timeoutMs = 10_000): Promise<APIMessage> =>
  e.discord.waitFor(() => {
    const m = e.discord.originalMessage(interactionId);
    return m && ((m.flags ?? 0) & 128) === 0 ? m : undefined;
  }, timeoutMs);

/** `/setup` in thread mode under the world's support channel, staff = the Support role. */
export async function setupThreadMode(e: E2E, extra: OptionInput[] = []) {
  const support = e.discord.state.channels.get(e.world.channelId)!;
  const role = e.discord.state.guilds.get(e.world.guild.id)!.roles.find((r) => r.id === e.world.guild.supportRoleId)!;
  return runCommand(e, e.world.userId, 'setup', [option.role('staff_role', role), option.channel('support_channel', { id: support.id, type: 0, name: support.name ?? 'support' }), ...extra]);
}

/** A plain member (no roles) of the world's guild. */
export function newMember(e: E2E, username = `member${Math.floor(Math.random() * 1e6)}`) {
  const user = e.discord.createUser({ username });
  e.discord.addMember(e.world.guild.id, user.id, []);
  return user.id;
}
