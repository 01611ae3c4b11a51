import * as z from 'zod/mini';

/** Raised at cold start when the environment is incomplete or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  - ${issues.join('\n  - ')}\nSee .env.example for every variable.`);
  }
}

/**
 * Parses `env` with `schema` once and fails fast, naming each bad or missing variable.
 * Required values have no defaults (DESIGN §5.3). zod's mini build keeps Lambda bundles small.
 */
export function parseConfig<S extends z.ZodMiniType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  // Empty strings from a half-filled .env mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(root)';
        if (cleaned[name] === undefined && issue.code === 'invalid_type') return `${name} is required but not set`;
        return `${name}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

const url = (what = 'must be a URL such as https://example.com') => z.url({ error: what });

/** Field schemas shared by the processes' config schemas — the variable names are a contract. */
export const Fields = {
  snowflake: z.string().check(z.regex(/^\d{17,20}$/, 'must be a Discord snowflake (17–20 digits)')),
  /** Discord shows the public key as 64 hex characters in the developer portal. */
  publicKey: z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (the Ed25519 public key from the developer portal)')),
  url: url(),
  nonEmpty: z.string().check(z.minLength(1, 'must not be empty')),
  logLevel: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'], { error: 'must be one of DEBUG, INFO, WARN, ERROR, SILENT' }), 'INFO'),
} as const;

/** The Discord REST base (`/api`; the version is added by the client). @see https://discord.com/developers/docs/reference#api-reference-base-url */
export const DISCORD_DEFAULT_API_BASE_URL = 'https://discord.com/api';

/** Variables every function shares: AWS resources, Discord app identity, telemetry. */
export const CommonConfig = z.object({
  AWS_REGION: z._default(z.string(), 'us-east-1'),
  /** Local only: DynamoDB Local. */
  AWS_ENDPOINT_URL_DYNAMODB: z.optional(Fields.url),
  /** Local only: the SQS/S3 emulator endpoint. */
  AWS_ENDPOINT_URL_SQS: z.optional(Fields.url),
  AWS_ENDPOINT_URL_S3: z.optional(Fields.url),
  TABLE_NAME: Fields.nonEmpty,
  DISCORD_APPLICATION_ID: Fields.snowflake,
  DISCORD_API_BASE_URL: z._default(Fields.url, DISCORD_DEFAULT_API_BASE_URL),
  POSTHOG_API_KEY: z.optional(z.string()),
  POSTHOG_HOST: z._default(Fields.url, 'https://us.i.posthog.com'),
  LOG_LEVEL: Fields.logLevel,
  /** Days a guild keeps working after its license expires (gates, notices and /status agree on it). */
  LICENSE_GRACE_DAYS: z._default(z.pipe(z.string().check(z.regex(/^([0-9]|[1-5][0-9]|60)$/, 'must be a whole number of days from 0 to 60')), z.transform(Number)), 3),
});
export type CommonConfig = z.infer<typeof CommonConfig>;
