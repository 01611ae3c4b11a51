import { OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ALL_PERMISSIONS, applyOverwrites, computeBasePermissions, computePermissions, missingPermissionNames } from '../../local/discord';

const guildId = '100';
const roles = [
  { id: guildId, permissions: String(P.ViewChannel | P.SendMessages | P.ReadMessageHistory) },
  { id: '201', permissions: String(P.ManageMessages) }, // Support
  { id: '202', permissions: String(P.Administrator) },
];
const member = { guildId, ownerId: '1', userId: '300', roles };

describe('computePermissions (Discord permission-overwrite algorithm)', () => {
  it('ORs @everyone with the member roles at guild level', () => {
    expect(computeBasePermissions({ ...member, memberRoleIds: ['201'] })).toBe(P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.ManageMessages);
  });

  it('gives the owner and administrators every permission, overwrites notwithstanding', () => {
    const denyAll = [{ id: guildId, type: OverwriteType.Role, allow: '0', deny: String(ALL_PERMISSIONS) }];
    expect(computePermissions({ ...member, userId: '1', memberRoleIds: [], overwrites: denyAll })).toBe(ALL_PERMISSIONS);
    expect(computePermissions({ ...member, memberRoleIds: ['202'], overwrites: denyAll })).toBe(ALL_PERMISSIONS);
  });

  it('applies @everyone, then all role overwrites together (deny before allow), then the member overwrite', () => {
    const overwrites = [
      { id: guildId, type: OverwriteType.Role, allow: '0', deny: String(P.ViewChannel) },
      // One role denies SEND_MESSAGES, another allows it: role allows win over role denies.
      { id: '201', type: OverwriteType.Role, allow: String(P.ViewChannel | P.SendMessages), deny: '0' },
      { id: '203', type: OverwriteType.Role, allow: '0', deny: String(P.SendMessages | P.AttachFiles) },
      { id: '300', type: OverwriteType.Member, allow: String(P.AttachFiles), deny: String(P.ReadMessageHistory) },
    ];
    const permissions = computePermissions({ ...member, memberRoleIds: ['201', '203'], overwrites });
    expect(permissions & P.ViewChannel).toBe(P.ViewChannel);
    expect(permissions & P.SendMessages).toBe(P.SendMessages);
    expect(permissions & P.AttachFiles).toBe(P.AttachFiles);
    expect(permissions & P.ReadMessageHistory).toBe(0n);
  });

  it('a member overwrite on a user id does not apply as a role overwrite with the same id', () => {
    const overwrites = [{ id: '201', type: OverwriteType.Member, allow: '0', deny: String(P.SendMessages) }];
    expect(applyOverwrites(computeBasePermissions({ ...member, memberRoleIds: ['201'] }), overwrites, { ...member, memberRoleIds: ['201'] }) & P.SendMessages).toBe(P.SendMessages);
  });

  it('takes away every channel permission when VIEW_CHANNEL is denied (implicit permissions)', () => {
    const overwrites = [{ id: guildId, type: OverwriteType.Role, allow: '0', deny: String(P.ViewChannel) }];
    expect(computePermissions({ ...member, memberRoleIds: ['201'], overwrites })).toBe(0n);
  });

  it('drops EMBED_LINKS / ATTACH_FILES / MENTION_EVERYONE when SEND_MESSAGES is denied', () => {
    const base = [{ id: guildId, permissions: String(P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles) }];
    const overwrites = [{ id: guildId, type: OverwriteType.Role, allow: '0', deny: String(P.SendMessages) }];
    expect(computePermissions({ ...member, roles: base, memberRoleIds: [], overwrites })).toBe(P.ViewChannel);
  });

  it('leaves a timed-out member only VIEW_CHANNEL and READ_MESSAGE_HISTORY', () => {
    const now = Date.UTC(2025, 0, 1);
    const permissions = computePermissions({
      ...member,
      memberRoleIds: ['201'],
      overwrites: [],
      communicationDisabledUntil: new Date(now + 60_000).toISOString(),
      now,
    });
    expect(permissions).toBe(P.ViewChannel | P.ReadMessageHistory);
  });

  it('names missing bits', () => {
    expect(missingPermissionNames(P.ViewChannel, P.ViewChannel | P.ManageChannels)).toEqual(['ManageChannels']);
  });
});
