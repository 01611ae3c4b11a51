import { GatewayEvent, deduplicationId } from '../../lambdas/shared/contracts/gateway-event';
import { dispatch } from './support/dispatches';
import { DISPATCH_MAPPERS, mapDispatch } from '../../gateway-task/src/dispatch-mappers';
import guildCreate from '../fixtures/gateway/guild-create.json';
import guildDeleteRemoved from '../fixtures/gateway/guild-delete-removed.json';
import guildDeleteUnavailable from '../fixtures/gateway/guild-delete-unavailable.json';
import messageCreate from '../fixtures/gateway/message-create.json';
import ready from '../fixtures/gateway/ready.json';

const ctx = { at: 1_763_719_000_000, shardId: 0 };

describe('gateway dispatch → contract event mapping', () => {
  it('maps GUILD_CREATE to guild.create with owner and join time', () => {
    const event = mapDispatch(guildCreate, ctx);
    expect(event).toEqual({
      type: 'guild.create',
      guildId: '1100000000000000001',
      ownerId: '1100000000000000002',
      joinedAt: '2026-11-21T10:15:30.123000+00:00',
      at: ctx.at,
    });
    expect(GatewayEvent.safeParse(event).success).toBe(true);
  });

  it('maps GUILD_DELETE to guild.delete, telling an outage from a removal', () => {
    expect(mapDispatch(guildDeleteUnavailable, ctx)).toEqual({ type: 'guild.delete', guildId: '1100000000000000001', unavailable: true, at: ctx.at });
    expect(mapDispatch(guildDeleteRemoved, ctx)).toEqual({ type: 'guild.delete', guildId: '1100000000000000001', unavailable: false, at: ctx.at });
  });

  it('skips a GUILD_CREATE for a guild that is still unavailable (no owner, no join time)', () => {
    expect(mapDispatch({ op: 0, t: 'GUILD_CREATE', s: 3, d: { id: '1100000000000000001', unavailable: true } }, ctx)).toBeNull();
  });

  it('drops every dispatch without a mapper, and non-dispatch packets', () => {
    expect(mapDispatch(messageCreate, ctx)).toBeNull();
    expect(mapDispatch(ready, ctx)).toBeNull();
    expect(mapDispatch({ op: 11, t: null, s: null, d: null }, ctx)).toBeNull();
    expect(mapDispatch({ op: 0, t: 'GUILD_DELETE', s: 1, d: null }, ctx)).toBeNull();
  });

  it('forwards exactly the dispatches the contract has events for', () => {
    expect(Object.keys(DISPATCH_MAPPERS).sort()).toEqual([
      'CHANNEL_DELETE',
      'GUILD_CREATE',
      'GUILD_DELETE',
      'GUILD_MEMBER_REMOVE',
      'MESSAGE_CREATE',
      'MESSAGE_DELETE',
      'MESSAGE_DELETE_BULK',
      'MESSAGE_UPDATE',
      'THREAD_DELETE',
      'THREAD_UPDATE',
    ]);
  });

  it('an update without edited_timestamp is an unfurl: embeds only, its own deduplication id; an unfurl of an edit is not a replay of it', () => {
    const tickets = { has: () => true, hasOpener: () => false };
    const base = dispatch.messageCreate({ guildId: '1100000000000000001', channelId: '1100000000000000005', id: '1100000000000000009', content: 'see https://example.com' });
    const embed = { type: 'link', url: 'https://example.com' };
    const unfurl = mapDispatch({ t: 'MESSAGE_UPDATE', d: { ...base.d, edited_timestamp: null, embeds: [embed] } }, { ...ctx, tickets });
    expect(unfurl).toEqual({ type: 'message.update', guildId: '1100000000000000001', channelId: '1100000000000000005', messageId: '1100000000000000009', editedAt: ctx.at, embeds: [embed], unfurl: true, at: ctx.at });
    expect(GatewayEvent.safeParse(unfurl).success).toBe(true);

    const editedAt = '2026-11-21T10:20:00.000000+00:00';
    const edit = mapDispatch({ t: 'MESSAGE_UPDATE', d: { ...base.d, content: 'see https://example.org', edited_timestamp: editedAt, embeds: [] } }, { ...ctx, tickets })!;
    const editUnfurl = mapDispatch({ t: 'MESSAGE_UPDATE', d: { ...base.d, content: 'see https://example.org', edited_timestamp: editedAt, embeds: [{ type: 'link', url: 'https://example.org' }] } }, { ...ctx, at: ctx.at + 900, tickets })!;
    expect(edit).toMatchObject({ editedAt: Date.parse(editedAt), content: 'see https://example.org' });
    expect(edit).not.toHaveProperty('unfurl');
    const ids = [unfurl!, edit, editUnfurl].map(deduplicationId);
    expect(new Set(ids).size).toBe(3);
    // A replay of the same dispatch keeps its id (SQS drops it).
    expect(deduplicationId(mapDispatch({ t: 'MESSAGE_UPDATE', d: { ...base.d, content: 'see https://example.org', edited_timestamp: editedAt, embeds: [] } }, { ...ctx, at: ctx.at + 5, tickets })!)).toBe(ids[1]);
  });

  it('a lock keeping the archive timestamp is not taken for a duplicate of the archive', () => {
    const tickets = { has: () => true, hasOpener: () => false };
    const o = { guildId: '1100000000000000001', id: '1100000000000000005', parentId: '1100000000000000006', archivedAt: '2026-11-21T10:20:00.000000+00:00' };
    const archived = mapDispatch(dispatch.threadUpdate({ ...o, archived: true, locked: false }), { ...ctx, tickets })!;
    const locked = mapDispatch(dispatch.threadUpdate({ ...o, archived: true, locked: true }), { ...ctx, at: ctx.at + 1, tickets })!;
    expect(locked).toMatchObject({ type: 'channel.archive', locked: true });
    expect(deduplicationId(archived)).not.toBe(deduplicationId(locked));
  });
});
