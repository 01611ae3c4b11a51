import { UnauthorizedError } from '../../shared/errors';
import { jsonResponse } from '../../shared/http';
import { SESSION_COOKIE } from '../cookies';
import type { DashboardRequest, RouteDeps, RouteHandler } from '../types';

/** The caller's session or a 401 the front end turns into "Log in with Discord". */
export async function requireSession(req: DashboardRequest, deps: RouteDeps) {
  const id = req.cookies[SESSION_COOKIE];
  const session = id ? await deps.sessions.get(id, deps.clock.now()) : null;
  if (!session) throw new UnauthorizedError('Log in with Discord to continue.');
  return session;
}

/** GET /api/me → who is logged in and which of their guilds run Deskwire. */
export const me: RouteHandler = async (req, deps) => {
  const session = await requireSession(req, deps);
  const installed = await deps.guilds.installedAmong(session.guilds.map((g) => g.id));
  return jsonResponse(200, {
    user: { id: session.userId, username: session.username, avatar: session.avatar },
    guilds: session.guilds.map((g) => ({ ...g, installed: installed.has(g.id) })),
  });
};
