import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../../bin/app';
import { DASHBOARD_API_PATHS } from '../../lib/constructs/dashboard-site';
import { GATEWAY_HEALTH_COMMAND } from '../../lib/constructs/gateway-service';
import { FUNCTION_TIMEOUTS, QUEUES, RESOURCE_ENV, SWEEP_INTERVAL_MINUTES } from '../../lib/resources';
import { FUNCTION_NAMES, type FunctionName } from '../../lib/stateless-stack';

// CloudFormation schema validation runs once, in nag.test.ts; it costs ~3 s per synth.
const APP_PROPS = { builtinCloudFormationValidation: false };
const CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  discordApplicationId: '123456789012345678',
  discordPublicKey: 'ab'.repeat(32),
};

const app = new App({ ...APP_PROPS, context: CONTEXT });
const { stateful, stateless } = buildApp(app);
const template = Template.fromStack(stateless);
const statefulTemplate = Template.fromStack(stateful);

/** The stateful stack's output exported for a logical id prefix (cross-stack references import these). */
const exportOf = (logicalIdPrefix: string, attribute?: string): string => {
  const outputs = statefulTemplate.findOutputs('*');
  const match = Object.entries(outputs).find(([, o]) => {
    const v = o.Value;
    if (!o.Export) return false;
    return attribute
      ? v['Fn::GetAtt']?.[0]?.startsWith(logicalIdPrefix) && v['Fn::GetAtt'][1] === attribute
      : typeof v.Ref === 'string' && v.Ref.startsWith(logicalIdPrefix);
  });
  if (!match) throw new Error(`no export for ${logicalIdPrefix} ${attribute ?? 'Ref'}`);
  return match[1].Export.Name;
};
const imported = (logicalIdPrefix: string, attribute?: string) => ({ 'Fn::ImportValue': exportOf(logicalIdPrefix, attribute) });

const functionByName = (name: FunctionName) => {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^Deskwire: ') } });
  const entry = Object.entries(fns).find(([id]) => id.startsWith(`${name[0]!.toUpperCase()}${name.slice(1)}Function`));
  if (!entry) throw new Error(`function ${name} not found`);
  return { logicalId: entry[0], props: entry[1].Properties };
};

describe('DeskwireStateless functions', () => {
  test('five Node.js 22 functions on arm64, JSON logs into their own log group', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', LogGroup: { Ref: Match.anyValue() } },
      },
      FUNCTION_NAMES.length,
    );
  });

  test.each(FUNCTION_NAMES)('%s uses its timeout from lib/resources.ts and maps source maps', (name) => {
    const { props } = functionByName(name);
    expect(props.Timeout).toBe(FUNCTION_TIMEOUTS[name]);
    expect(props.Environment.Variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      LOG_LEVEL: 'INFO',
      DISCORD_APPLICATION_ID: CONTEXT.discordApplicationId,
      POSTHOG_HOST: 'https://us.i.posthog.com',
      [RESOURCE_ENV.table]: imported('Table'),
      ...(name === 'interactions' ? {} : { [RESOURCE_ENV.secret]: imported('Secret') }),
    });
  });

  test('each function receives exactly the resources it is bound to', () => {
    const resourceVars = (name: FunctionName) =>
      Object.keys(functionByName(name).props.Environment.Variables)
        .filter((k) => (Object.values(RESOURCE_ENV) as string[]).includes(k))
        .sort();
    // The public endpoint holds no credentials.
    expect(resourceVars('interactions')).toEqual(['TABLE_NAME', 'WORK_QUEUE_URL']);
    expect(resourceVars('worker')).toEqual(['ARCHIVE_BUCKET', 'ARCHIVE_KMS_KEY_ID', 'DESKWIRE_SECRET_ARN', 'TABLE_NAME', 'TRANSCRIPTS_QUEUE_URL', 'WORK_QUEUE_URL']);
    expect(resourceVars('transcripts')).toEqual(['ARCHIVE_BUCKET', 'ARCHIVE_KMS_KEY_ID', 'DESKWIRE_SECRET_ARN', 'TABLE_NAME', 'TRANSCRIPTS_QUEUE_URL', 'WORK_QUEUE_URL']);
    expect(resourceVars('events')).toEqual(['DESKWIRE_SECRET_ARN', 'EVENTS_QUEUE_URL', 'TABLE_NAME', 'WORK_QUEUE_URL']);
    expect(resourceVars('sweeper')).toEqual(['ARCHIVE_BUCKET', 'DESKWIRE_SECRET_ARN', 'TABLE_NAME', 'TRANSCRIPTS_QUEUE_URL', 'WORK_QUEUE_URL']);
    expect(resourceVars('dashboard')).toEqual(['ARCHIVE_BUCKET', 'ARCHIVE_KMS_KEY_ID', 'DESKWIRE_SECRET_ARN', 'TABLE_NAME']);
    expect(functionByName('interactions').props.Environment.Variables.DISCORD_PUBLIC_KEY).toBe(CONTEXT.discordPublicKey);
    expect(functionByName('worker').props.Environment.Variables[RESOURCE_ENV.archiveKey]).toEqual(imported('ArchiveKey', 'Arn'));
  });

  test('only the functions that seal or open transcripts can use the archive key, and only for guild data keys', () => {
    const policyOf = (name: FunctionName) => {
      const [, policy] = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith(`${name[0]!.toUpperCase()}${name.slice(1)}Role`))!;
      return policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>;
    };
    const archiveKeyArn = JSON.stringify(imported('ArchiveKey', 'Arn'));
    for (const name of ['interactions', 'events', 'sweeper'] as const) {
      expect(JSON.stringify(policyOf(name))).not.toContain(archiveKeyArn);
    }
    const guildOnly = { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['guild'] }, Null: { 'kms:EncryptionContext:guild': 'false' } };
    for (const [name, actions] of [['worker', ['kms:GenerateDataKey', 'kms:Decrypt']], ['transcripts', ['kms:GenerateDataKey', 'kms:Decrypt']], ['dashboard', 'kms:Decrypt']] as const) {
      const uses = policyOf(name).filter((s) => JSON.stringify(s.Resource) === archiveKeyArn);
      expect(uses).toEqual([{ Effect: 'Allow', Action: actions, Resource: imported('ArchiveKey', 'Arn'), Condition: guildOnly }]);
    }
  });

  test('the interactions role cannot read the credentials secret', () => {
    const interactionsPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('InteractionsRole'))!;
    const text = JSON.stringify(interactionsPolicy[1].Properties.PolicyDocument);
    expect(text).not.toContain('secretsmanager:');
  });

  test('no role may Scan the table or use index wildcards', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      const text = JSON.stringify(policy.Properties.PolicyDocument);
      expect(text).not.toContain('dynamodb:Scan');
      expect(text).not.toContain('/index/*');
    }
  });

  test('a send binding grants SendMessage and the KMS data key, never receive', () => {
    const interactionsPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('InteractionsRole'))!;
    const statements = interactionsPolicy[1].Properties.PolicyDocument.Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: imported('QueuesWorkQueue', 'Arn') },
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: imported('Key', 'Arn') },
      ]),
    );
    expect(JSON.stringify(statements)).not.toContain('sqs:ReceiveMessage');
  });

  test('the sweeper (auto-close) and the worker (delayed archive, transcript hand-over) may send work jobs', () => {
    const send = { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: imported('QueuesWorkQueue', 'Arn') };
    const statementsOf = (prefix: string) =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as unknown[]);
    expect(statementsOf('SweeperRole')).toEqual(expect.arrayContaining([send]));
    expect(JSON.stringify(statementsOf('SweeperRole'))).not.toContain('sqs:ReceiveMessage');
    expect(statementsOf('WorkerRole')).toEqual(expect.arrayContaining([send]));
  });

  test('Function URLs with auth NONE for interactions and the dashboard only', () => {
    template.resourceCountIs('AWS::Lambda::Url', 2);
    for (const name of ['interactions', 'dashboard'] as const) {
      template.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'NONE',
        TargetFunctionArn: { 'Fn::GetAtt': [functionByName(name).logicalId, 'Arn'] },
      });
    }
  });

  test('transcript builds run in their own function: one record at a time, minutes and memory for a large ticket', () => {
    const fn = functionByName('transcripts');
    expect(fn.props).toMatchObject({ Timeout: FUNCTION_TIMEOUTS.transcripts, MemorySize: 2048 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn.logicalId },
      EventSourceArn: imported('QueuesTranscriptsQueue', 'Arn'),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(QUEUES.transcripts.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * FUNCTION_TIMEOUTS.transcripts);
  });

  test('worker and events consume their queues with partial batch responses', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    const cases: Array<[FunctionName, string]> = [
      ['worker', 'QueuesWorkQueue'],
      ['events', 'QueuesEventsQueue'],
    ];
    for (const [name, queue] of cases) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionByName(name).logicalId },
        EventSourceArn: imported(queue, 'Arn'),
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  test(`the sweeper runs every ${SWEEP_INTERVAL_MINUTES} minutes without Lambda retries`, () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${SWEEP_INTERVAL_MINUTES} minutes)`,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionByName('sweeper').logicalId, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionByName('sweeper').logicalId },
      MaximumRetryAttempts: 0,
    });
  });

  test('outputs the interactions endpoint URL and the dashboard URL', () => {
    template.hasOutput('InteractionsEndpointUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InteractionsFunctionFunctionUrl'), 'FunctionUrl'] } });
    template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^SiteDistribution'), 'DomainName'] }]] },
    });
  });
});

describe('DeskwireStateless gateway', () => {
  test('one task at a time: desired 1, min 0 %, max 100 %, circuit breaker with rollback, no load balancer', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 1,
      DeploymentConfiguration: {
        MinimumHealthyPercent: 0,
        MaximumPercent: 100,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
      LoadBalancers: Match.absent(),
    });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  test('public subnets only, no NAT gateway, no inbound rule, HTTPS egress only', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true }, 2);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('gateway'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  test('the cluster has Container Insights', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  test('the ARM64 task gets the token from Secrets Manager, the queue URL and table as plain env, and a node health check', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: RESOURCE_ENV.eventsQueue, Value: imported('QueuesEventsQueue') },
            { Name: RESOURCE_ENV.table, Value: imported('Table') },
          ]),
          // The bot token only: the task sends no telemetry, so it holds no PostHog key.
          Secrets: [{ Name: 'DISCORD_BOT_TOKEN', ValueFrom: { 'Fn::Join': ['', [imported('Secret'), ':DISCORD_BOT_TOKEN::']] } }],
          HealthCheck: Match.objectLike({ Command: GATEWAY_HEALTH_COMMAND }),
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
  });

  test('the task role may send to events.fifo and Query the OpenChannels index, nothing else of the table', () => {
    const taskPolicy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('GatewayTaskTaskRole'))!;
    const statements = taskPolicy[1].Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: imported('QueuesEventsQueue', 'Arn') }),
      ]),
    );
    const dynamo = statements.filter((st) => JSON.stringify(st.Action).includes('dynamodb:'));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0].Action).toBe('dynamodb:Query');
    expect(JSON.stringify(dynamo[0].Resource)).toMatch(/\/index\/OpenChannels"/);
    expect(JSON.stringify(dynamo[0].Resource)).not.toMatch(/index\/\*|GSI1|ByDue/);
  });

  test('the image builds from the repository root with gateway-task/Dockerfile, staging only what its ignore file keeps', () => {
    const assembly = app.synth();
    const manifest = JSON.parse(readFileSync(path.join(assembly.directory, `${stateless.artifactId}.assets.json`), 'utf8'));
    const images = Object.values(manifest.dockerImages) as Array<{ source: { directory: string; dockerFile: string; platform: string } }>;
    expect(images).toHaveLength(1);
    expect(images[0]!.source).toMatchObject({ dockerFile: 'gateway-task/Dockerfile', platform: 'linux/arm64' });
    const staged = path.join(assembly.directory, images[0]!.source.directory);
    expect(existsSync(path.join(staged, 'gateway-task', 'Dockerfile'))).toBe(true);
    expect(existsSync(path.join(staged, 'package-lock.json'))).toBe(true);
    expect(existsSync(path.join(staged, 'node_modules'))).toBe(false);
    expect(existsSync(path.join(staged, 'lambdas', 'worker'))).toBe(false);
  });

  test('a fixed shard count sets SHARD_COUNT and SHARD_IDS', () => {
    const sharded = buildApp(new App({ ...APP_PROPS, context: { ...CONTEXT, gatewayShardCount: 4 } }));
    Template.fromStack(sharded.stateless).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: 'SHARD_COUNT', Value: '4' },
            { Name: 'SHARD_IDS', Value: '0-3' },
          ]),
        }),
      ],
    });
  });

  test('the vendor HQ context reaches the interactions, worker and sweeper functions only, as HQ_* variables', () => {
    const vendor = buildApp(new App({ ...APP_PROPS, context: { ...CONTEXT, hqGuildId: '223456789012345678', hqAgentRoleIds: '323456789012345678', calloutTermsVersion: '2' } }));
    const fns = Template.fromStack(vendor.stateless).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^Deskwire: ') } });
    const withHq = Object.values(fns)
      .filter((f) => f.Properties.Environment.Variables.HQ_GUILD_ID === '223456789012345678')
      .map((f) => f.Properties.Description as string)
      .sort();
    expect(withHq).toEqual(['Deskwire: Discord interactions endpoint', 'Deskwire: scheduled sweeps', 'Deskwire: work queue consumer']);
    for (const f of Object.values(fns)) {
      if (!withHq.includes(f.Properties.Description)) continue;
      expect(f.Properties.Environment.Variables).toMatchObject({ HQ_AGENT_ROLE_IDS: '323456789012345678', CALLOUT_TERMS_VERSION: '2' });
      expect(f.Properties.Environment.Variables.ENFORCEMENT_KEY).toBeUndefined();
    }
  });
});

describe('DeskwireStateless dashboard site', () => {
  test('CloudFront serves the private bucket through OAC and the API paths from the dashboard Function URL', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const config = distribution!.Properties.DistributionConfig;
    expect(config.Origins).toHaveLength(2);
    expect(config.Origins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ OriginAccessControlId: expect.anything(), S3OriginConfig: expect.anything() }),
        expect.objectContaining({ CustomOriginConfig: expect.objectContaining({ OriginProtocolPolicy: 'https-only' }) }),
      ]),
    );
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern).sort()).toEqual([...DASHBOARD_API_PATHS].sort());
    expect(config.Logging).toEqual({ Bucket: imported('AccessLogs', 'RegionalDomainName'), Prefix: 'cloudfront/' });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  test('the site bucket is private and deployed from web/', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });
});

describe('DeskwireStateless alarms', () => {
  const topic = imported('Alarms');

  test('every alarm notifies the alarm topic on ALARM and OK', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    // 3 dead-letter queues + 6 function error alarms + gateway + interactions latency
    expect(alarms).toHaveLength(11);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual([topic]);
    }
  });

  test('dead-letter queue depth ≥ 1', () => {
    for (const dlq of ['QueuesWorkDeadLetterQueue', 'QueuesEventsDeadLetterQueue']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: imported(dlq, 'QueueName') }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
      });
    }
  });

  test('errors of each function', () => {
    for (const name of FUNCTION_NAMES) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionByName(name).logicalId } }],
        Threshold: 1,
      });
    }
  });

  test('no running gateway task, and slow interactions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ECS/ContainerInsights',
      MetricName: 'RunningTaskCount',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionByName('interactions').logicalId } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 1000,
    });
  });
});
