import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { isUserError, NotFoundError } from '../shared/errors';
import { errorToHttpResponse, jsonResponse } from '../shared/http';
import { safeError } from '../shared/safe-error';
import { redactViewerPath } from '../shared/transcripts/links';
import { parseCookies } from './cookies';
import { callback, login, loginNotConfigured, logout } from './routes/auth';
import { me } from './routes/me';
import { transcriptViewer } from './routes/transcripts';
import type { DashboardDeps, RouteHandler } from './types';

/**
 * The most a request waits for its telemetry to reach PostHog: the composition root gives the
 * PostHog adapter this timeout, which aborts the send itself, so none outlives the response.
 */
export const DASHBOARD_TELEMETRY_TIMEOUT_MS = 1_000;

/** Method + path → handler. Paths are exact; the static front end is served elsewhere. */
const ROUTES: Record<string, RouteHandler> = {
  'GET /api/health': async () => jsonResponse(200, { ok: true }),
  'GET /api/me': me,
  'GET /auth/login': login,
  'GET /auth/callback': callback,
  'POST /auth/logout': logout,
};

/**
 * The public origin when DASHBOARD_BASE_URL is not configured: CloudFront passes the viewer's host
 * in `x-forwarded-host` (a CloudFront Function sets it). A spoofed header gains nothing: Discord only
 * redirects to the OAuth2 redirect URIs registered for the application.
 */
function forwardedOrigin(event: LambdaFunctionURLEvent): string | undefined {
  const host = event.headers?.['x-forwarded-host'];
  return host && /^[a-z0-9.-]+(:\d+)?$/i.test(host) ? `https://${host}` : undefined;
}

/**
 * The dashboard API (Function URL). Every error is a JSON body with a proper status: user errors
 * via the one HTTP mapping, anything else a logged 500.
 */
export async function handleDashboardRequest(event: LambdaFunctionURLEvent, deps: DashboardDeps): Promise<LambdaFunctionURLResult> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  try {
    const baseUrl = deps.baseUrl ?? forwardedOrigin(event);
    const request = { method, path, query: new URLSearchParams(event.rawQueryString ?? ''), cookies: parseCookies(event.cookies), event };
    if (path.startsWith('/auth/') && !deps.oauth) throw loginNotConfigured();
    if (path.startsWith('/transcripts/') && deps.viewer) return await transcriptViewer(request, { ...deps, baseUrl, viewer: deps.viewer });
    const route = ROUTES[`${method} ${path}`];
    if (!route) {
      const known = Object.keys(ROUTES).some((k) => k.endsWith(` ${path}`));
      if (known) return jsonResponse(405, { error: 'method_not_allowed', message: `${method} is not supported on ${path}.` });
      throw new NotFoundError(`No such endpoint: ${redactViewerPath(path)}`);
    }
    return await route(request, { ...deps, baseUrl });
  } catch (err) {
    if (!isUserError(err)) {
      // A transcript path carries a signed link: it is never logged.
      deps.log.error('dashboard request failed', { method, path: redactViewerPath(path), error: safeError(err) });
      deps.telemetry.captureException(err, null);
    }
    return errorToHttpResponse(err);
  } finally {
    // Nothing may run after the response, so the flush is awaited; the adapter aborts it after
    // DASHBOARD_TELEMETRY_TIMEOUT_MS (a no-op when nothing was captured). A failed one costs the events, never the answer.
    await deps.telemetry.flush().catch((err) => deps.log.warn('telemetry flush failed', { error: safeError(err) }));
  }
}
