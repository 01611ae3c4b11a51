import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SECRET_FIELDS, type SecretField } from '../resources';

/**
 * The one Secrets Manager secret holding Deskwire's credentials as a JSON object with the keys in
 * {@link SECRET_FIELDS}. CloudFormation creates it with every key present and empty, except
 * `DASHBOARD_SESSION_SECRET`, which it generates; ops fill the rest after the first deploy:
 *
 * ```sh
 * aws secretsmanager put-secret-value --secret-id <SecretArn> --secret-string file://secret.json
 * ```
 *
 * It is encrypted with the AWS-managed `aws/secretsmanager` key rather than the stack's
 * customer-managed key: readers live in the stateless stack, and granting them a customer key
 * through Secrets Manager would add their roles to the key policy here, a reference cycle between
 * the two stacks.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/create_secret.html
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
export class AppSecret extends Construct {
  /** The field whose value CloudFormation generates (a 64-character random string). */
  static readonly GENERATED_FIELD: SecretField = 'DASHBOARD_SESSION_SECRET';

  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const template = Object.fromEntries(SECRET_FIELDS.filter((f) => f !== AppSecret.GENERATED_FIELD).map((f) => [f, '']));
    this.secret = new secretsmanager.Secret(this, 'Resource', {
      description: `Deskwire credentials: JSON with keys ${SECRET_FIELDS.join(', ')}`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify(template),
        generateStringKey: AppSecret.GENERATED_FIELD,
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
