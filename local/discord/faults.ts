import { compileTemplate } from './router';

/**
 * A failure to answer instead of the real response.
 *
 * - 429: a rate limit; `retryAfter` in seconds (float), `global` for the global limit.
 * - 5xx: Discord or Cloudflare having a bad moment (clients retry these).
 * - 403: a permission error; `code` defaults to 50013 Missing Permissions.
 * - 404: something gone, by its JSON code (10003 Unknown Channel, 10007 Unknown Member…), e.g. a
 *   member who left between two calls.
 *
 * @see https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit
 */
export type Fault =
  | { status: 429; retryAfter: number; global?: boolean; scope?: 'user' | 'global' | 'shared' }
  | { status: 500 | 502 | 503 | 504 }
  | { status: 403; code?: number; message?: string }
  | { status: 404; code: number; message?: string };

/** One registered fault; `remaining` counts down to 0, `hits` counts how often it fired. */
export interface FaultRule {
  pattern: string | RegExp;
  fault: Fault;
  remaining: number;
  hits: number;
}

/**
 * Route-pattern fault injection. Patterns are:
 * - a route template, optionally with a method: `'POST /channels/{channel}/messages'` — `{x}` matches
 *   one path segment and `*` matches the rest of the path;
 * - a literal path: `'/channels/123/messages'`;
 * - a RegExp tested against `"METHOD /path"` (path without `/api/v10`).
 *
 * The first live rule that matches fires, in the order rules were set.
 */
export class FaultInjector {
  private rules: Array<FaultRule & { test(method: string, path: string): boolean }> = [];

  /**
   * Fail requests matching `pattern` with `fault`, `times` times (default: until cleared).
   * Returns the rule, whose `hits` and `remaining` can be asserted on.
   */
  set(pattern: string | RegExp, fault: Fault, times = Number.POSITIVE_INFINITY): FaultRule {
    const rule = { pattern, fault, remaining: times, hits: 0, test: routeMatcher(pattern) };
    this.rules.push(rule);
    return rule;
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The rules still able to fire. */
  get active(): readonly FaultRule[] {
    return this.rules.filter((r) => r.remaining > 0);
  }

  /** The fault for this request, if any (consumes one use). */
  take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && r.test(method, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.hits += 1;
    return rule.fault;
  }
}

/**
 * A predicate for `"METHOD /path"` pairs from a fault-style pattern (see {@link FaultInjector});
 * also used to filter the request log.
 */
export function routeMatcher(pattern: string | RegExp): (method: string, path: string) => boolean {
  if (pattern instanceof RegExp) return (method, path) => pattern.test(`${method} ${path}`);
  const spaced = /^([A-Z]+)\s+(\S+)$/.exec(pattern.trim());
  const method = spaced?.[1];
  let template = (spaced?.[2] ?? pattern.trim()).replace(/^\/api(\/v\d+)?(?=\/)/, '');
  const rest = template.endsWith('/*');
  if (rest) template = template.slice(0, -2);
  const { regex } = compileTemplate(template);
  // A trailing `/*` keeps the template's prefix and accepts anything (or nothing) after it.
  const source = rest ? new RegExp(`${regex.source.replace(/\\?\/\?\$$/, '')}(?:/.*)?$`) : regex;
  return (m, path) => (!method || method === m) && source.test(path);
}
