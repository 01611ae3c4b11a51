import { Duration, IgnoreMode, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESOURCE_ENV, type SecretField } from '../resources';
import type { LogLevel } from './deskwire-function';
import { acknowledgeFindings } from './nag';
import { grantIndexQuery, grantQueueSend } from './resource-access';

/** Port of the task's `GET /health` (the gateway's default `HEALTH_PORT`). */
export const GATEWAY_HEALTH_PORT = 8080;

/**
 * Container health check. `node` rather than `wget`/`curl`: the image is a slim Node image that may
 * carry neither, and the exec form needs no shell.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
 */
export const GATEWAY_HEALTH_COMMAND = [
  'CMD',
  'node',
  '-e',
  `fetch('http://127.0.0.1:${GATEWAY_HEALTH_PORT}/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`,
];

/**
 * The patterns of the Dockerfile's own ignore file (`<Dockerfile>.dockerignore`, which BuildKit reads
 * for that Dockerfile). CDK stages an image asset by copying its directory into `cdk.out` and only
 * honours a `.dockerignore` at the context root, so without these patterns every synth would copy
 * the whole repository, `node_modules` included.
 *
 * @see https://docs.docker.com/build/concepts/context/#filename-and-location
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ecr_assets.DockerImageAssetProps.html#exclude
 */
export function dockerignoreOf(buildContext: string, dockerfile: string): string[] {
  const ignoreFile = path.join(buildContext, `${dockerfile}.dockerignore`);
  if (!fs.existsSync(ignoreFile)) return [];
  return fs
    .readFileSync(ignoreFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Secret fields the task receives as environment variables: the bot token only. The task sends no
 * telemetry (a thin bridge: its failures are connection and publish problems, logged and alarmed),
 * so it is not given the PostHog key.
 */
const GATEWAY_SECRETS: SecretField[] = ['DISCORD_BOT_TOKEN'];

export interface GatewayServiceProps {
  /** Docker build context: the repository root (the image needs the lockfile and shared contracts). */
  readonly buildContext: string;
  /** Dockerfile path relative to {@link buildContext}, e.g. `gateway-task/Dockerfile`. */
  readonly dockerfile: string;
  readonly eventsQueue: sqs.IQueue;
  readonly table: dynamodb.ITable;
  readonly secret: secretsmanager.ISecret;
  readonly logLevel: LogLevel;
  readonly discordApplicationId: string;
  /**
   * Total shard count. Unset lets the task ask Discord for the recommended count and run all shards
   * itself; set it when the bot must be split across several tasks.
   *
   * @see https://discord.com/developers/docs/events/gateway#sharding
   */
  readonly shardCount?: number;
}

/**
 * The discord.js gateway bridge on Fargate (arm64), exactly one task at a time.
 *
 * - `desiredCount: 1`, `minHealthyPercent: 0`, `maxHealthyPercent: 100`: a deployment stops the old
 *   task before it starts the new one. Two tasks would open two sessions for the same shards and
 *   every event would reach the queue twice. The price is a gap of about a minute per deploy.
 * - The deployment circuit breaker rolls back a task that never turns healthy.
 * - Public subnets with a public IP and no NAT gateway: the task only dials out (Discord's gateway,
 *   SQS, DynamoDB, Secrets Manager, ECR, CloudWatch Logs), has no inbound rule and no load
 *   balancer, and a NAT gateway would cost more than everything else here together.
 * - Egress is limited to HTTPS; DNS and time sync go to the VPC resolver, which security groups
 *   do not filter.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html#sd-deploymentconfiguration
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
 */
export class GatewayService extends Construct {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: GatewayServiceProps) {
    super(scope, id);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });
    // Rejected traffic only: the security evidence (probes against the task) without paying to
    // log every accepted packet of the gateway's WebSocket.
    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
    this.vpc.addFlowLog('RejectedTraffic', {
      trafficType: ec2.FlowLogTrafficType.REJECT,
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      ),
    });

    // Container Insights publishes RunningTaskCount, which the "gateway down" alarm watches.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });

    const shards: Record<string, string> =
      props.shardCount === undefined
        ? {}
        : { SHARD_COUNT: String(props.shardCount), SHARD_IDS: props.shardCount === 1 ? '0' : `0-${props.shardCount - 1}` };

    this.taskDefinition.addContainer('Gateway', {
      image: ecs.ContainerImage.fromAsset(props.buildContext, {
        file: props.dockerfile,
        platform: Platform.LINUX_ARM64,
        // The context is the repository root; stage only what the build reads (see dockerignoreOf).
        exclude: dockerignoreOf(props.buildContext, props.dockerfile),
        ignoreMode: IgnoreMode.DOCKER,
      }),
      essential: true,
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'gateway',
        logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      }),
      environment: {
        [RESOURCE_ENV.eventsQueue]: props.eventsQueue.queueUrl,
        [RESOURCE_ENV.table]: props.table.tableName,
        DISCORD_APPLICATION_ID: props.discordApplicationId,
        LOG_LEVEL: props.logLevel,
        HEALTH_PORT: String(GATEWAY_HEALTH_PORT),
        ...shards,
      },
      secrets: Object.fromEntries(GATEWAY_SECRETS.map((field) => [field, ecs.Secret.fromSecretsManager(props.secret, field)])),
      healthCheck: {
        command: GATEWAY_HEALTH_COMMAND,
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        // Identifying shards is rate limited by Discord; give the first session time to come up.
        startPeriod: Duration.seconds(120),
      },
      // Time to close the WebSocket cleanly on SIGTERM so Discord does not wait for a timeout.
      stopTimeout: Duration.seconds(30),
    });

    grantQueueSend(this.taskDefinition.taskRole, props.eventsQueue);
    // The task reads only the open ticket channels (ids, guild, opener), never a ticket row.
    grantIndexQuery(this.taskDefinition.taskRole, props.table, 'OpenChannels');

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'Deskwire gateway task: no inbound; outbound HTTPS only',
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Discord gateway and REST, AWS APIs, ECR');

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      circuitBreaker: { enable: true, rollback: true },
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });

    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The plain environment holds only non-secret configuration (queue URL, table name, application id, log level, shard plan); the bot token comes from Secrets Manager through `secrets`.',
    });
    acknowledgeFindings(this.taskDefinition.obtainExecutionRole(), {
      ruleId: 'AwsSolutions-IAM5',
      finding: /^Resource::\*$/,
      reason: 'ecr:GetAuthorizationToken, which the execution role needs to pull the image, does not support resource-level permissions.',
    });
  }
}
