import type { RouteDefinition } from '../router';
import { applicationRoutes } from './applications';
import { attachmentRefreshRoutes, cdnRoutes } from './cdn';
import { channelRoutes } from './channels';
import { guildRoutes } from './guilds';
import { inviteRoutes } from './invites';
import { messageRoutes } from './messages';
import { oauthRoutes, rootOAuthRoutes } from './oauth2';
import { userRoutes } from './users';
import { webhookRoutes } from './webhooks';

/** Everything under `/api/v10` (and `/api`, which Discord serves as the default version). */
export function apiRoutes(): RouteDefinition[] {
  return [
    ...applicationRoutes(),
    ...webhookRoutes(),
    ...guildRoutes(),
    ...channelRoutes(),
    ...messageRoutes(),
    ...inviteRoutes(),
    ...userRoutes(),
    ...oauthRoutes(),
    ...attachmentRefreshRoutes(),
  ];
}

/** Routes outside `/api`: the CDN and the browser-facing OAuth2 authorisation page. */
export function rootRoutes(): RouteDefinition[] {
  return [...cdnRoutes(), ...rootOAuthRoutes()];
}
