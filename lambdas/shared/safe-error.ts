/**
 * What of an error may be logged. Errors from HTTP clients carry request URLs (an interaction
 * token is part of a webhook URL) and request bodies (message content); a logger that copies every
 * field would write them out. This keeps the type, message, codes and the route *template*.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown; discordCode?: unknown };
  const out: Record<string, unknown> = { type: e.name, message: redact(e.message) };
  for (const k of ['code', 'status', 'method', 'discordCode'] as const) {
    if (typeof e[k] === 'string' || typeof e[k] === 'number') out[k] = e[k];
  }
  if (typeof e.url === 'string') out.route = routeTemplate(e.url);
  if (e.stack) out.stack = redact(e.stack.split('\n').slice(0, 6).join('\n'));
  return out;
}

/** `/webhooks/<app>/<token>/messages/@original` → `/webhooks/:id/:token/messages/@original`; snowflakes → `:id`. */
export function routeTemplate(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\?.*$/, '');
  return path.replace(/\/webhooks\/(\d+)\/[^/]+/, '/webhooks/:id/:token').replace(/\/interactions\/(\d+)\/[^/]+/, '/interactions/:id/:token').replace(/\/\d{15,20}(?=\/|$)/g, '/:id');
}

function redact(text: string): string {
  return text.replace(/\/webhooks\/(\d+)\/[A-Za-z0-9_.-]+/g, '/webhooks/$1/:token').replace(/\/interactions\/(\d+)\/[A-Za-z0-9_.-]+/g, '/interactions/$1/:token');
}
