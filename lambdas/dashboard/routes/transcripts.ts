import { gzipSync } from 'node:zlib';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { NotFoundError } from '../../shared/errors';
import type { HttpResult } from '../../shared/http';
import { TRANSCRIPT_CSP } from '../../shared/transcripts/render-html';
import { redactViewerPath } from '../../shared/transcripts/links';
import { authorizeViewer, readTranscriptFile, type ViewerCredential } from '../../shared/transcripts/viewer';
import { SESSION_COOKIE } from '../cookies';
import type { DashboardRequest, RouteDeps } from '../types';

const PATH = /^\/transcripts\/(\d{15,21})\/(\d{1,9})(?:\/([A-Za-z0-9._-]{1,200})(\/.*)?)?$/;

/** Headers of everything the viewer serves: nothing runs, nothing is cached or sent on as a referrer. */
const SAFE_HEADERS = {
  'content-security-policy': TRANSCRIPT_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
  'x-frame-options': 'DENY',
};

const redirect = (location: string): HttpResult => ({ statusCode: 302, headers: { location, 'cache-control': 'no-store' }, body: '' });

/**
 * The transcript viewer: `GET /transcripts/<guild>/<number>/<key>/` (the page), `…/transcript.json`,
 * `…/attachments/<id>/<name>` and `…/avatars/<id>`, where `<key>` is a signed link token or
 * `session` (the dashboard login). `/transcripts/<guild>/<number>[?t=<token>]` redirects to those.
 * The page's relative links to its files keep the key, so they are checked the same way.
 */
export async function transcriptViewer(req: DashboardRequest, deps: RouteDeps & { viewer: NonNullable<RouteDeps['viewer']> }): Promise<HttpResult> {
  const raw = req.event.rawPath;
  const m = PATH.exec(raw.replace(/\/+$/, ''));
  if (!m || req.method !== 'GET') throw new NotFoundError(`No such endpoint: ${redactViewerPath(req.path)}`);
  const [, guildId, numberText, key, rest] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const number = Number(numberText);
  if (!key) {
    const token = req.query.get('t');
    return redirect(`/transcripts/${guildId}/${number}/${token && /^[A-Za-z0-9._-]{1,200}$/.test(token) ? token : 'session'}/`);
  }
  // Relative links resolve against the page only with its trailing slash.
  if (!rest && !raw.endsWith('/')) return redirect(`${raw}/`);

  const credential: ViewerCredential = key === 'session' ? { kind: 'session', session: req.cookies[SESSION_COOKIE] ? await deps.sessions.get(req.cookies[SESSION_COOKIE]!, deps.clock.now()) : null } : { kind: 'link', token: key };
  const access = await authorizeViewer(guildId, number, credential, deps.viewer);
  const file = !rest || rest === '/'
    ? ({ kind: 'html' } as const)
    : rest === '/transcript.json'
      ? ({ kind: 'json' } as const)
      : (() => {
          const f = /^\/(attachments|avatars)\/(\d{1,21})(?:\/[^/]*)?$/.exec(rest);
          if (!f) throw new NotFoundError('That file is not part of a transcript.');
          return { kind: f[1] === 'attachments' ? ('attachment' as const) : ('avatar' as const), id: f[2]! };
        })();
  const out = await readTranscriptFile(access, file, deps.viewer);
  if (file.kind === 'html') deps.telemetry.capture({ event: 'transcript_viewed', guildId, properties: { via: access.via } });
  return fileResponse(out, req.event);
}

function fileResponse(out: { data: Buffer; contentType: string; download: string | null }, event: LambdaFunctionURLEvent): HttpResult {
  const headers: Record<string, string> = { ...SAFE_HEADERS, 'content-type': out.contentType };
  if (out.download) headers['content-disposition'] = `attachment; filename="${out.download.replace(/[^\w.-]/g, '_')}"`;
  let body = out.data;
  // Pages compress well and Function URL responses are capped (6 MB): send them gzipped when the browser accepts it.
  if (/^(text\/|application\/json)/.test(out.contentType) && /\bgzip\b/.test(event.headers?.['accept-encoding'] ?? '')) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  }
  return { statusCode: 200, headers, body: body.toString('base64'), isBase64Encoded: true };
}
