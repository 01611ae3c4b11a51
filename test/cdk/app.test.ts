import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, DEPLOY_ENV_FLAG, PLACEHOLDER_CONTEXT } from '../../bin/app';

// CloudFormation schema validation runs once, in nag.test.ts; it costs ~3 s per synth.
const APP_PROPS = { builtinCloudFormationValidation: false };
const CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  discordApplicationId: '123456789012345678',
  discordPublicKey: 'ab'.repeat(32),
};

const withContext = (context: Record<string, unknown>) => () => buildApp(new App({ ...APP_PROPS, context }));

describe('buildApp', () => {
  test('deploying without the Discord context names the -c flag to pass', () => {
    const forDeploy = (context: Record<string, unknown>) => () => buildApp(new App({ ...APP_PROPS, context }), { forDeploy: true });
    const { discordApplicationId: _id, ...noId } = CONTEXT;
    expect(forDeploy(noId)).toThrow('Missing CDK context "discordApplicationId": pass -c discordApplicationId=<');
    const { discordPublicKey: _key, ...noKey } = CONTEXT;
    expect(forDeploy(noKey)).toThrow('Missing CDK context "discordPublicKey": pass -c discordPublicKey=<');
  });

  test('synth without the Discord context (a fresh clone) uses placeholders and warns; deploy is refused by npm run deploy', () => {
    const { stateless } = buildApp(new App({ ...APP_PROPS, context: { 'aws:cdk:bundling-stacks': [] } }));
    Annotations.fromStack(stateless).hasWarning('*', Match.stringLikeRegexp('placeholder discordApplicationId and discordPublicKey: fine for reading templates, never for deploying'));
    const env = Template.fromStack(stateless).findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { DISCORD_PUBLIC_KEY: PLACEHOLDER_CONTEXT.discordPublicKey } } } });
    expect(Object.keys(env).length).toBeGreaterThan(0);
    expect(Annotations.fromStack(buildApp(new App({ ...APP_PROPS, context: CONTEXT })).stateless).findWarning('*', Match.stringLikeRegexp('placeholder'))).toEqual([]);
    const scripts = (require('../../package.json') as { scripts: Record<string, string> }).scripts;
    expect(scripts.deploy).toBe(`${DEPLOY_ENV_FLAG}=1 cdk deploy --all`);
    expect(scripts.synth).toBe('cdk synth');
  });

  test('a template synthesized with placeholders carries a CloudFormation rule that refuses every deploy; one with real context has none', () => {
    const { stateful, stateless } = buildApp(new App({ ...APP_PROPS, context: { 'aws:cdk:bundling-stacks': [] } }));
    const rules = Template.fromStack(stateless).toJSON().Rules as Record<string, { Assertions: Array<{ Assert: unknown; AssertDescription: string }> }>;
    expect(Object.keys(rules)).toContain('RefusePlaceholderContext');
    const [assertion] = rules.RefusePlaceholderContext.Assertions;
    expect(assertion.AssertDescription).toContain('-c discordApplicationId=… -c discordPublicKey=…');
    // Always false: the only value the parameter may take is not the one asserted.
    expect(assertion.Assert).toEqual({ 'Fn::Equals': [{ Ref: 'PlaceholderContext' }, 'real'] });
    Template.fromStack(stateless).hasParameter('PlaceholderContext', { Default: 'placeholder', AllowedValues: ['placeholder'] });
    // The stateful stack holds no Discord context, so deploying it alone needs none.
    expect(Template.fromStack(stateful).toJSON().Rules?.RefusePlaceholderContext).toBeUndefined();

    const configured = buildApp(new App({ ...APP_PROPS, context: CONTEXT })).stateless;
    expect(Template.fromStack(configured).toJSON().Rules?.RefusePlaceholderContext).toBeUndefined();
    expect(Template.fromStack(configured).toJSON().Parameters?.PlaceholderContext).toBeUndefined();
  });

  test('malformed Discord context is rejected at synth rather than at cold start', () => {
    expect(withContext({ ...CONTEXT, discordApplicationId: '123' })).toThrow('must be the Discord application ID');
    expect(withContext({ ...CONTEXT, discordPublicKey: 'xyz' })).toThrow('64 hex characters');
    expect(withContext({ ...CONTEXT, logLevel: 'LOUD' })).toThrow('"logLevel" must be one of');
    expect(withContext({ ...CONTEXT, gatewayShardCount: '0' })).toThrow('"gatewayShardCount"');
    expect(withContext({ ...CONTEXT, dashboardBaseUrl: 'http://example.com' })).toThrow('"dashboardBaseUrl" must be an https origin');
  });

  const { stateful, stateless } = buildApp(new App({ ...APP_PROPS, context: CONTEXT }));

  test('the stateless stack deploys after the stateful one', () => {
    expect(stateless.dependencies).toContain(stateful);
    expect(stateful.dependencies).toEqual([]);
  });

  test('stacks are environment-agnostic unless the CLI supplies account and region', () => {
    expect(Stack.of(stateful).environment).toBe('aws://unknown-account/unknown-region');
  });

  test('resources are tagged Project=Deskwire', () => {
    Template.fromStack(stateful).hasResourceProperties('AWS::DynamoDB::Table', { Tags: [{ Key: 'Project', Value: 'Deskwire' }] });
    Template.fromStack(stateless).hasResourceProperties('AWS::ECS::Service', { Tags: [{ Key: 'Project', Value: 'Deskwire' }] });
  });

  test('without dashboardBaseUrl the dashboard has no DASHBOARD_BASE_URL (it uses CloudFront\u2019s x-forwarded-host)', () => {
    expect(Template.fromStack(stateless).findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { DASHBOARD_BASE_URL: Match.anyValue() } } },
    })).toEqual({});
    expect(Annotations.fromStack(stateless).findWarning('*', Match.stringLikeRegexp('dashboardBaseUrl'))).toEqual([]);
  });

  test('dashboardBaseUrl becomes the dashboard function\u2019s DASHBOARD_BASE_URL, without a trailing slash', () => {
    const { stateless: configured } = buildApp(
      new App({ ...APP_PROPS, context: { ...CONTEXT, dashboardBaseUrl: 'https://d111111abcdef8.cloudfront.net/' } }),
    );
    Template.fromStack(configured).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Deskwire: dashboard API',
      Environment: { Variables: Match.objectLike({ DASHBOARD_BASE_URL: 'https://d111111abcdef8.cloudfront.net' }) },
    });
    Annotations.fromStack(configured).hasNoWarning('*', Match.anyValue());
  });
});
