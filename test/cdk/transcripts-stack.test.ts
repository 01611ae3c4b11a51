import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/app';
import { DASHBOARD_API_PATHS } from '../../lib/constructs/dashboard-site';

const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], discordApplicationId: '123456789012345678', discordPublicKey: 'ab'.repeat(32) } });
const { stateless } = buildApp(app);
const template = Template.fromStack(stateless);

const statementsOf = (rolePrefix: string) =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>);
const actionsOf = (rolePrefix: string) => statementsOf(rolePrefix).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('transcripts in the stacks', () => {
  test('the sweeper may list and delete archive objects (retention, purges) but never read, write or unwrap them', () => {
    const actions = actionsOf('SweeperRole');
    expect(actions).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:ListBucket']));
    expect(actions).not.toContain('s3:GetObject');
    expect(actions).not.toContain('s3:PutObject');
    // Deleting needs no data key: the sweeper is not bound to the archive's master key.
    const sweeper = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: 'Deskwire: scheduled sweeps' } }))[0]!;
    expect(Object.keys(sweeper.Properties.Environment.Variables)).not.toContain('ARCHIVE_KMS_KEY_ID');
  });

  test('the dashboard only reads and unwraps; the worker makes data keys; the worker links to the dashboard origin', () => {
    expect(actionsOf('DashboardRole')).not.toContain('s3:PutObject');
    expect(actionsOf('WorkerRole')).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt', 's3:PutObject']));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Deskwire: work queue consumer',
      Environment: { Variables: Match.objectLike({ TRANSCRIPT_VIEWER_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^SiteDistribution'), 'DomainName'] }]] } }) },
    });
  });

  test('CloudFront sends the viewer paths to the dashboard function', () => {
    expect(DASHBOARD_API_PATHS).toContain('/transcripts/*');
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    expect(distribution!.Properties.DistributionConfig.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toContain('/transcripts/*');
  });
});
