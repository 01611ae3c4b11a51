import { createHmac } from 'node:crypto';

/**
 * What telemetry sends for a ticket category: a short keyed hash of guild id + category id.
 *
 * Category ids are slugs of their names ("Harassment reports" → `harassment-repo`), and names say
 * what a server deals with, so they never leave. The same category always gives the same value,
 * so events can still be grouped by category; without the key (a deployment secret) nobody can
 * test a guessed name against it. 12 hex characters (48 bits) keep collisions within one guild's
 * few dozen categories out of reach.
 *
 * @see https://posthog.com/docs/product-analytics/trends/breakdowns
 */
export function telemetryCategoryRef(key: string, guildId: string, categoryId: string): string {
  return `c_${createHmac('sha256', key).update(`category\0${guildId}\0${categoryId}`).digest('hex').slice(0, 12)}`;
}
