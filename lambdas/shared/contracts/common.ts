import * as z from 'zod/mini';

/** A Discord snowflake id: a 64-bit integer carried as a decimal string. @see https://discord.com/developers/docs/reference#snowflakes */
export const Snowflake = z.string().check(z.regex(/^\d{1,20}$/, 'must be a Discord snowflake'));
