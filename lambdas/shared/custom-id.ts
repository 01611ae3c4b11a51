/**
 * The `custom_id` scheme for buttons, selects and modals, parsed in one place:
 * `dw1:<action>:<arg>:<arg>…` (≤ 100 characters, Discord's limit). The version prefix lets us
 * change the scheme while old messages still carry old ids: anything unparseable is "stale".
 *
 * @see https://discord.com/developers/docs/components/reference#anatomy-of-a-component-custom-id
 */
const PREFIX = 'dw1';
const MAX_LENGTH = 100;

export interface CustomId {
  action: string;
  args: string[];
}

export function buildCustomId(action: string, ...args: string[]): string {
  for (const part of [action, ...args]) {
    if (part.includes(':')) throw new Error(`custom_id part may not contain ':' (${part})`);
  }
  const id = [PREFIX, action, ...args].join(':');
  if (id.length > MAX_LENGTH) throw new Error(`custom_id longer than ${MAX_LENGTH} characters: ${id}`);
  return id;
}

/** Returns null for ids from another scheme or version (treated as a stale action). */
export function parseCustomId(raw: string): CustomId | null {
  const [prefix, action, ...args] = raw.split(':');
  if (prefix !== PREFIX || !action) return null;
  return { action, args };
}
