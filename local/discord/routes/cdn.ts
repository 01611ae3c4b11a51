import { Errors, invalidFormBody } from '../errors';
import { json, type RouteResponse } from '../http';
import type { RouteContext, RouteDefinition } from '../router';

/** A 1×1 transparent PNG: enough for anything that fetches and decodes an avatar. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** The CDN answers a missing or expired object with a plain-text 404, not a JSON error. */
const gone = (): RouteResponse => ({ status: 404, raw: Buffer.from('This content is no longer available.'), contentType: 'text/plain' });

/**
 * Signed attachment links: `ex` (hex epoch seconds) must be in the future and `hm` must match,
 * otherwise 404, like Discord's CDN once a link has expired.
 *
 * @see https://discord.com/developers/docs/reference#signed-attachment-cdn-urls
 */
function attachment(ctx: RouteContext): RouteResponse {
  const { model, params, query } = ctx;
  const stored = model.state.attachments.get(params.attachment);
  if (!stored || stored.channelId !== params.channel || stored.filename !== params.filename) return gone();
  const ex = query.get('ex');
  const is = query.get('is');
  const hm = query.get('hm');
  if (!ex || !is || !hm) return gone();
  const path = `/cdn/attachments/${params.channel}/${params.attachment}/${encodeURIComponent(params.filename)}`;
  if (model.cdnSignature(path, ex, is) !== hm) return gone();
  if (parseInt(ex, 16) * 1000 <= model.now()) return gone();
  return { status: 200, raw: stored.data, contentType: stored.contentType, headers: { 'cache-control': 'public, max-age=31536000' } };
}

function avatar(ctx: RouteContext): RouteResponse {
  const match = /^([0-9a-f_]+|a_[0-9a-f]+)\.(png|webp|jpg|jpeg|gif)$/.exec(ctx.params.file);
  const user = ctx.model.state.users.get(ctx.params.user)?.user;
  if (!match || !user || user.avatar !== match[1]) return gone();
  return { status: 200, raw: TINY_PNG, contentType: 'image/png' };
}

/** CDN routes, served at `/cdn/...` (and `/media/...` for `proxy_url`). */
export function cdnRoutes(): RouteDefinition[] {
  return [
    { method: 'GET', path: '/cdn/attachments/{channel}/{attachment}/{filename}', auth: 'none', handler: attachment },
    { method: 'GET', path: '/media/attachments/{channel}/{attachment}/{filename}', auth: 'none', handler: attachment },
    { method: 'GET', path: '/cdn/avatars/{user}/{file}', auth: 'none', handler: avatar },
    { method: 'GET', path: '/cdn/embed/avatars/{file}', auth: 'none', handler: () => ({ status: 200, raw: TINY_PNG, contentType: 'image/png' }) },
  ];
}

/**
 * `POST /attachments/refresh-urls`: fresh signed links for expired ones.
 *
 * @see https://discord.com/developers/docs/reference#signed-attachment-cdn-urls
 */
export function attachmentRefreshRoutes(): RouteDefinition[] {
  return [
    {
      method: 'POST',
      path: '/attachments/refresh-urls',
      auth: 'bot',
      handler: (ctx) => {
        const urls: unknown = ctx.body?.attachment_urls;
        if (!Array.isArray(urls)) throw Errors.notFound();
        if (urls.length > 50) throw invalidFormBody({ attachment_urls: { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 50 or fewer in length.' } });
        const refreshed = urls.map((original: string) => {
          const match = /\/(?:cdn|media)\/attachments\/(\d+)\/(\d+)\/([^?]+)/.exec(String(original));
          const stored = match ? ctx.model.state.attachments.get(match[2]) : undefined;
          return {
            original,
            refreshed: stored ? ctx.model.signedAttachmentUrl(stored.channelId, stored.id, stored.filename) : original,
          };
        });
        return json({ refreshed_urls: refreshed });
      },
    },
  ];
}
