import { App, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../../bin/app';
import { DeskwireNagChecks } from '../../lib/constructs/nag';

const CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  discordApplicationId: '123456789012345678',
  discordPublicKey: 'ab'.repeat(32),
};

type Report = ReturnType<DeskwireNagChecks['validateScope']>;
const describeViolations = (report: Report) =>
  report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

describe('cdk-nag AWS Solutions', () => {
  // One synth with everything synthesis runs for `cdk synth`: the cdk-nag plugin registered by
  // buildApp and CDK's built-in CloudFormation schema validation.
  const app = new App({ context: CONTEXT });
  buildApp(app);
  const assembly = app.synth();
  // Run after synthesis so cross-stack references render as in the deployed templates.
  const report = new DeskwireNagChecks().validateScope(app);

  test('both stacks have no unacknowledged errors or warnings', () => {
    expect(describeViolations(report)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('the templates pass CloudFormation schema validation without findings', () => {
    const validation = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ pluginName: string; violations: unknown[] }>;
    };
    expect(validation.pluginReports.map((r) => [r.pluginName, r.violations])).toEqual(
      validation.pluginReports.map((r) => [r.pluginName, []]),
    );
  });

  test('every acknowledgement carries a specific reason', () => {
    const acknowledgements: Array<[string, string, string]> = [];
    const visit = (c: IConstruct) => {
      for (const entry of c.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) acknowledgements.push([c.node.path, id, reason]);
      }
      c.node.children.forEach(visit);
    };
    visit(app);
    const ours = acknowledgements.filter(([, id]) => id.includes('AwsSolutions-'));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter(([, , reason]) => reason.trim().length < 40)).toEqual([]);
  });

  test('acknowledgements are exact: a new wildcard on a function role fails synthesis', () => {
    const tampered = new App({ context: CONTEXT, builtinCloudFormationValidation: false });
    const { stateless } = buildApp(tampered);
    stateless.functions.worker.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    expect(() => tampered.synth()).toThrow(/DeskwireStateless\/Worker\/Role\/DefaultPolicy\/Resource[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/);
    expect(describeViolations(new DeskwireNagChecks().validateScope(tampered))).toEqual([
      'error AwsSolutions-IAM5[Resource::*] at DeskwireStateless/Worker/Role/DefaultPolicy/Resource',
    ]);
  });
});
