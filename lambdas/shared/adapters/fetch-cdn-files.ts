import type { CdnFiles, Download } from '../transcripts/ports';

/** Discord's CDN and media proxy; other hosts are never fetched (a message cannot make the worker fetch an arbitrary URL). */
export const DISCORD_CDN_BASE_URL = 'https://cdn.discordapp.com';
const DISCORD_MEDIA_ORIGIN = 'https://media.discordapp.net';

/**
 * Downloads from Discord's CDN with `fetch`, reading at most `maxBytes`. 404/403 (an expired or
 * removed link) is `gone`; other failures throw (the build is retried).
 *
 * @see https://discord.com/developers/docs/reference#image-formatting-cdn-endpoints
 */
export class FetchCdnFiles implements CdnFiles {
  private readonly base: string;
  private readonly origins: Set<string>;

  constructor(cdnBaseUrl: string = DISCORD_CDN_BASE_URL, private readonly timeoutMs = 15_000) {
    this.base = cdnBaseUrl.replace(/\/+$/, '');
    const origin = new URL(this.base).origin;
    this.origins = new Set([origin, ...(origin === new URL(DISCORD_CDN_BASE_URL).origin ? [DISCORD_MEDIA_ORIGIN] : [])]);
  }

  avatarUrl(userId: string, avatarHash: string): string {
    return `${this.base}/avatars/${userId}/${avatarHash}.png?size=64`;
  }

  async download(url: string, maxBytes: number): Promise<Download> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, reason: 'gone' };
    }
    if (!this.origins.has(parsed.origin)) return { ok: false, reason: 'gone' };
    const res = await fetch(parsed, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
    if (res.status === 404 || res.status === 403 || res.status === 410) {
      await res.body?.cancel();
      return { ok: false, reason: 'gone' };
    }
    if (!res.ok || !res.body) throw new Error(`CDN answered ${res.status}`);
    const announced = Number(res.headers.get('content-length') ?? 0);
    if (announced > maxBytes) {
      await res.body.cancel();
      return { ok: false, reason: 'too-large' };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) return { ok: false, reason: 'too-large' };
      chunks.push(Buffer.from(chunk));
    }
    return { ok: true, data: Buffer.concat(chunks), contentType: res.headers.get('content-type') };
  }
}
