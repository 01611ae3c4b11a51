import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as path from 'node:path';
import { Alarms } from './constructs/alarms';
import { DashboardSite } from './constructs/dashboard-site';
import { DeskwireFunction, type LogLevel } from './constructs/deskwire-function';
import { GatewayService } from './constructs/gateway-service';
import { FUNCTION_TIMEOUTS, SWEEP_INTERVAL_MINUTES } from './resources';
import type { StatefulStack } from './stateful-stack';

/** The function names, which are also their folders under `lambdas/`. */
export const FUNCTION_NAMES = ['interactions', 'worker', 'events', 'sweeper', 'dashboard', 'transcripts'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Memory per function (MB). Lambda CPU scales with memory; the worker compresses and encrypts transcripts. */
const MEMORY_MB: Record<FunctionName, number> = { interactions: 512, worker: 1024, events: 512, sweeper: 512, dashboard: 512, transcripts: 2048 };

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
  /** Discord application id (a snowflake). */
  readonly discordApplicationId: string;
  /** Discord application public key (64 hex characters) for Ed25519 request verification. */
  readonly discordPublicKey: string;
  readonly posthogHost: string;
  readonly logLevel: LogLevel;
  /**
   * Public origin of the dashboard (`DASHBOARD_BASE_URL`, the OAuth2 redirect base), e.g. the
   * `DashboardUrl` output or a custom domain. It cannot default to the CloudFront domain: the
   * distribution already depends on the dashboard function (its API origin), so the function's
   * environment referencing the distribution would be a dependency cycle.
   */
  readonly dashboardBaseUrl?: string;
  /** Total gateway shards; unset lets the gateway use Discord's recommended count. */
  readonly gatewayShardCount?: number;
  /**
   * The vendor HQ's plain settings (`HQ_*`, `CALLOUT_*`, `ENFORCEMENT_APPEAL`) for the interactions,
   * worker and sweeper functions. `ENFORCEMENT_KEY` is never here: it is a field of the credentials secret.
   */
  readonly vendorEnvironment?: Record<string, string>;
  /**
   * Folder holding `lambdas/`, `gateway-task/`, `web/` and `package-lock.json`; also the gateway
   * image's build context. @default the repository root
   */
  readonly projectRoot?: string;
}

/**
 * Compute and delivery, all replaceable: the six Lambda functions, the sweep schedule, the
 * gateway service, the dashboard site and the alarms. Resources come from {@link StatefulStack} by
 * cross-stack reference, each bound to a function together with its grant.
 *
 * @see https://discord.com/developers/docs/interactions/overview#configuring-an-interactions-endpoint-url
 */
export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, DeskwireFunction>;
  readonly interactionsUrl: lambda.FunctionUrl;
  readonly dashboardUrl: lambda.FunctionUrl;
  readonly gateway: GatewayService;
  readonly site: DashboardSite;
  readonly alarms: Alarms;
  readonly sweepRule: events.Rule;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Exports/imports: CloudFormation refuses to delete or replace a stateful resource while a
    // function here still uses it. Stated explicitly because the app-wide default may change.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { stateful } = props;
    const root = props.projectRoot ?? path.resolve(__dirname, '..');
    const { work, events: gatewayEvents, transcripts: transcriptBuilds } = stateful.queues;

    const common = { DISCORD_APPLICATION_ID: props.discordApplicationId, POSTHOG_HOST: props.posthogHost };
    const make = (name: FunctionName, description: string, environment: Record<string, string> = {}) =>
      new DeskwireFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}`, {
        entry: path.join(root, 'lambdas', name, 'handler.ts'),
        projectRoot: root,
        timeout: Duration.seconds(FUNCTION_TIMEOUTS[name]),
        memorySize: MEMORY_MB[name],
        description,
        logLevel: props.logLevel,
        environment: { ...common, ...environment },
      });

    // Verifies and answers Discord interactions within 3 s; slow work goes to the work queue.
    // The public, unauthenticated endpoint gets no credentials (the public key is public): it
    // reserves tickets in the table and hands the Discord work to the worker.
    const vendor = props.vendorEnvironment ?? {};
    const interactions = make('interactions', 'Deskwire: Discord interactions endpoint', { DISCORD_PUBLIC_KEY: props.discordPublicKey, ...vendor })
      .bindTable(stateful.table, 'readWrite')
      .bindQueue('work', work.queue, 'send');

    // Multi-call Discord work, transcripts and archive uploads.
    const worker = make('worker', 'Deskwire: work queue consumer', vendor)
      .bindSecret(stateful.secret)
      .bindTable(stateful.table, 'readWrite')
      .bindQueue('work', work.queue, 'consume', { batchSize: 10 })
      // Its own follow-ups: the archive delayed by the close delay, the transcript hand-over.
      .bindQueue('work', work.queue, 'send')
      .bindQueue('transcripts', transcriptBuilds.queue, 'send')
      .bindBucket(stateful.archiveBucket, 'readWrite')
      .bindArchiveKey(stateful.archiveKey, 'readWrite');

    // Transcript builds: the worker's code on its own queue, one build per invocation, with the
    // minutes and memory a large ticket needs (up to 250 MB of attachments re-hosted and sealed).
    const transcripts = make('transcripts', 'Deskwire: transcript builds')
      .bindSecret(stateful.secret)
      .bindTable(stateful.table, 'readWrite')
      .bindQueue('transcripts', transcriptBuilds.queue, 'consume', { batchSize: 1 })
      // The worker's config names both queues; a transcript job sends nothing itself.
      .bindQueue('work', work.queue, 'send')
      .bindBucket(stateful.archiveBucket, 'readWrite')
      .bindArchiveKey(stateful.archiveKey, 'readWrite');

    // Live ticket log and guild lifecycle from the gateway, in channel order.
    const eventsFn = make('events', 'Deskwire: gateway events consumer')
      .bindSecret(stateful.secret)
      .bindTable(stateful.table, 'readWrite')
      .bindQueue('events', gatewayEvents.queue, 'consume', { batchSize: 10 })
      // Closes and notes caused by gateway events: the worker does their Discord half.
      .bindQueue('work', work.queue, 'send');

    // Due-time sweeps: purging removed guilds, auto-closing idle tickets. Discord work (warnings,
    // closes) goes to the worker through the work queue; sweeps that delete archives add the bucket.
    const sweeper = make('sweeper', 'Deskwire: scheduled sweeps', vendor)
      .bindSecret(stateful.secret)
      .bindTable(stateful.table, 'readWrite')
      .bindQueue('work', work.queue, 'send')
      // Stuck transcript builds are queued again (the transcript repair sweep).
      .bindQueue('transcripts', transcriptBuilds.queue, 'send')
      // Transcript retention and guild purges delete archive objects (no key needed to delete).
      .bindBucket(stateful.archiveBucket, 'delete');

    // Dashboard API: guild settings and transcripts for signed-in admins.
    const dashboard = make(
      'dashboard',
      'Deskwire: dashboard API',
      props.dashboardBaseUrl === undefined ? {} : { DASHBOARD_BASE_URL: props.dashboardBaseUrl },
    )
      .bindSecret(stateful.secret)
      .bindTable(stateful.table, 'readWrite')
      .bindBucket(stateful.archiveBucket, 'read')
      .bindArchiveKey(stateful.archiveKey, 'read');

    this.functions = { interactions, worker, events: eventsFn, sweeper, dashboard, transcripts };
    // Without dashboardBaseUrl the dashboard takes its public origin from CloudFront's
    // x-forwarded-host header (set by the site's viewer-request function), so one deploy suffices.

    // Discord signs every request (Ed25519), which the function verifies; IAM auth is not an option
    // for a third-party caller.
    this.interactionsUrl = interactions.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    // Reached through CloudFront (see DashboardSite); the dashboard authenticates its own sessions.
    this.dashboardUrl = dashboard.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    // Every sweep is idempotent and the next one is minutes away, so a failed sweep is not retried
    // by Lambda (retries could overlap the next run); EventBridge still retries failed deliveries
    // while the event is fresher than one interval.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
    sweeper.function.configureAsyncInvoke({ retryAttempts: 0 });
    this.sweepRule = new events.Rule(this, 'SweepSchedule', {
      description: `Deskwire: run the sweeper every ${SWEEP_INTERVAL_MINUTES} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(SWEEP_INTERVAL_MINUTES)),
      targets: [new targets.LambdaFunction(sweeper.function, { retryAttempts: 2, maxEventAge: Duration.minutes(SWEEP_INTERVAL_MINUTES) })],
    });

    this.gateway = new GatewayService(this, 'Gateway', {
      buildContext: root,
      dockerfile: 'gateway-task/Dockerfile',
      eventsQueue: gatewayEvents.queue,
      table: stateful.table,
      secret: stateful.secret,
      logLevel: props.logLevel,
      discordApplicationId: props.discordApplicationId,
      shardCount: props.gatewayShardCount,
    });

    this.site = new DashboardSite(this, 'Site', {
      webDirectory: path.join(root, 'web'),
      apiUrl: this.dashboardUrl,
      logBucket: stateful.logBucket,
    });
    // Transcript links in embeds and DMs point at the viewer (the dashboard's origin). The worker is
    // not behind the distribution, so it can name its domain without a cycle.
    worker.function.addEnvironment('TRANSCRIPT_VIEWER_URL', props.dashboardBaseUrl ?? `https://${this.site.distribution.distributionDomainName}`);
    transcripts.function.addEnvironment('TRANSCRIPT_VIEWER_URL', props.dashboardBaseUrl ?? `https://${this.site.distribution.distributionDomainName}`);

    this.alarms = new Alarms(this, 'Alarms', {
      topic: stateful.alarmTopic,
      functions: Object.fromEntries(Object.entries(this.functions).map(([name, fn]) => [name, fn.function])),
      deadLetterQueues: { work: work.deadLetterQueue, events: gatewayEvents.deadLetterQueue, transcripts: transcriptBuilds.deadLetterQueue },
      interactions: interactions.function,
      gateway: this.gateway.service,
    });

    new CfnOutput(this, 'InteractionsEndpointUrl', {
      value: this.interactionsUrl.url,
      description: 'Discord developer portal > your application > General Information > Interactions Endpoint URL',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.site.distribution.distributionDomainName}`,
      description: 'The web dashboard: register <this>/auth/callback as an OAuth2 redirect in the Discord developer portal',
    });
  }
}
