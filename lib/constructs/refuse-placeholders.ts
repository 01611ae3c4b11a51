import { CfnParameter, CfnRule, Fn, type Stack } from 'aws-cdk-lib';

/**
 * Makes CloudFormation refuse to create or update `stack` because it was synthesized with
 * placeholder `contextKeys` (e.g. a zero Discord public key, which would verify nothing). A rule is
 * checked by CloudFormation before any resource changes, whatever ran the deploy — `npm run deploy`,
 * a direct `npx cdk deploy`, a pipeline — while `cdk synth` stays offline and succeeds.
 *
 * The assertion compares a parameter that can only hold `placeholder` with `real`, so it always
 * fails; its description names the `-c` flags to pass.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
 */
export function refusePlaceholderDeploy(stack: Stack, contextKeys: readonly string[]): CfnRule {
  const marker = new CfnParameter(stack, 'PlaceholderContext', {
    type: 'String',
    default: 'placeholder',
    allowedValues: ['placeholder'],
    description: `Synthesized with placeholder CDK context (${contextKeys.join(', ')}); this template cannot be deployed.`,
  });
  return new CfnRule(stack, 'RefusePlaceholderContext', {
    assertions: [
      {
        assert: Fn.conditionEquals(marker.valueAsString, 'real'),
        assertDescription:
          `This template was synthesized with placeholder ${contextKeys.join(' and ')}. ` +
          `Deploy with ${contextKeys.map((k) => `-c ${k}=…`).join(' ')} (for example npm run deploy -- ${contextKeys.map((k) => `-c ${k}=…`).join(' ')}).`,
      },
    ],
  });
}
