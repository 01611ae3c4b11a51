import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * On AWS, credentials (bot token, client secret, PostHog and Anthropic keys, session secret) live
 * in one Secrets Manager secret whose ARN is `DESKWIRE_SECRET_ARN`. This returns `env` with the
 * secret's JSON keys filled in (values already set in `env` win, so local `.env` files work
 * unchanged). Called once per cold start, before config parsing.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
 */
export async function withSecrets(env: Record<string, string | undefined>): Promise<Record<string, string | undefined>> {
  const arn = env.DESKWIRE_SECRET_ARN;
  if (!arn) return env;
  const client = new SecretsManagerClient({ region: env.AWS_REGION });
  try {
    const res = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const values = JSON.parse(res.SecretString ?? '{}') as Record<string, unknown>;
    const merged = { ...env };
    for (const [k, v] of Object.entries(values)) {
      if (typeof v === 'string' && v !== '' && !merged[k]) merged[k] = v;
    }
    return merged;
  } finally {
    client.destroy();
  }
}
