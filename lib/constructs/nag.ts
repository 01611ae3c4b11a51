import { CfnResource, Stack, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks, rules } from 'cdk-nag';
// cdk-nag's own renderer, so computed findings match its output exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag findings that have several instances per resource (IAM4 managed policies, IAM5 wildcards)
 * must be acknowledged one finding at a time, by the exact text cdk-nag prints, e.g.
 * `AwsSolutions-IAM5[Resource::<ArchiveBucket….Arn>/*]`. That text embeds how CloudFormation will
 * render a reference, which for a cross-stack reference is only known once the app is synthesized.
 *
 * So constructs state the findings they expect as patterns with a reason
 * ({@link acknowledgeFindings}); {@link DeskwireNagChecks} resolves the findings when it runs and
 * acknowledges exactly the ones matching a pattern. A finding no pattern matches is still reported.
 *
 * @see https://github.com/cdklabs/cdk-nag#acknowledging-a-rule
 */

/** A finding-level rule and the cdk-nag check producing its findings. */
const FINDING_RULES = {
  'AwsSolutions-IAM4': rules.iam.IAMNoManagedPolicies,
  'AwsSolutions-IAM5': rules.iam.IAMNoWildcardPermissions,
} as const;

export type FindingRuleId = keyof typeof FINDING_RULES;

export interface FindingAcknowledgement {
  readonly ruleId: FindingRuleId;
  /**
   * The finding text inside the brackets (e.g. `Action::s3:List*`): a pattern, or a function
   * computing the exact text when the checks run (see {@link resourceFinding}).
   */
  readonly finding: RegExp | ((scope: IConstruct) => string);
  /** Why the finding is acceptable; recorded with the acknowledgement. */
  readonly reason: string;
}

const expected = new WeakMap<IConstruct, FindingAcknowledgement[]>();
const acknowledged = new WeakMap<IConstruct, Set<string>>();

/** Declares findings acceptable for every resource under `scope` (see the module comment). */
export function acknowledgeFindings(scope: IConstruct, ...acks: FindingAcknowledgement[]): void {
  expected.set(scope, [...(expected.get(scope) ?? []), ...acks]);
}

/** Acknowledges, on each declaring scope, the current findings that match its patterns. */
export function applyFindingAcknowledgements(root: IConstruct): void {
  for (const scope of root.node.findAll()) {
    const acks = expected.get(scope);
    if (!acks) continue;
    const done = acknowledged.get(scope) ?? new Set<string>();
    acknowledged.set(scope, done);
    for (const resource of scope.node.findAll()) {
      if (!CfnResource.isCfnResource(resource)) continue;
      for (const ack of acks) {
        for (const finding of findingsOf(ack.ruleId, resource)) {
          const id = `${ack.ruleId}[${finding}]`;
          if (!matches(ack, scope, finding) || done.has(id)) continue;
          Validations.of(scope).acknowledge({ id, reason: ack.reason });
          done.add(id);
        }
      }
    }
  }
}

/**
 * The IAM5 finding for a resource ARN token, rendered the way cdk-nag renders it from the
 * synthesized template (a cross-stack reference becomes its export name).
 */
export function resourceFinding(arn: string): (scope: IConstruct) => string {
  return (scope) => `Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}`;
}

function matches(ack: FindingAcknowledgement, scope: IConstruct, finding: string): boolean {
  return ack.finding instanceof RegExp ? ack.finding.test(finding) : ack.finding(scope) === finding;
}

function findingsOf(ruleId: FindingRuleId, resource: CfnResource): string[] {
  const result = FINDING_RULES[ruleId](resource);
  return Array.isArray(result) ? result : [];
}

/**
 * The AWS Solutions rule pack, with the finding acknowledgements declared through
 * {@link acknowledgeFindings} applied just before each run.
 *
 * Register it with `Validations.of(app).addPlugins(new DeskwireNagChecks(app))` (cdk-nag 3 is a CDK
 * policy-validation plugin, not an Aspect); `cdk synth` then fails on any unacknowledged finding.
 *
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#awssolutions
 * @see https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
 */
export class DeskwireNagChecks extends AwsSolutionsChecks {
  override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    applyFindingAcknowledgements(scope);
    return super.validateScope(scope);
  }
}
