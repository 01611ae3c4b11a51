import { PermissionFlagsBits as P, Routes } from 'discord-api-types/v10';
import type { DiscordEmulator } from '../../local/discord';
import type { REST } from '@discordjs/rest';
import { startWithRest, testClock } from './helpers';

const clock = testClock();
let discord: DiscordEmulator;
let rest: REST;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ discord, rest, stop } = await startWithRest({ now: clock.now, clientId: 'deskwire-dashboard', clientSecret: 's3cret' }));
});
afterAll(() => stop());

const tokenRequest = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${discord.apiBaseUrl}/v10/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });

describe('OAuth2 for the dashboard', () => {
  it('exchanges a code once for a bearer token that reads the user and their guilds', async () => {
    const admin = discord.createUser({ username: 'admin' });
    const owned = discord.createGuild({ name: 'Owned', ownerId: admin.id });
    const member = discord.createGuild({ name: 'Member' });
    const managerRole = discord.createRole(member.id, { name: 'Manager', permissions: P.ManageGuild });
    discord.addMember(member.id, admin.id, [managerRole.id]);
    discord.createGuild({ name: 'Elsewhere' });

    const redirectUri = 'http://127.0.0.1:9999/callback';
    const code = discord.issueOAuthCode(admin.id, redirectUri, ['identify', 'guilds']);
    const basic = `Basic ${Buffer.from('deskwire-dashboard:s3cret').toString('base64')}`;
    const wrongUri = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: 'http://evil.test/cb' }, { authorization: basic });
    expect([wrongUri.status, ((await wrongUri.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);

    const exchanged = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, { authorization: basic });
    const token = (await exchanged.json()) as { access_token: string; refresh_token: string };
    expect(exchanged.status).toBe(200);
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 604800, scope: 'identify guilds' });
    const reused = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, { authorization: basic });
    expect(reused.status).toBe(400);

    const bearer = { auth: false, headers: { authorization: `Bearer ${token.access_token}` } } as const;
    const me = (await rest.get(Routes.user(), bearer)) as any;
    expect([me.id, me.username, me.email]).toEqual([admin.id, 'admin', undefined]);
    const guilds = (await rest.get(Routes.userGuilds(), bearer)) as any[];
    expect(guilds.map((g) => [g.name, g.owner])).toEqual([
      ['Owned', true],
      ['Member', false],
    ]);
    const memberGuild = guilds.find((g) => g.id === member.id);
    expect(typeof memberGuild.permissions).toBe('string');
    expect(BigInt(memberGuild.permissions) & P.ManageGuild).toBe(P.ManageGuild);
    expect(BigInt(guilds.find((g) => g.id === owned.id).permissions) & P.Administrator).toBe(P.Administrator);

    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: token.refresh_token, client_id: 'deskwire-dashboard', client_secret: 's3cret' });
    expect(refreshed.status).toBe(200);
    const badClient = await tokenRequest({ grant_type: 'authorization_code', code: 'x', client_id: 'deskwire-dashboard', client_secret: 'wrong' });
    expect([badClient.status, await badClient.json()]).toEqual([401, { error: 'invalid_client' }]);
  });

  it('/oauth2/authorize redirects back with a code for the logged-in user', async () => {
    const user = discord.createUser({ username: 'browser-user' });
    discord.setOAuthUser(user.id);
    const authorize = new URL(`${discord.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({ client_id: 'deskwire-dashboard', response_type: 'code', scope: 'identify guilds', redirect_uri: 'http://127.0.0.1:9999/cb', state: 'xyz' }).toString();
    const response = await fetch(authorize, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect([location.origin + location.pathname, location.searchParams.get('state')]).toEqual(['http://127.0.0.1:9999/cb', 'xyz']);

    const token = (await (await tokenRequest({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: 'http://127.0.0.1:9999/cb', client_id: 'deskwire-dashboard', client_secret: 's3cret' })).json()) as { access_token: string };
    const me = (await rest.get(Routes.user(), { auth: false, headers: { authorization: `Bearer ${token.access_token}` } })) as any;
    expect(me.id).toBe(user.id);
    // The same page is served under /api too.
    const viaApi = await fetch(`${discord.apiBaseUrl}/oauth2/authorize?${authorize.searchParams}`, { redirect: 'manual' });
    expect(viaApi.status).toBe(302);
  });

  it('refuses an unknown bearer token', async () => {
    const response = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
  });
});

describe('CDN', () => {
  it('serves registered attachment bytes until the signed link expires', async () => {
    const g = discord.createGuild();
    const attachment = discord.addAttachment(g.generalChannelId, { filename: 'log file.txt', contentType: 'text/plain', data: Buffer.from('hello') });
    expect(attachment).toMatchObject({ filename: 'log file.txt', size: 5, content_type: 'text/plain' });
    const url = new URL(attachment.url);
    expect(url.pathname).toBe(`/cdn/attachments/${g.generalChannelId}/${attachment.id}/log%20file.txt`);
    expect([...url.searchParams.keys()]).toEqual(['ex', 'is', 'hm']);

    const ok = await fetch(attachment.url);
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain', 'hello']);
    expect((await fetch(attachment.proxy_url)).status).toBe(200);

    // Editing `ex` to extend the link breaks the signature.
    const extended = new URL(attachment.url);
    extended.searchParams.set('ex', (parseInt(url.searchParams.get('ex')!, 16) + 3600).toString(16));
    expect((await fetch(extended)).status).toBe(404);

    clock.advance(24 * 3600 * 1000 + 1000);
    const expired = await fetch(attachment.url);
    expect([expired.status, await expired.text()]).toEqual([404, 'This content is no longer available.']);

    // Reading the message again (or refresh-urls) gives a fresh link, as Discord does.
    const refreshed = (await rest.post('/attachments/refresh-urls', { body: { attachment_urls: [attachment.url] } })) as any;
    expect(refreshed.refreshed_urls[0].original).toBe(attachment.url);
    expect((await fetch(refreshed.refreshed_urls[0].refreshed)).status).toBe(200);
  });

  it('serves avatars for the user\'s current avatar hash only', async () => {
    const user = discord.createUser({ username: 'pic' });
    const png = await fetch(`${discord.url}/cdn/avatars/${user.id}/${user.avatar}.png`);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect([png.status, png.headers.get('content-type'), bytes.subarray(1, 4).toString()]).toEqual([200, 'image/png', 'PNG']);
    expect((await fetch(`${discord.url}/cdn/avatars/${user.id}/0000.png`)).status).toBe(404);
  });
});
