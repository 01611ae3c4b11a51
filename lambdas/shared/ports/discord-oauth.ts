/**
 * Discord OAuth2 for the dashboard login (authorization code grant, scopes `identify guilds`).
 * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant
 */
export interface DiscordOAuth {
  /** The URL to send the browser to. */
  authorizeUrl(state: string, redirectUri: string): string;
  /** Exchanges the code for an access token (never stored). */
  exchangeCode(code: string, redirectUri: string): Promise<string>;
  currentUser(accessToken: string): Promise<{ id: string; username: string; global_name?: string | null; avatar: string | null }>;
  /** @see https://discord.com/developers/docs/resources/user#get-current-user-guilds */
  currentUserGuilds(accessToken: string): Promise<Array<{ id: string; name: string; icon: string | null; owner: boolean; permissions: string }>>;
}
