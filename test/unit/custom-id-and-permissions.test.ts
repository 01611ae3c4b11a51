import { PermissionFlagsBits } from 'discord-api-types/v10';
import { buildCustomId, parseCustomId } from '../../lambdas/shared/custom-id';
import { missingBotPermissions, permissionsFor, REQUIRED_BOT_PERMISSIONS } from '../../lambdas/shared/domain/permissions';
import { BOT_ALLOW, MEMBER_ALLOW } from '../../lambdas/shared/contracts/ticket-channel';

describe('custom_id scheme', () => {
  it('round-trips action and arguments', () => {
    const id = buildCustomId('ticket-close', '42', 'confirm');
    expect(id).toBe('dw1:ticket-close:42:confirm');
    expect(parseCustomId(id)).toEqual({ action: 'ticket-close', args: ['42', 'confirm'] });
  });

  it('treats foreign or old-version ids as stale (null)', () => {
    expect(parseCustomId('dw0:ticket-close:1')).toBeNull();
    expect(parseCustomId('some-other-bot')).toBeNull();
    expect(parseCustomId('dw1:')).toBeNull();
  });

  it('refuses ids Discord would reject or we could not parse back', () => {
    expect(() => buildCustomId('a', 'x'.repeat(100))).toThrow(/longer than 100/);
    expect(() => buildCustomId('a', 'b:c')).toThrow(/may not contain/);
  });
});

describe('bot permission check', () => {
  it('lists every required permission missing from app_permissions, with the reason', () => {
    const all = REQUIRED_BOT_PERMISSIONS.reduce((acc, p) => acc | p.bit, 0n);
    expect(missingBotPermissions(String(all))).toEqual([]);
    const withoutManageRoles = all & ~PermissionFlagsBits.ManageRoles;
    expect(missingBotPermissions(String(withoutManageRoles))).toEqual([{ name: 'Manage Roles', why: 'set who can see a ticket channel' }]);
  });

  it('treats Administrator as every permission and garbage as none', () => {
    expect(missingBotPermissions(String(PermissionFlagsBits.Administrator))).toEqual([]);
    expect(missingBotPermissions('not-a-number')).toHaveLength(REQUIRED_BOT_PERMISSIONS.length);
    expect(missingBotPermissions(null)).toHaveLength(REQUIRED_BOT_PERMISSIONS.length);
  });

  it('asks, for channel mode, for every bit a ticket channel grants the bot (Discord refuses granting a bit the bot lacks)', () => {
    const channelMode = permissionsFor(['channel']).reduce((acc, p) => acc | p.bit, 0n);
    expect(BOT_ALLOW & ~channelMode).toBe(0n);
    expect(MEMBER_ALLOW & ~channelMode).toBe(0n);
    expect(missingBotPermissions(String(channelMode), ['channel'])).toEqual([]);
    expect(missingBotPermissions(String(channelMode), ['thread']).map((p) => p.name)).toEqual(['Send Messages in Threads', 'Create Private Threads', 'Manage Threads']);
  });
});
