import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Customer-managed key for SNS server-side encryption. */
  readonly encryptionKey: kms.IKey;
  /** Optional address subscribed by email (it must confirm the subscription). */
  readonly email?: string;
}

/**
 * The SNS topic every CloudWatch alarm notifies. Ops subscribe email or an HTTPS endpoint
 * (PagerDuty's CloudWatch integration) to it.
 *
 * The topic is encrypted with the customer-managed key, so the key policy must let CloudWatch
 * generate and decrypt data keys when it publishes an alarm; without that statement alarms fail
 * to notify silently. Publishers must use TLS.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-encryption
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Resource', {
      displayName: 'Deskwire alarms',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        // Exactly the statement the CloudWatch guide gives; in a key policy `*` means this key.
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
