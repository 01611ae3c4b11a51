import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a viewer link grants: one user, one guild's ticket, until `expiresAt` (epoch seconds). */
export interface LinkGrant {
  guildId: string;
  number: number;
  userId: string;
  expiresAt: number;
}

/** Staff links from `/ticket transcript`: short-lived. */
export const STAFF_LINK_TTL_SECONDS = 60 * 60;
/** The opener's DM link: long enough to read it, after that the dashboard login works. */
export const OPENER_LINK_TTL_SECONDS = 7 * 24 * 60 * 60;

const b64 = (b: Buffer) => b.toString('base64url');
const sign = (secret: string, payload: string) => createHmac('sha256', `deskwire-transcript-link\u0000${secret}`).update(payload).digest();

/**
 * A signed, expiring viewer token: `<guild>.<number>.<user>.<expires>.<HMAC-SHA256>` (base64url MAC).
 * It names the user it was issued to, so the viewer can tell who read what; it is carried in the
 * viewer's path so the page's relative links to its attachments keep it.
 */
export function signLink(secret: string, grant: LinkGrant): string {
  const payload = `${grant.guildId}.${grant.number}.${grant.userId}.${grant.expiresAt}`;
  return `${payload}.${b64(sign(secret, payload))}`;
}

export type LinkCheck = { ok: true; grant: LinkGrant } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks a token's MAC (constant time) and expiry; `now` in epoch ms. */
export function verifyLink(secret: string, token: string, now: number): LinkCheck {
  const m = /^(\d{15,21})\.(\d{1,9})\.(\d{15,21})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'invalid' };
  const payload = `${m[1]}.${m[2]}.${m[3]}.${m[4]}`;
  // Compared as text: base64url has several spellings of the same bytes (the last character's spare
  // bits), and a link must have exactly one.
  const given = Buffer.from(m[5]!);
  const expected = Buffer.from(b64(sign(secret, payload)));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const grant = { guildId: m[1]!, number: Number(m[2]), userId: m[3]!, expiresAt: Number(m[4]) };
  if (grant.expiresAt * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, grant };
}

/**
 * A request path as it may be logged or echoed: a viewer path holds a signed link (valid for days)
 * in its third segment, so `/transcripts/<g>/<n>/<token>/…` becomes `/transcripts/<g>/<n>/…`.
 */
export function redactViewerPath(path: string): string {
  return path.replace(/^(\/transcripts\/[^/]*\/[^/]*\/)[^/]+.*$/s, '$1…');
}

/** The viewer URL for a token (or, without one, the dashboard-session form). */
export function viewerUrl(baseUrl: string, guildId: string, number: number, token?: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/transcripts/${guildId}/${number}/${token ?? 'session'}/`;
}
