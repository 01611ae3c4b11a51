/** Cookie names and attributes for the dashboard. */
export const SESSION_COOKIE = 'dw_session';
export const STATE_COOKIE = 'dw_oauth_state';

/** Function URL events carry cookies as `name=value` strings. */
export function parseCookies(cookies: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of cookies ?? []) {
    for (const part of c.split(';')) {
      const i = part.indexOf('=');
      if (i <= 0) continue;
      try {
        out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        // A cookie we did not set (or a mangled one): ignore it rather than fail the request.
      }
    }
  }
  return out;
}

/**
 * HttpOnly + SameSite=Lax: scripts cannot read it and cross-site POSTs do not carry it. `Secure`
 * except on plain-http localhost origins used for development.
 */
export function setCookie(name: string, value: string, maxAgeSeconds: number, baseUrl: string): string {
  const secure = baseUrl.startsWith('https://') ? '; Secure' : '';
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export const clearCookie = (name: string, baseUrl: string) => setCookie(name, '', 0, baseUrl);
