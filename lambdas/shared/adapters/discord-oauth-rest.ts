import { REST } from '@discordjs/rest';
import { Routes } from '../discord-constants';
import { UnauthorizedError } from '../errors';
import type { DiscordOAuth } from '../ports/discord-oauth';

/**
 * OAuth2 against Discord (or the local emulator) over @discordjs/rest.
 * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant
 */
export class RestDiscordOAuth implements DiscordOAuth {
  private readonly rest: REST;

  constructor(private readonly opts: { apiBaseUrl: string; clientId: string; clientSecret: string }) {
    this.rest = new REST({ version: '10', api: opts.apiBaseUrl, timeout: 10_000 });
  }

  authorizeUrl(state: string, redirectUri: string): string {
    const url = new URL(`${this.opts.apiBaseUrl}/oauth2/authorize`);
    url.search = new URLSearchParams({ client_id: this.opts.clientId, response_type: 'code', scope: 'identify guilds', redirect_uri: redirectUri, state, prompt: 'none' }).toString();
    return url.toString();
  }

  async exchangeCode(code: string, redirectUri: string): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: this.opts.clientId, client_secret: this.opts.clientSecret });
    try {
      const res = (await this.rest.post(Routes.oauth2TokenExchange(), {
        body,
        passThroughBody: true,
        auth: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })) as { access_token: string };
      return res.access_token;
    } catch {
      throw new UnauthorizedError('Discord did not accept the login. Please log in again.');
    }
  }

  currentUser(accessToken: string) {
    return this.rest.get(Routes.user(), { auth: false, headers: { authorization: `Bearer ${accessToken}` } }) as ReturnType<DiscordOAuth['currentUser']>;
  }

  currentUserGuilds(accessToken: string) {
    return this.rest.get(Routes.userGuilds(), { auth: false, headers: { authorization: `Bearer ${accessToken}` } }) as ReturnType<DiscordOAuth['currentUserGuilds']>;
  }
}
