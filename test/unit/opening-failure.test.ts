import { DiscordActionError } from '../../lambdas/shared/errors';
import { GuildChannelCapError } from '../../lambdas/shared/ports/discord';
import { describeRefusal, isRefusal } from '../../lambdas/shared/tickets/opening-failure';

const refused = (code: number) => new DiscordActionError('Discord said no.', code);

describe('what a member and the staff are told when Discord refuses a step of opening', () => {
  it('names the permission and where, by step: threads take theirs from the parent, channels from the category', () => {
    expect(describeRefusal(refused(50013), { kind: 'create_thread', parentId: '1' }, 'u')).toMatchObject({
      message: 'Your ticket could not be created: Deskwire is missing the **Create Private Threads** permission in <#1>. Please ask the server staff to give the bot that permission, then try again.',
      staffLine: '⚠️ <@u> could not open a ticket: Deskwire is missing the **Create Private Threads** permission in <#1> (needed to create the private ticket thread). Give it to the bot’s role there; the member can then try again.',
    });
    expect(describeRefusal(refused(50013), { kind: 'add_opener', parentId: '1' }, 'u').message).toContain('**Send Messages in Threads** permission in <#1>');
    expect(describeRefusal(refused(50013), { kind: 'welcome', mode: 'channel', parentId: '2' }, 'u').message).toContain('**Send Messages** permission in the category <#2>');
    // Creating a channel needs several: all of them are named, none guessed.
    expect(describeRefusal(refused(50013), { kind: 'create_channel', parentId: '2' }, 'u')).toMatchObject({
      message:
        'Your ticket could not be created: Deskwire needs the **View Channels**, **Send Messages**, **Manage Channels**, **Manage Roles**, **Embed Links**, **Attach Files** and **Read Message History** permissions in the category <#2> and is missing at least one of them. Please ask the server staff to give the bot those permissions, then try again.',
      staffLine:
        '⚠️ <@u> could not open a ticket: Deskwire needs the **View Channels**, **Send Messages**, **Manage Channels**, **Manage Roles**, **Embed Links**, **Attach Files** and **Read Message History** permissions in the category <#2> (to create the ticket channel) and is missing at least one of them. Give them to the bot’s role there (`/status` there names the missing ones); the member can then try again.',
    });
    // Looking for an earlier welcome reads the channel's history.
    expect(describeRefusal(refused(50013), { kind: 'find_welcome', mode: 'thread', parentId: '1' }, 'u').staffLine).toContain('missing the **Read Message History** permission in <#1> (needed to check the ticket for a welcome message posted earlier)');
    expect(describeRefusal(refused(50013), { kind: 'find_welcome', mode: 'channel', parentId: '2' }, 'u').message).toContain('**Read Message History** permission in the category <#2>');
    // Missing Access: the bot cannot see the channel at all.
    expect(describeRefusal(refused(50001), { kind: 'create_thread', parentId: '1' }, 'u').message).toContain('**View Channels** permission in <#1>');
  });

  it('says what else happened: the member left, a channel went away, a cap was reached', () => {
    expect(describeRefusal(refused(10007), { kind: 'add_opener', parentId: '1' }, 'u').message).toBe('You are no longer a member of this server, so your ticket was cancelled.');
    expect(describeRefusal(refused(10003), { kind: 'welcome', mode: 'thread', parentId: '1' }, 'u').message).toBe('Your ticket’s channel was deleted while it was being set up, so it was cancelled. Please open a new one.');
    expect(describeRefusal(refused(10003), { kind: 'create_thread', parentId: '1' }, 'u')).toMatchObject({
      message: 'Your ticket could not be created: the channel tickets are opened in no longer exists. Please ask the server staff to run `/setup` again.',
      staffLine: '⚠️ <@u> could not open a ticket: the channel set for tickets (<#1>) no longer exists. Run `/setup` to choose another.',
    });
    expect(describeRefusal(refused(160006), { kind: 'create_thread', parentId: '1' }, 'u').message).toMatch(/limit of active threads.*The staff have been told\.$/);
    expect(describeRefusal(new GuildChannelCapError('full'), { kind: 'create_channel', parentId: '2' }, 'u').message).toMatch(/limit of 500 channels.*The staff have been told\.$/);
    expect(describeRefusal(refused(30033), { kind: 'add_opener', parentId: '1' }, 'u').message).toBe('Your ticket could not be created: Discord said no.');
  });

  it('only Discord’s final answers are refusals; outages are retried', () => {
    expect(isRefusal(refused(50013))).toBe(true);
    expect(isRefusal(new GuildChannelCapError('full'))).toBe(true);
    expect(isRefusal(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))).toBe(false);
  });
});
