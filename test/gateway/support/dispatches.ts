import messageCreateFixture from '../../fixtures/gateway/message-create.json';
import readyFixture from '../../fixtures/gateway/ready.json';

/** The bot user of the READY fixture (what the fake gateway reports unless told otherwise). */
export const FIXTURE_BOT_ID = readyFixture.d.user.id;

let seq = 1_300_000_000_000_000_000n + BigInt(process.pid) * 10_000_000n;
/** A fresh snowflake, unique across the test files running in parallel. */
export const nextId = () => String(seq++);

/**
 * Gateway dispatch packets in Discord's shapes, built from the MESSAGE_CREATE fixture and the
 * documented payloads.
 *
 * @see https://discord.com/developers/docs/events/gateway-events#receive-events
 */
export const dispatch = {
  messageCreate(o: { guildId: string; channelId: string; id?: string; authorId?: string; username?: string; content: string; bot?: boolean; components?: unknown[]; mentions?: unknown[] }) {
    const d = messageCreateFixture.d;
    return {
      t: 'MESSAGE_CREATE',
      d: {
        ...d,
        id: o.id ?? nextId(),
        guild_id: o.guildId,
        channel_id: o.channelId,
        content: o.content,
        author: { ...d.author, id: o.authorId ?? d.author.id, username: o.username ?? d.author.username, ...(o.bot ? { bot: true } : {}) },
        components: o.components ?? [],
        mentions: o.mentions ?? [],
      },
    };
  },
  messageUpdate(o: { guildId: string; channelId: string; id: string; content: string; editedAt: string }) {
    const { d } = dispatch.messageCreate({ guildId: o.guildId, channelId: o.channelId, id: o.id, content: o.content });
    return { t: 'MESSAGE_UPDATE', d: { ...d, edited_timestamp: o.editedAt } };
  },
  messageDelete: (o: { guildId: string; channelId: string; id: string }) => ({ t: 'MESSAGE_DELETE', d: { id: o.id, channel_id: o.channelId, guild_id: o.guildId } }),
  messageDeleteBulk: (o: { guildId: string; channelId: string; ids: string[] }) => ({ t: 'MESSAGE_DELETE_BULK', d: { ids: o.ids, channel_id: o.channelId, guild_id: o.guildId } }),
  threadCreate: (o: { guildId: string; id: string; parentId: string; ownerId: string; name?: string }) => ({
    t: 'THREAD_CREATE',
    d: {
      id: o.id, guild_id: o.guildId, parent_id: o.parentId, owner_id: o.ownerId, type: 12, name: o.name ?? 'ticket-0001', last_message_id: null, flags: 0,
      rate_limit_per_user: 0, member_count: 1, message_count: 0, total_message_sent: 0, newly_created: true,
      thread_metadata: { archived: false, auto_archive_duration: 10080, archive_timestamp: new Date().toISOString(), locked: false, invitable: false },
    },
  }),
  threadUpdate(o: { guildId: string; id: string; parentId: string; archived: boolean; locked: boolean; archivedAt: string }) {
    const { d } = dispatch.threadCreate({ guildId: o.guildId, id: o.id, parentId: o.parentId, ownerId: FIXTURE_BOT_ID });
    return { t: 'THREAD_UPDATE', d: { ...d, newly_created: undefined, thread_metadata: { ...d.thread_metadata, archived: o.archived, locked: o.locked, archive_timestamp: o.archivedAt } } };
  },
  threadDelete: (o: { guildId: string; id: string; parentId: string }) => ({ t: 'THREAD_DELETE', d: { id: o.id, guild_id: o.guildId, parent_id: o.parentId, type: 12 } }),
  channelCreate: (o: { guildId: string; id: string; overwrites: Array<{ id: string; type: number; allow?: string; deny?: string }> }) => ({
    t: 'CHANNEL_CREATE',
    d: { id: o.id, guild_id: o.guildId, type: 0, name: 'ticket-0002', position: 0, parent_id: null, nsfw: false, flags: 0, permission_overwrites: o.overwrites.map((w) => ({ allow: '1024', deny: '0', ...w })) },
  }),
  channelDelete: (o: { guildId: string; id: string }) => ({ t: 'CHANNEL_DELETE', d: { id: o.id, guild_id: o.guildId, type: 0, name: 'ticket-0002', position: 0, permission_overwrites: [] } }),
  memberRemove: (o: { guildId: string; userId: string }) => ({
    t: 'GUILD_MEMBER_REMOVE',
    d: { guild_id: o.guildId, user: { id: o.userId, username: 'someone', discriminator: '0', global_name: 'Someone', avatar: null } },
  }),
};
