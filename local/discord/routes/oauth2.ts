import { randomBytes } from 'node:crypto';
import { json, redirect, type RouteResponse } from '../http';
import type { DiscordModel } from '../model';
import type { RouteContext, RouteDefinition } from '../router';
import type { OAuthGrant } from '../state';

/** Authorisation codes are short-lived (Discord: 10 minutes); access tokens last 7 days. */
const CODE_TTL_MS = 10 * 60 * 1000;
const ACCESS_TOKEN_TTL_S = 604800;

/** OAuth2 errors use RFC 6749's `{ error, error_description }` body, not Discord's `{ message, code }`. */
function oauthError(status: number, error: string, description?: string): RouteResponse {
  return json(description ? { error, error_description: description } : { error }, status);
}

/** Issues a one-time authorisation code for `userId`, as the consent screen would. */
export function issueOAuthCode(model: DiscordModel, userId: string, redirectUri?: string, scopes: string[] = ['identify', 'guilds']): string {
  model.requireUser(userId);
  const code = randomBytes(15).toString('base64url');
  model.state.oauth.codes.set(code, { userId, scopes, redirectUri, expiresAt: model.now() + CODE_TTL_MS });
  return code;
}

function issueTokens(model: DiscordModel, grant: OAuthGrant) {
  const accessToken = randomBytes(20).toString('base64url');
  const refreshToken = randomBytes(20).toString('base64url');
  const expiresAt = model.now() + ACCESS_TOKEN_TTL_S * 1000;
  model.state.oauth.accessTokens.set(accessToken, { userId: grant.userId, scopes: grant.scopes, expiresAt });
  model.state.oauth.refreshTokens.set(refreshToken, { userId: grant.userId, scopes: grant.scopes, expiresAt: Number.POSITIVE_INFINITY });
  model.changed();
  return { token_type: 'Bearer', access_token: accessToken, expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refreshToken, scope: grant.scopes.join(' ') };
}

/** Client credentials from HTTP Basic auth or from the form body (Discord accepts both). */
function clientCredentials(ctx: RouteContext): { id?: string; secret?: string } {
  const header = ctx.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: ctx.body?.client_id, secret: ctx.body?.client_secret };
}

/**
 * `POST /oauth2/token`: `authorization_code` (single-use code, same `redirect_uri` as the
 * authorisation) and `refresh_token` grants, client authenticated by Basic auth or body fields.
 *
 * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant-access-token-exchange-example
 */
function token(ctx: RouteContext): RouteResponse {
  const { model } = ctx;
  const client = clientCredentials(ctx);
  if (client.id !== model.config.clientId || client.secret !== model.config.clientSecret) return oauthError(401, 'invalid_client');
  const body = (ctx.body ?? {}) as Record<string, string>;
  if (body.grant_type === 'authorization_code') {
    const grant = body.code ? model.state.oauth.codes.get(body.code) : undefined;
    if (!grant || grant.expiresAt < model.now()) return oauthError(400, 'invalid_grant', 'Invalid "code" in request.');
    if (grant.redirectUri !== undefined && grant.redirectUri !== body.redirect_uri) {
      return oauthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
    }
    model.state.oauth.codes.delete(body.code);
    return json(issueTokens(model, grant));
  }
  if (body.grant_type === 'refresh_token') {
    const grant = body.refresh_token ? model.state.oauth.refreshTokens.get(body.refresh_token) : undefined;
    if (!grant) return oauthError(400, 'invalid_grant', 'Invalid "refresh_token" in request.');
    model.state.oauth.refreshTokens.delete(body.refresh_token);
    return json(issueTokens(model, grant));
  }
  return oauthError(400, 'unsupported_grant_type');
}

/**
 * `GET /oauth2/authorize`: no consent screen — redirects straight back with a code for the
 * configured logged-in user, so a browser login flow runs locally end to end.
 *
 * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant
 */
function authorize(ctx: RouteContext): RouteResponse {
  const { model, query } = ctx;
  if (query.get('client_id') !== model.config.clientId) return oauthError(400, 'invalid_client');
  if (query.get('response_type') !== 'code') return oauthError(400, 'unsupported_response_type');
  const redirectUri = query.get('redirect_uri');
  if (!redirectUri) return oauthError(400, 'invalid_request', 'redirect_uri is required');
  const userId = model.oauthLoginUserId;
  if (!userId) return oauthError(400, 'access_denied', 'No user is logged in to the emulator (setOAuthUser).');
  const scopes = (query.get('scope') ?? 'identify').split(/[\s+]+/).filter(Boolean);
  const target = new URL(redirectUri);
  target.searchParams.set('code', issueOAuthCode(model, userId, redirectUri, scopes));
  const state = query.get('state');
  if (state !== null) target.searchParams.set('state', state);
  return redirect(target.toString());
}

/**
 * OAuth2 routes (under `/api` like Discord's, plus `/oauth2/authorize` at the root where
 * browsers are sent).
 *
 * @see https://discord.com/developers/docs/topics/oauth2
 */
export function oauthRoutes(): RouteDefinition[] {
  return [
    { method: 'POST', path: '/oauth2/token', auth: 'none', handler: token },
    {
      method: 'POST',
      path: '/oauth2/token/revoke',
      auth: 'none',
      handler: (ctx) => {
        const value = ctx.body?.token as string | undefined;
        if (value) {
          ctx.model.state.oauth.accessTokens.delete(value);
          ctx.model.state.oauth.refreshTokens.delete(value);
        }
        return json({});
      },
    },
    { method: 'GET', path: '/oauth2/authorize', auth: 'none', handler: authorize },
    {
      method: 'GET',
      path: '/oauth2/@me',
      auth: 'bearer',
      handler: (ctx) => {
        const grant = [...ctx.model.state.oauth.accessTokens.values()].find((g) => g.userId === ctx.auth.userId);
        return json({
          application: { id: ctx.model.config.clientId, name: ctx.model.botUser.username, bot_public: false, verify_key: ctx.model.config.publicKeyHex },
          scopes: ctx.auth.scopes ?? [],
          expires: new Date(grant?.expiresAt ?? ctx.model.now()).toISOString(),
          user: ctx.model.requireUser(ctx.auth.userId!),
        });
      },
    },
  ];
}

/** Routes served at the site root rather than under `/api`. */
export function rootOAuthRoutes(): RouteDefinition[] {
  return [{ method: 'GET', path: '/oauth2/authorize', auth: 'none', handler: authorize }];
}
