import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from 'discord-api-types/v10';
import * as ours from '../../lambdas/shared/discord-constants';

const ROOT = join(__dirname, '..', '..');
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('Discord constants used by the functions', () => {
  it.each(['InteractionType', 'InteractionResponseType', 'MessageFlags', 'ApplicationCommandType', 'InteractionContextType', 'PermissionFlagsBits'] as const)('%s matches discord-api-types', (name) => {
    for (const [key, value] of Object.entries(ours[name])) {
      expect([name, key, value]).toEqual([name, key, (api[name] as Record<string, unknown>)[key]]);
    }
  });

  it('routes match discord-api-types', () => {
    expect(ours.Routes.webhookMessage('1', 't', '@original')).toBe(api.Routes.webhookMessage('1', 't', '@original'));
    expect(ours.Routes.guildChannels('2')).toBe(api.Routes.guildChannels('2'));
    expect(ours.Routes.userGuilds()).toBe(api.Routes.userGuilds());
    expect(ours.Routes.user()).toBe(api.Routes.user());
    expect(ours.Routes.oauth2TokenExchange()).toBe(api.Routes.oauth2TokenExchange());
    expect(ours.Routes.guild('2')).toBe(api.Routes.guild('2'));
    expect(ours.Routes.guildRoles('2')).toBe(api.Routes.guildRoles('2'));
    expect(ours.Routes.guildMember('2', '3')).toBe(api.Routes.guildMember('2', '3'));
    expect(ours.Routes.guildMember('2')).toBe(api.Routes.guildMember('2'));
    expect(ours.Routes.channel('4')).toBe(api.Routes.channel('4'));
    expect(ours.Routes.channelPermission('4', '5')).toBe(api.Routes.channelPermission('4', '5'));
    expect(ours.Routes.channelMessages('4')).toBe(api.Routes.channelMessages('4'));
    expect(ours.Routes.channelMessage('4', '6')).toBe(api.Routes.channelMessage('4', '6'));
    expect(ours.Routes.threads('4')).toBe(api.Routes.threads('4'));
    expect(ours.Routes.threadMembers('7', '3')).toBe(api.Routes.threadMembers('7', '3'));
    expect(ours.Routes.userChannels()).toBe(api.Routes.userChannels());
  });

  it('no Lambda imports discord-api-types values (types only): it would add ~90 KB to every bundle', () => {
    const offenders = files(join(ROOT, 'lambdas')).filter((f) => /^import (?!type)[^;]*from 'discord-api-types/m.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('default member permissions', () => {
  it('match the permission bits', () => {
    expect(ours.DefaultMemberPermissions.ManageGuild).toBe(String(api.PermissionFlagsBits.ManageGuild));
  });
});
