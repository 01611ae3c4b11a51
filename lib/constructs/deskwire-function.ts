import { RemovalPolicy, Validations, type Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { RESOURCE_ENV, type QueueKey } from '../resources';
import { acknowledgeFindings, resourceFinding } from './nag';
import {
  grantArchiveKey,
  grantBucketAccess,
  grantQueueSend,
  grantSecretRead,
  grantTableAccess,
  type BucketAccess,
  type TableAccess,
} from './resource-access';

/** Log levels the functions' config accepts (`LOG_LEVEL`). */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * The Lambda runtime, pinned: a runtime upgrade is a deliberate change tested against the bundles,
 * not a side effect of bumping aws-cdk-lib.
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

/**
 * `@discordjs/rest` resolves to its Node build under esbuild's `node` platform, which bundles undici
 * (≈ 400 KB). Its `web` build uses the runtime's built-in `fetch` and cuts a bundle from 642 KB to
 * 222 KB (DESIGN §7). The path is resolved from the bundling working directory, the project root.
 *
 * @see https://esbuild.github.io/api/#alias
 */
export const DISCORDJS_REST_ALIAS = '@discordjs/rest=./node_modules/@discordjs/rest/dist/web.js';

/**
 * Modules never bundled. `@aws-sdk/*` ships with the Node.js runtime. `discord.js` belongs to the
 * gateway task only — no Lambda imports it (DESIGN §2); marking it external keeps an accidental
 * import from pulling 1.3 MB into a bundle (it would fail loudly at cold start instead).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included
 */
export const EXTERNAL_MODULES = ['@aws-sdk/*', 'discord.js'];

/** Queue URL variable per queue. */
const QUEUE_ENV: Record<QueueKey, string> = { work: RESOURCE_ENV.workQueue, events: RESOURCE_ENV.eventsQueue, transcripts: RESOURCE_ENV.transcriptsQueue };

const APPLICATION_LOG_LEVEL: Record<LogLevel, lambda.ApplicationLogLevel> = {
  DEBUG: lambda.ApplicationLogLevel.DEBUG,
  INFO: lambda.ApplicationLogLevel.INFO,
  WARN: lambda.ApplicationLogLevel.WARN,
  ERROR: lambda.ApplicationLogLevel.ERROR,
};

export interface DeskwireFunctionProps {
  /** Handler file exporting `handler`, e.g. `<root>/lambdas/worker/handler.ts`. */
  readonly entry: string;
  /** Directory holding `package.json`, `package-lock.json` and `node_modules`; bundling runs there. */
  readonly projectRoot: string;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly description?: string;
  /** Sets `LOG_LEVEL` and the Lambda application log level together. */
  readonly logLevel: LogLevel;
  /** Plain configuration (never secrets; those come from the bound secret). */
  readonly environment?: Record<string, string>;
  /** Days the function's logs are kept. @default one month */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A Deskwire Lambda function: Node.js 22 on arm64 (Graviton is ~20 % cheaper per GB-second),
 * bundled by esbuild (minified, with source maps), JSON logs into its own log group with a
 * retention, and a role that starts with nothing but write access to that log group.
 *
 * Resources are attached with `bind*` methods, each adding the environment variable the function
 * reads (names from {@link RESOURCE_ENV}) and the IAM grant together, so a function can never see
 * a resource it may not use, or hold a grant it cannot find (DESIGN §5.7).
 *
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs-readme.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html
 */
export class DeskwireFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DeskwireFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      // Logs belong to the function: recreated with the stateless stack, expired by retention.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An own role instead of the default one, which attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs on every log group in the account).
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: APPLICATION_LOG_LEVEL[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: {
        ...props.environment,
        LOG_LEVEL: props.logLevel,
        // Map stack traces through the bundle's source maps back to the TypeScript sources.
        // https://docs.aws.amazon.com/lambda/latest/dg/typescript-exceptions.html
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        // Mappings are enough for stack traces; embedding sources would double the asset.
        sourcesContent: false,
        // Error classes are told apart by name in logs and telemetry; minification would mangle them.
        keepNames: true,
        externalModules: EXTERNAL_MODULES,
        esbuildArgs: { '--alias': DISCORDJS_REST_ALIAS },
      },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `The runtime is pinned to ${FUNCTION_RUNTIME.name}: bundles target it and upgrades are made deliberately, not by a CDK version bump.`,
    });
  }

  /** `TABLE_NAME` + item access to the table and its indexes (never Scan). */
  bindTable(table: dynamodb.ITable, access: TableAccess): this {
    this.function.addEnvironment(RESOURCE_ENV.table, table.tableName);
    grantTableAccess(this.role, table, access);
    return this;
  }

  /**
   * `WORK_QUEUE_URL` / `EVENTS_QUEUE_URL` + send rights (`send`), or + an SQS event source with
   * partial batch responses and receive/delete rights (`consume`).
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
   */
  bindQueue(key: QueueKey, queue: sqs.IQueue, mode: 'send' | 'consume', options: { batchSize?: number } = {}): this {
    this.function.addEnvironment(QUEUE_ENV[key], queue.queueUrl);
    if (mode === 'send') {
      grantQueueSend(this.role, queue);
    } else {
      // The event source grants receive/delete/change-visibility and kms:Decrypt on the queue key.
      this.function.addEventSource(
        new SqsEventSource(queue, { batchSize: options.batchSize ?? 10, reportBatchItemFailures: true }),
      );
    }
    return this;
  }

  /** `ARCHIVE_BUCKET` + object access under the bucket. */
  bindBucket(bucket: s3.IBucket, access: BucketAccess): this {
    this.function.addEnvironment(RESOURCE_ENV.bucket, bucket.bucketName);
    grantBucketAccess(this.role, bucket, access);
    acknowledgeFindings(this, {
      ruleId: 'AwsSolutions-IAM5',
      finding: resourceFinding(bucket.arnForObjects('*')),
      reason:
        'Archive objects are keyed <guild id>/<ticket>/…, and one function serves every guild, so object actions (at most Get/Put/Delete/AbortMultipartUpload) apply under the whole archive bucket.',
    });
    return this;
  }

  /**
   * `ARCHIVE_KMS_KEY_ID` (the key ARN) + `Decrypt` to unwrap guild data keys, and with `readWrite`
   * `GenerateDataKey` to create them (envelope encryption).
   */
  bindArchiveKey(key: kms.IKey, access: 'read' | 'readWrite'): this {
    this.function.addEnvironment(RESOURCE_ENV.archiveKey, key.keyArn);
    grantArchiveKey(this.role, key, access);
    return this;
  }

  /** `DESKWIRE_SECRET_ARN` + `GetSecretValue` on the credentials secret. */
  bindSecret(secret: secretsmanager.ISecret): this {
    this.function.addEnvironment(RESOURCE_ENV.secret, secret.secretArn);
    grantSecretRead(this.role, secret);
    return this;
  }
}
