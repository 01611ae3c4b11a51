/**
 * Key builders for the single table (DESIGN §3). Every item is keyed by tenant first. Keep all
 * key formats here so access patterns are reviewable in one place.
 */
export const Keys = {
  guildPk: (guildId: string) => `GUILD#${guildId}`,
  guildConfig: (guildId: string) => ({ PK: `GUILD#${guildId}`, SK: 'CONFIG' }),
  job: (key: string) => ({ PK: `JOB#${key}`, SK: 'JOB' }),
  session: (id: string) => ({ PK: `SESSION#${id}`, SK: 'SESSION' }),
} as const;

/** `dueKind` values of the `ByDue` sparse index, one per sweep. */
export const DueKind = {
  purge: 'DUE#purge',
} as const;
