import { z } from 'zod';

/** Raised at cold start when the environment is incomplete or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  - ${issues.join('\n  - ')}\nSee .env.example for every variable.`);
  }
}

/**
 * Parses `env` with `schema` once and fails fast, naming each bad or missing variable.
 * Required values have no defaults (DESIGN §5.3).
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  // Empty strings from a half-filled .env mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(root)';
        return issue.code === 'invalid_type' && cleaned[name] === undefined ? `${name} is required but not set` : `${name}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

/** Field schemas shared by the processes' config schemas — the variable names are a contract. */
export const Fields = {
  snowflake: z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake (17–20 digits)'),
  /** Discord shows the public key as 64 hex characters in the developer portal. */
  publicKey: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (the Ed25519 public key from the developer portal)'),
  url: z.url(),
  nonEmpty: z.string().min(1),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
} as const;

/** The Discord REST base (`/api`; the version is added by the client). @see https://discord.com/developers/docs/reference#api-reference-base-url */
export const DISCORD_DEFAULT_API_BASE_URL = 'https://discord.com/api';

/** Variables every function shares: AWS resources, Discord app identity, telemetry. */
export const CommonConfig = z.object({
  AWS_REGION: z.string().default('us-east-1'),
  /** Local only: one endpoint for DynamoDB Local. */
  AWS_ENDPOINT_URL_DYNAMODB: Fields.url.optional(),
  /** Local only: the SQS/S3 emulator endpoint. */
  AWS_ENDPOINT_URL_SQS: Fields.url.optional(),
  AWS_ENDPOINT_URL_S3: Fields.url.optional(),
  TABLE_NAME: Fields.nonEmpty,
  DISCORD_APPLICATION_ID: Fields.snowflake,
  DISCORD_API_BASE_URL: Fields.url.default(DISCORD_DEFAULT_API_BASE_URL),
  POSTHOG_API_KEY: z.string().optional(),
  POSTHOG_HOST: Fields.url.default('https://us.i.posthog.com'),
  LOG_LEVEL: Fields.logLevel,
});
export type CommonConfig = z.infer<typeof CommonConfig>;
