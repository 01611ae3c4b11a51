import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './logger';

/**
 * Which shards this task runs. `auto` asks Discord for the recommended count and runs all of them
 * (one task); a fixed plan runs `ids` out of `count` total, so several tasks can split a bot.
 *
 * @see https://discord.com/developers/docs/events/gateway#sharding
 */
export type ShardPlan = 'auto' | { ids: number[]; count: number };

/** The gateway task's configuration, parsed once at start by {@link parseGatewayConfig}. */
export interface GatewayConfig {
  /** Bot token used to IDENTIFY. Never logged. */
  discordToken: string;
  /** URL of the `events.fifo` queue the bridge publishes to. */
  eventsQueueUrl: string;
  awsRegion: string;
  /** SQS endpoint override (local emulator); unset on AWS. */
  sqsEndpoint?: string;
  /** The table whose `OpenChannels` index lists open ticket channels (read only). */
  tableName: string;
  /** DynamoDB endpoint override (DynamoDB Local); unset on AWS. */
  dynamodbEndpoint?: string;
  /** How often the open ticket channels are re-read from the table, in seconds. */
  ticketRefreshSeconds: number;
  /** REST base URL (discord.js `rest.api`, e.g. `https://discord.com/api`); unset on AWS. */
  discordApiBaseUrl?: string;
  shards: ShardPlan;
  /** Port of `GET /health`; 0 picks a free port (tests). */
  healthPort: number;
  logLevel: LogLevel;
}

/** Thrown when the environment does not describe a runnable task. The message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid gateway-task configuration: ${problems.join('; ')}`);
  }
}

// `FOO=` in an .env file means "not set", not "set to the empty string".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
const required = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) }),
  );
const httpUrl = z
  .string()
  .trim()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL');

/**
 * Parses a shard list such as `"0,1"`, `"0-3"` or `"0-3,8"` into sorted, distinct ids.
 * Returns `null` when the text is not such a list.
 */
export function parseShardIds(text: string): number[] | null {
  const ids = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > 10_000) return null;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

const EnvSchema = z
  .object({
    DISCORD_BOT_TOKEN: required('a bot token'),
    EVENTS_QUEUE_URL: required('an SQS queue URL').pipe(httpUrl),
    TABLE_NAME: required('a DynamoDB table name'),
    AWS_ENDPOINT_URL_DYNAMODB: optional(httpUrl),
    TICKET_REFRESH_SECONDS: optional(z.coerce.number({ error: 'must be a whole number of seconds ≥ 10' }).int('must be a whole number of seconds ≥ 10').min(10, 'must be a whole number of seconds ≥ 10')).default(300),
    AWS_REGION: optional(z.string().trim()),
    AWS_DEFAULT_REGION: optional(z.string().trim()),
    AWS_ENDPOINT_URL_SQS: optional(httpUrl),
    DISCORD_API_BASE_URL: optional(httpUrl),
    SHARD_IDS: optional(z.string().transform((v, ctx) => parseShardIds(v) ?? (ctx.addIssue('must be a list like "0,1" or "0-3"'), z.NEVER))),
    SHARD_COUNT: optional(z.coerce.number({ error: 'must be a whole number ≥ 1' }).int('must be a whole number ≥ 1').min(1, 'must be a whole number ≥ 1')),
    HEALTH_PORT: optional(z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535, 'must be a port number')).default(8080),
    LOG_LEVEL: optional(z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))).default('info'),
  });

/**
 * Reads the task's environment once, at start, and fails fast: every missing or malformed variable
 * is named in one {@link ConfigError} (values are never echoed — the token is one of them).
 *
 * Variables: `DISCORD_BOT_TOKEN`, `EVENTS_QUEUE_URL`, `TABLE_NAME`, `AWS_REGION` (or
 * `AWS_DEFAULT_REGION`) are required; `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_DYNAMODB`,
 * `DISCORD_API_BASE_URL`, `SHARD_IDS` + `SHARD_COUNT`, `TICKET_REFRESH_SECONDS` (300),
 * `HEALTH_PORT` (8080), `LOG_LEVEL` (info) are optional. `SHARD_COUNT` alone runs all shards of
 * that count; neither means Discord's recommended count.
 */
export function parseGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`);
  // Cross-variable rules, checked even when other variables are bad so one run names every problem.
  const shardVars = EnvSchema.pick({ SHARD_IDS: true, SHARD_COUNT: true }).safeParse(env).data;
  // ECS sets AWS_REGION; the SDK also honours AWS_DEFAULT_REGION, so accept either and name the first.
  if (!env.AWS_REGION?.trim() && !env.AWS_DEFAULT_REGION?.trim()) problems.push('AWS_REGION is required');
  if (shardVars?.SHARD_IDS && shardVars.SHARD_COUNT === undefined) {
    // Discord needs the bot's total shard count in IDENTIFY; a partial list alone cannot say it.
    problems.push('SHARD_COUNT is required when SHARD_IDS is set');
  }
  const count = shardVars?.SHARD_COUNT;
  if (shardVars?.SHARD_IDS && count !== undefined && shardVars.SHARD_IDS.some((id) => id >= count)) {
    problems.push(`SHARD_IDS must all be below SHARD_COUNT (${count})`);
  }
  const e = parsed.data;
  if (!e || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const shards: ShardPlan =
    e.SHARD_COUNT === undefined
      ? 'auto'
      : { ids: e.SHARD_IDS ?? Array.from({ length: e.SHARD_COUNT }, (_, i) => i), count: e.SHARD_COUNT };
  return {
    discordToken: e.DISCORD_BOT_TOKEN,
    eventsQueueUrl: e.EVENTS_QUEUE_URL,
    awsRegion: (e.AWS_REGION ?? e.AWS_DEFAULT_REGION)!,
    sqsEndpoint: e.AWS_ENDPOINT_URL_SQS,
    tableName: e.TABLE_NAME,
    dynamodbEndpoint: e.AWS_ENDPOINT_URL_DYNAMODB,
    ticketRefreshSeconds: e.TICKET_REFRESH_SECONDS,
    discordApiBaseUrl: e.DISCORD_API_BASE_URL,
    shards,
    healthPort: e.HEALTH_PORT,
    logLevel: e.LOG_LEVEL,
  };
}
