import { Annotations, App, Tags, Validations, type Environment } from 'aws-cdk-lib';
import { DeskwireNagChecks } from '../lib/constructs/nag';
import { refusePlaceholderDeploy } from '../lib/constructs/refuse-placeholders';
import type { LogLevel } from '../lib/constructs/deskwire-function';
import { StatefulStack } from '../lib/stateful-stack';
import { StatelessStack } from '../lib/stateless-stack';

/** The two stacks of one Deskwire deployment. */
export interface DeskwireStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Context keys of the vendor HQ, passed as `HQ_GUILD_ID`, `CALLOUT_TERMS_TEXT`, … (see `lambdas/shared/hq/config.ts`). */
const VENDOR_CONTEXT = [
  'hqGuildId',
  'hqCalloutChannelId',
  'hqAgentRoleIds',
  'hqEnforceStandardRoleIds',
  'hqEnforceElevatedRoleIds',
  'hqEnforceSudoRoleIds',
  'calloutTermsVersion',
  'calloutTermsText',
  'calloutEscalateMinutes',
  'calloutExpireMinutes',
  'calloutCooldownMinutes',
  'enforcementAppeal',
] as const;

/**
 * Stand-ins for the Discord context so `cdk synth` works on a fresh clone. They can never verify a
 * real request; `npm run deploy` refuses them (see {@link BuildOptions.forDeploy}), and a template
 * that holds them carries a CloudFormation rule that fails every deploy.
 */
export const PLACEHOLDER_CONTEXT = { discordApplicationId: '100000000000000000', discordPublicKey: '0'.repeat(64) } as const;

/** Set by `npm run deploy` (package.json): the Discord context must be real. */
export const DEPLOY_ENV_FLAG = 'DESKWIRE_DEPLOY';

function requiredContext(app: App, key: keyof typeof PLACEHOLDER_CONTEXT, pattern: RegExp, what: string, placeholders: string[] | null): string {
  const value = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') {
    if (!placeholders) throw new Error(`Missing CDK context "${key}": pass -c ${key}=<${what}> (or set it under "context" in cdk.json).`);
    placeholders.push(key);
    return PLACEHOLDER_CONTEXT[key];
  }
  const text = String(value);
  if (!pattern.test(text)) throw new Error(`CDK context "${key}" must be the ${what}; got "${text}".`);
  return text;
}

function optionalContext(app: App, key: string): string | undefined {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * Builds Deskwire into `app`: the stateful and stateless stacks (the latter depending on the
 * former), the `Project=Deskwire` tag, and the cdk-nag AWS Solutions checks, which fail synthesis
 * on any unacknowledged finding. `bin/app.ts` and the CDK tests both call this, so tests check the
 * exact shape that deploys.
 *
 * CDK context it reads (`-c key=value` or `cdk.json` "context"):
 *
 * | key | required | meaning |
 * |---|---|---|
 * | `discordApplicationId` | to deploy | Application ID from the Discord developer portal (synth alone uses a placeholder, with a warning) |
 * | `discordPublicKey` | to deploy | Public key (64 hex) from the same page, for request verification (likewise) |
 * | `dashboardBaseUrl` | no | public origin of the dashboard (the `DashboardUrl` output or a custom domain); the dashboard API needs it, so the first deploy is followed by a second with it |
 * | `alarmEmail` | no | address subscribed to the alarm topic |
 * | `posthogHost` | no | PostHog ingest host (default `https://us.i.posthog.com`) |
 * | `logLevel` | no | `DEBUG`, `INFO` (default), `WARN` or `ERROR` |
 * | `gatewayShardCount` | no | fixed total shard count; unset uses Discord's recommendation |
 * | `hqGuildId`, `hqCalloutChannelId`, `hqAgentRoleIds`, `hqEnforceStandardRoleIds`, `hqEnforceElevatedRoleIds`, `hqEnforceSudoRoleIds`, `calloutTermsVersion`, `calloutTermsText`, `calloutEscalateMinutes`, `calloutExpireMinutes`, `calloutCooldownMinutes`, `enforcementAppeal` | no | the vendor HQ (callouts, enforcement): the variables of the same name in upper snake case; checked by the functions' config at cold start |
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
 * @see https://github.com/cdklabs/cdk-nag
 */
export interface BuildOptions {
  projectRoot?: string;
  /**
   * Refuse to build without the Discord context (`npm run deploy` sets {@link DEPLOY_ENV_FLAG}).
   * Otherwise missing values become placeholders with a synth-time warning, so `cdk synth` works
   * offline on a fresh clone.
   */
  forDeploy?: boolean;
}

export function buildApp(app: App, options: BuildOptions = {}): DeskwireStacks {
  const placeholders: string[] | null = options.forDeploy ? null : [];
  const discordApplicationId = requiredContext(app, 'discordApplicationId', /^\d{17,20}$/, 'Discord application ID (a 17–20 digit snowflake)', placeholders);
  const discordPublicKey = requiredContext(app, 'discordPublicKey', /^[0-9a-fA-F]{64}$/, 'Discord application public key (64 hex characters)', placeholders);
  const logLevel = (optionalContext(app, 'logLevel')?.toUpperCase() ?? 'INFO') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`CDK context "logLevel" must be one of ${LOG_LEVELS.join(', ')}.`);
  const dashboardBaseUrl = optionalContext(app, 'dashboardBaseUrl')?.replace(/\/+$/, '');
  if (dashboardBaseUrl !== undefined && !/^https:\/\/[^/\s]+$/.test(dashboardBaseUrl)) {
    throw new Error(`CDK context "dashboardBaseUrl" must be an https origin such as https://d111111abcdef8.cloudfront.net; got "${dashboardBaseUrl}".`);
  }
  const shardText = optionalContext(app, 'gatewayShardCount');
  const gatewayShardCount = shardText === undefined ? undefined : Number(shardText);
  if (gatewayShardCount !== undefined && !(Number.isInteger(gatewayShardCount) && gatewayShardCount >= 1)) {
    throw new Error('CDK context "gatewayShardCount" must be a whole number ≥ 1.');
  }

  const vendorEnvironment = Object.fromEntries(
    VENDOR_CONTEXT.flatMap((key) => {
      const value = optionalContext(app, key);
      return value === undefined ? [] : [[key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), value]];
    }),
  );

  // Environment-agnostic unless the CLI knows the account and region (it does when credentials are
  // configured); synth needs neither.
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const env: Environment | undefined = account && region ? { account, region } : undefined;

  const stateful = new StatefulStack(app, 'DeskwireStateful', {
    env,
    description: 'Deskwire: table, archive, queues, key, secret, alarm topic',
    alarmEmail: optionalContext(app, 'alarmEmail'),
  });
  const stateless = new StatelessStack(app, 'DeskwireStateless', {
    env,
    description: 'Deskwire: functions, gateway, dashboard, alarms',
    stateful,
    discordApplicationId,
    discordPublicKey,
    posthogHost: optionalContext(app, 'posthogHost') ?? 'https://us.i.posthog.com',
    logLevel,
    dashboardBaseUrl,
    gatewayShardCount,
    vendorEnvironment,
    projectRoot: options.projectRoot,
  });
  stateless.addStackDependency(stateful);
  if (placeholders?.length) {
    Annotations.of(stateless).addWarningV2(
      'deskwire:placeholder-discord-context',
      `Synthesized with placeholder ${placeholders.join(' and ')}: fine for reading templates, never for deploying. ` +
        `Deploy with npm run deploy -- ${placeholders.map((k) => `-c ${k}=…`).join(' ')} (it refuses placeholders).`,
    );
    // Every other deploy path (a direct `npx cdk deploy`, one stack at a time) is refused by CloudFormation itself.
    refusePlaceholderDeploy(stateless, placeholders);
  }

  Tags.of(app).add('Project', 'Deskwire');
  Validations.of(app).addPlugins(new DeskwireNagChecks(app, { verbose: true }));
  return { stateful, stateless };
}

// `cdk synth` runs this file (cdk.json "app": "tsx bin/app.ts"); tests import buildApp instead.
if (require.main === module) {
  try {
    buildApp(new App(), { forDeploy: process.env[DEPLOY_ENV_FLAG] === '1' });
  } catch (err) {
    // A missing or malformed context value is an operator's typo, not a crash: say what to pass.
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
