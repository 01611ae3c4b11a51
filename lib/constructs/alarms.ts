import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Interactions must answer within Discord's 3-second deadline; p99 above this is an early warning. */
export const INTERACTIONS_P99_THRESHOLD_MS = 1000;

export interface AlarmsProps {
  /** Topic notified on ALARM and on OK. */
  readonly topic: sns.ITopic;
  /** Functions whose `Errors` are alarmed, by a short name used in the alarm name. */
  readonly functions: Record<string, lambda.IFunction>;
  /** Dead-letter queues whose depth is alarmed, by name. */
  readonly deadLetterQueues: Record<string, sqs.IQueue>;
  /** The interactions function, whose p99 duration is alarmed. */
  readonly interactions: lambda.IFunction;
  /** The gateway service, alarmed when no task runs. */
  readonly gateway: ecs.FargateService;
}

/**
 * CloudWatch alarms that page ops through the alarm topic:
 *
 * - any message in a dead-letter queue (a job or event failed `maxReceiveCount` times);
 * - any function error (unhandled errors and timeouts; SQS item failures show up in the DLQs);
 * - no gateway task running for five minutes (a deployment gap is about one minute);
 * - interactions p99 duration over {@link INTERACTIONS_P99_THRESHOLD_MS} ms, well before Discord's
 *   3-second deadline turns slowness into "This interaction failed".
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
 */
export class Alarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(notify, `${name}DeadLetters`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: inspect them, fix the cause, then redrive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(notify, `${name}Errors`, {
        alarmDescription: `The ${name} function failed (error or timeout); see its log group.`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    this.add(notify, 'GatewayNotRunning', {
      alarmDescription: 'No gateway task has run for 5 minutes: Discord events (messages, deletes, joins) are not reaching Deskwire.',
      metric: new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensionsMap: { ClusterName: props.gateway.cluster.clusterName, ServiceName: props.gateway.serviceName },
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MINIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      // No data means Container Insights sees no task at all.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    this.add(notify, 'InteractionsSlow', {
      alarmDescription: `Interactions p99 duration above ${INTERACTIONS_P99_THRESHOLD_MS} ms; Discord fails interactions not answered within 3 s.`,
      metric: props.interactions.metricDuration({ period: Duration.minutes(5), statistic: cloudwatch.Stats.p(99) }),
      threshold: INTERACTIONS_P99_THRESHOLD_MS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  private add(notify: actions.SnsAction, id: string, props: cloudwatch.AlarmProps): void {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    this.alarms.push(alarm);
  }
}
