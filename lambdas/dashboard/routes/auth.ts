import { randomBytes, timingSafeEqual } from 'node:crypto';
import { PermissionFlagsBits } from '../../shared/discord-constants';
import { DAY_MS } from '../../shared/clock';
import { NotConfiguredError, UnauthorizedError, UserError } from '../../shared/errors';
import { jsonResponse } from '../../shared/http';
import { hasPermission, parsePermissions } from '../../shared/domain/permissions';
import { clearCookie, SESSION_COOKIE, setCookie, STATE_COOKIE } from '../cookies';
import type { RouteDeps, RouteHandler } from '../types';

const SESSION_TTL_MS = 7 * DAY_MS;
const STATE_TTL_SECONDS = 600;

const redirect = (location: string, cookies: string[] = []) => ({ statusCode: 302, headers: { location, 'cache-control': 'no-store' }, cookies, body: '' });
const callbackUrl = (baseUrl: string) => `${baseUrl}/auth/callback`;

/** The answer to every `/auth/*` request when no client secret is configured. */
export const loginNotConfigured = () => new NotConfiguredError('dashboard login is not configured: set DISCORD_CLIENT_SECRET');

function oauthOf(deps: RouteDeps) {
  if (!deps.oauth) throw loginNotConfigured();
  return deps.oauth;
}

/** The public origin the login must return to (configured, or CloudFront's forwarded host). */
function origin(deps: RouteDeps): string {
  if (!deps.baseUrl) throw new UserError('Open the dashboard through its public address to log in.');
  return deps.baseUrl;
}

/** GET /auth/login → Discord's consent screen, with a CSRF `state` bound to this browser. */
export const login: RouteHandler = async (_req, deps) => {
  const state = randomBytes(24).toString('base64url');
  return redirect(oauthOf(deps).authorizeUrl(state, callbackUrl(origin(deps))), [setCookie(STATE_COOKIE, state, STATE_TTL_SECONDS, origin(deps))]);
};

/**
 * GET /auth/callback → exchange the code, keep the user's manageable guilds in a server-side
 * session (the access token itself is not stored), set the session cookie.
 */
export const callback: RouteHandler = async (req, deps) => {
  const code = req.query.get('code');
  const state = req.query.get('state') ?? '';
  const expected = req.cookies[STATE_COOKIE] ?? '';
  const given = Buffer.from(state);
  const wanted = Buffer.from(expected);
  if (!code || given.length === 0 || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new UnauthorizedError('The login link expired or was opened in another browser. Please log in again.');
  }
  const oauth = oauthOf(deps);
  const token = await oauth.exchangeCode(code, callbackUrl(origin(deps)));
  const [user, guilds] = await Promise.all([oauth.currentUser(token), oauth.currentUserGuilds(token)]);
  const now = deps.clock.now();
  const id = randomBytes(32).toString('base64url');
  await deps.sessions.create({
    id,
    userId: user.id,
    username: user.global_name ?? user.username,
    avatar: user.avatar,
    guilds: guilds.filter((g) => g.owner || hasPermission(parsePermissions(g.permissions), PermissionFlagsBits.ManageGuild)).map((g) => ({ id: g.id, name: g.name, icon: g.icon })),
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  });
  deps.telemetry.capture({ event: 'dashboard_login', guildId: null, at: now });
  return redirect('/', [setCookie(SESSION_COOKIE, id, SESSION_TTL_MS / 1000, origin(deps)), clearCookie(STATE_COOKIE, origin(deps))]);
};

/** POST /auth/logout → end the session. */
export const logout: RouteHandler = async (req, deps) => {
  const id = req.cookies[SESSION_COOKIE];
  if (id) await deps.sessions.delete(id);
  return { ...jsonResponse(200, { ok: true }), cookies: [clearCookie(SESSION_COOKIE, origin(deps))] };
};
