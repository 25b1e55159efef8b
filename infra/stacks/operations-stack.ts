import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { METRIC_DIMENSIONS, METRIC_NAMES, METRIC_SERVICE, type MetricName } from '#shared/kernel/metrics.ts';
import { metricsNamespace, stageName, type Deployment } from '../deployment.ts';
import {
  allFunctions,
  asynchronouslyInvoked,
  deadLetterQueueName,
  functionName,
  must,
  onFailureQueueName,
  productResources,
  queues as queueSpecs,
  tables as tableSpecs,
  type FunctionId,
  type FunctionSpec,
  type QueueSpec,
} from '../wiring.ts';
import { PRODUCTS, type Product } from '../wiring/types.ts';
import { pascal } from './stateful-stack.ts';
import { durationAlarmThresholdMs } from './stateless-stack.ts';

export interface OperationsStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly alarmTopic: sns.ITopic;
  /** The HTTP API's id (its metrics' `ApiId` dimension). */
  readonly apiId: string;
}

/** The repricer's tick runs every few minutes per marketplace: none for this long means repricing has stopped. */
export const REPRICER_HEARTBEAT_MINUTES = 15;
/** The function whose invocations are the repricer's heartbeat. */
export const REPRICER_TICK_FUNCTION: FunctionId = 'repricerTick';
/** API: more than this share of requests answered 5xx over 5 minutes (with at least API_MIN_REQUESTS requests). */
export const API_5XX_RATE_PERCENT = 1;
const API_MIN_REQUESTS = 20;
/** API: p99 latency above this for 3 consecutive 5-minute periods. */
export const API_P99_LATENCY_MS = 3000;
/** SP-API: more than this share of calls throttled (HTTP 429) over 5 minutes, twice in a row. */
export const SP_API_THROTTLE_RATE_PERCENT = 10;
/** Queues: the oldest message is older than its retries may take (visibility timeout × deliveries), at least this. */
const MIN_OLDEST_MESSAGE_SECONDS = 15 * 60;

/** Which business metrics each product's dashboard shows (names from shared/kernel/metrics.ts). */
const PRODUCT_METRICS: Record<Product, readonly MetricName[]> = {
  repricer: [METRIC_NAMES.decisions, METRIC_NAMES.pricesPushed, METRIC_NAMES.pushesFailed],
  'lost-and-found': [
    METRIC_NAMES.auditsRun,
    METRIC_NAMES.auditRowsPerSecond,
    METRIC_NAMES.claimsFound,
    METRIC_NAMES.claimsFiled,
    METRIC_NAMES.claimsPaid,
    METRIC_NAMES.claimsFoundValue,
    METRIC_NAMES.claimsPaidValue,
  ],
  'customer-success': [METRIC_NAMES.signUps, METRIC_NAMES.csmPushesSent, METRIC_NAMES.tasksCreated, METRIC_NAMES.surveyCalls],
};

/**
 * What the operators watch, generated from the wiring like the IAM grants: per function errors, throttles and
 * duration near its timeout; per queue the age of its oldest message and its DLQ's depth; every on-failure queue's
 * depth; the API's 5xx rate and p99 latency; DynamoDB throttles of every table and index; the SP-API throttle rate;
 * the repricer's heartbeat and Amazon's notifications going silent. Every alarm publishes to the operator topic.
 * One CloudWatch dashboard per product. Metrics are addressed by the resources' physical names (known from the
 * wiring and the stage), so this stack needs nothing from the others but the topic and the API id.
 */
export class OperationsStack extends Stack {
  /** Every alarm of this stack by the product whose dashboard shows it (the API's and SP-API's under customer-success). */
  readonly alarms: Record<Product, cloudwatch.Alarm[]> = { repricer: [], 'lost-and-found': [], 'customer-success': [] };
  readonly dashboards = {} as Record<Product, cloudwatch.Dashboard>;
  private readonly named: (name: string) => string;
  private readonly alarmAction: cloudwatchActions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    this.named = (name: string) => stageName(props.deployment.stage, name);
    this.alarmAction = new cloudwatchActions.SnsAction(props.alarmTopic);
    const namespace = metricsNamespace(props.deployment.stage);

    for (const product of Object.keys(PRODUCTS) as Product[]) {
      const owned = productResources(product);
      const widgets: cloudwatch.IWidget[][] = [];
      for (const fnId of owned.functions) widgets.push(this.functionAlarms(product, fnId, must(Object.fromEntries(allFunctions()), fnId, 'function')));
      for (const queueId of owned.queues) widgets.push(this.queueAlarms(product, queueId, must(queueSpecs, queueId, 'queue')));
      for (const tableId of owned.tables) widgets.push(this.tableAlarms(product, tableId));
      if (product === 'repricer') this.repricerAlarms();
      if (product === 'customer-success') widgets.unshift(this.apiAlarms(props.apiId), this.spApiAlarms(namespace));
      this.dashboards[product] = new cloudwatch.Dashboard(this, `${pascal(product.replace(/-(.)/g, (_, c: string) => c.toUpperCase()))}Dashboard`, {
        dashboardName: `${this.named('sellerops')}-${product}`,
        defaultInterval: Duration.hours(6),
        widgets: [
          [new cloudwatch.TextWidget({ markdown: `# ${PRODUCTS[product]} (${props.deployment.stage})\nAlarms publish to the operator topic; see docs/runbook.md for what each one means.`, width: 24, height: 2 })],
          [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms[product], width: 24, height: Math.min(12, 2 + Math.ceil(this.alarms[product].length / 4)) })],
          [this.businessMetrics(product, namespace)],
          ...widgets,
        ],
      });
    }
  }

  private alarm(product: Product, id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(this.alarmAction);
    this.alarms[product].push(alarm);
    return alarm;
  }

  private functionAlarms(product: Product, fnId: FunctionId, spec: FunctionSpec): cloudwatch.IWidget[] {
    const name = this.named(functionName(fnId));
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, dimensionsMap: { FunctionName: name }, statistic, period: Duration.minutes(5) });
    const errors = metric('Errors', 'Sum');
    const throttles = metric('Throttles', 'Sum');
    const duration = metric('Duration', 'p99');
    const id = pascal(fnId);
    this.alarm(product, `${id}ErrorsAlarm`, {
      alarmName: `${name}-errors`,
      alarmDescription: `${name} ended invocations with an error (unhandled exception, timeout or out of memory)`,
      metric: errors,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm(product, `${id}ThrottlesAlarm`, {
      alarmName: `${name}-throttles`,
      alarmDescription: `${name} was throttled: its reserved or the account's concurrency ran out`,
      metric: throttles,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm(product, `${id}DurationAlarm`, {
      alarmName: `${name}-duration-near-timeout`,
      alarmDescription: `${name} p99 duration above 80 % of its ${spec.timeoutSeconds} s timeout in 2 of 3 five-minute periods`,
      metric: duration,
      threshold: durationAlarmThresholdMs(spec),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: `${fnId}: invocations, errors, throttles`,
        left: [metric('Invocations', 'Sum'), errors, throttles],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${fnId}: duration p99 (ms)`,
        left: [duration],
        leftAnnotations: [{ value: spec.timeoutSeconds * 1000, label: 'timeout' }],
        width: 8,
      }),
    ];
    if (asynchronouslyInvoked(spec)) {
      const queueName = this.named(onFailureQueueName(fnId));
      const depth = sqsMetric(queueName, 'ApproximateNumberOfMessagesVisible', 'Maximum', Duration.minutes(1));
      this.alarm(product, `${id}OnFailureAlarm`, {
        alarmName: `${queueName}-not-empty`,
        alarmDescription: `${queueName}: a schedule could not invoke ${name}, or an asynchronous invocation failed after Lambda's retries`,
        metric: depth,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      widgets.push(new cloudwatch.GraphWidget({ title: `${fnId}: failed invocations kept`, left: [depth], width: 8 }));
    }
    return widgets;
  }

  private queueAlarms(product: Product, queueId: string, spec: QueueSpec): cloudwatch.IWidget[] {
    const name = this.named(spec.name);
    const dlqName = this.named(deadLetterQueueName(spec));
    const oldest = sqsMetric(name, 'ApproximateAgeOfOldestMessage', 'Maximum', Duration.minutes(5));
    const dlqDepth = sqsMetric(dlqName, 'ApproximateNumberOfMessagesVisible', 'Maximum', Duration.minutes(1));
    const maxAgeSeconds = Math.max(MIN_OLDEST_MESSAGE_SECONDS, spec.visibilityTimeoutSeconds * spec.maxReceiveCount);
    const id = pascal(queueId);
    this.alarm(product, `${id}OldestMessageAlarm`, {
      alarmName: `${name}-oldest-message`,
      alarmDescription: `The oldest message in ${name} waits longer than its retries may take (${maxAgeSeconds} s): the consumer is stuck, failing or too slow`,
      metric: oldest,
      threshold: maxAgeSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm(product, `${id}DlqAlarm`, {
      alarmName: `${dlqName}-not-empty`,
      alarmDescription: `Messages in ${dlqName}: each carries its failure reason as the "reason" attribute`,
      metric: dlqDepth,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return [
      new cloudwatch.GraphWidget({
        title: `${spec.name}: messages visible, in flight; oldest (s)`,
        left: [sqsMetric(name, 'ApproximateNumberOfMessagesVisible', 'Maximum', Duration.minutes(5)), sqsMetric(name, 'ApproximateNumberOfMessagesNotVisible', 'Maximum', Duration.minutes(5))],
        right: [oldest],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: `${deadLetterQueueName(spec)}: messages`, left: [dlqDepth], width: 12 }),
    ];
  }

  private tableAlarms(product: Product, tableId: string): cloudwatch.IWidget[] {
    const spec = must(tableSpecs, tableId, 'table');
    const tableName = this.named(spec.name);
    // Ids unique per index: the table's graph holds every index's expression, and CloudWatch wants distinct ids.
    const throttles = (index: string | undefined, n: number) =>
      new cloudwatch.MathExpression({
        expression: `FILL(reads${n}, 0) + FILL(writes${n}, 0)`,
        usingMetrics: Object.fromEntries(
          (['reads', 'writes'] as const).map((key) => [
            `${key}${n}`,
            new cloudwatch.Metric({
              namespace: 'AWS/DynamoDB',
              metricName: key === 'reads' ? 'ReadThrottleEvents' : 'WriteThrottleEvents',
              dimensionsMap: { TableName: tableName, ...(index ? { GlobalSecondaryIndexName: index } : {}) },
              statistic: 'Sum',
              period: Duration.minutes(5),
            }),
          ]),
        ),
        label: index ? `${spec.name}/${index} throttled requests` : `${spec.name} throttled requests`,
        period: Duration.minutes(5),
      });
    const graphed: cloudwatch.IMetric[] = [];
    for (const [n, index] of [undefined, ...spec.globalIndexes.map((i) => i.name)].entries()) {
      const metric = throttles(index, n);
      graphed.push(metric);
      const where = index ? `${tableName}-${index}` : tableName;
      this.alarm(product, `${pascal(tableId)}${index ? pascal(index) : ''}ThrottlesAlarm`, {
        alarmName: `${where}-throttles`,
        alarmDescription: `DynamoDB throttled reads or writes on ${index ? `index ${index} of ` : ''}${tableName}: a hot key or an index that cannot keep up with the table's writes`,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    return [new cloudwatch.GraphWidget({ title: `${spec.name}: throttled requests (table and indexes)`, left: graphed, width: 24 })];
  }

  private apiAlarms(apiId: string): cloudwatch.IWidget[] {
    const apiMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: apiId }, statistic, period: Duration.minutes(5) });
    const count = apiMetric('Count', 'Sum');
    const serverErrors = apiMetric('5xx', 'Sum');
    const latency = apiMetric('Latency', 'p99');
    const rate = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${API_MIN_REQUESTS}, 100 * FILL(errors, 0) / requests, 0)`,
      usingMetrics: { requests: count, errors: serverErrors },
      label: '5xx (% of requests)',
      period: Duration.minutes(5),
    });
    const api = this.named('sellerops-api');
    this.alarm('customer-success', 'Api5xxRateAlarm', {
      alarmName: `${api}-5xx-rate`,
      alarmDescription: `More than ${API_5XX_RATE_PERCENT} % of the API's requests answered 5xx in 5 minutes: a failing function or integration`,
      metric: rate,
      threshold: API_5XX_RATE_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm('customer-success', 'ApiLatencyAlarm', {
      alarmName: `${api}-p99-latency`,
      alarmDescription: `The API's p99 latency stayed above ${API_P99_LATENCY_MS} ms for 15 minutes`,
      metric: latency,
      threshold: API_P99_LATENCY_MS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return [
      new cloudwatch.GraphWidget({ title: 'API: requests, 4xx, 5xx', left: [count, apiMetric('4xx', 'Sum'), serverErrors], right: [rate], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'API: latency (ms)', left: [apiMetric('Latency', 'p50'), latency], leftAnnotations: [{ value: API_P99_LATENCY_MS, label: 'alarm' }], width: 12 }),
    ];
  }

  private spApiAlarms(namespace: string): cloudwatch.IWidget[] {
    const calls = businessMetric(namespace, METRIC_NAMES.spApiCalls);
    const throttled = businessMetric(namespace, METRIC_NAMES.spApi429);
    const rate = new cloudwatch.MathExpression({
      expression: 'IF(FILL(calls, 0) > 0, 100 * FILL(throttled, 0) / calls, 0)',
      usingMetrics: { calls, throttled },
      label: 'SP-API calls throttled (%)',
      period: Duration.minutes(5),
    });
    this.alarm('customer-success', 'SpApiThrottleRateAlarm', {
      alarmName: `${this.named('sellerops')}-sp-api-throttle-rate`,
      alarmDescription: `More than ${SP_API_THROTTLE_RATE_PERCENT} % of SP-API calls answered 429 for 10 minutes: the quota buckets run ahead of Amazon's limits`,
      metric: rate,
      threshold: SP_API_THROTTLE_RATE_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const perOperation = (metricName: MetricName) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${namespace},${METRIC_DIMENSIONS.service},${METRIC_DIMENSIONS.operation}} MetricName="${metricName}"', 'Sum', 300)`,
        label: metricName,
        period: Duration.minutes(5),
      });
    return [
      new cloudwatch.GraphWidget({ title: 'SP-API: calls, 429s, 5xx', left: [calls, throttled, businessMetric(namespace, METRIC_NAMES.spApi5xx)], right: [rate], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'SP-API 429s per operation', left: [perOperation(METRIC_NAMES.spApi429)], width: 12 }),
    ];
  }

  private repricerAlarms(): void {
    const tick = this.named(functionName(REPRICER_TICK_FUNCTION));
    // Missing data is breaching: a tick that no longer runs at all publishes no Invocations data point.
    this.alarm('repricer', 'RepricerHeartbeatAlarm', {
      alarmName: `${this.named('sellerops')}-repricer-heartbeat`,
      alarmDescription: `No repricer tick ran for ${REPRICER_HEARTBEAT_MINUTES} minutes: the schedules are disabled or cannot invoke ${tick}; no offer is repriced`,
      metric: new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensionsMap: { FunctionName: tick }, statistic: 'Sum', period: Duration.minutes(REPRICER_HEARTBEAT_MINUTES) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    // Amazon's notifications stopped arriving although sellers are being repriced (the ticks send jobs): a
    // broken destination, a key or queue policy Amazon cannot use, or lapsed subscriptions. Repricing goes on
    // from ticks alone, so nothing else would show it.
    const queueMessagesSent = (queueId: string) => sqsMetric(this.named(must(queueSpecs, queueId, 'queue').name), 'NumberOfMessagesSent', 'Sum', Duration.hours(1));
    this.alarm('repricer', 'RepricerNotificationsSilentAlarm', {
      alarmName: this.named(NOTIFICATIONS_SILENT_ALARM),
      alarmDescription:
        "No ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED from Amazon for an hour while repricing jobs ran: check the SP-API destination and subscriptions (sellerops-repricer-notifications) and that Amazon's notification account may use the queue's key",
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(jobs, 0) > 0 AND FILL(received, 0) == 0, 1, 0)',
        usingMetrics: { jobs: queueMessagesSent('repricerJobs'), received: queueMessagesSent('repricerNotifications') },
        period: Duration.hours(1),
        label: 'notifications silent while sellers are repriced',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  private businessMetrics(product: Product, namespace: string): cloudwatch.IWidget {
    return new cloudwatch.GraphWidget({
      title: `${PRODUCTS[product]}: business metrics`,
      // A rate is averaged; counts and money (minor units) are summed per 5 minutes.
      left: PRODUCT_METRICS[product].map((name) => businessMetric(namespace, name, name === METRIC_NAMES.auditRowsPerSecond ? 'Average' : 'Sum')),
      width: 24,
    });
  }
}

/** The alarm raised when Amazon's offer notifications stop while sellers are active. */
export const NOTIFICATIONS_SILENT_ALARM = 'sellerops-repricer-notifications-silent';

function sqsMetric(queueName: string, metricName: string, statistic: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName, dimensionsMap: { QueueName: queueName }, statistic, period });
}

/** A business metric's service-wide series (the convention of shared/kernel/metrics.ts). */
function businessMetric(namespace: string, metricName: MetricName, statistic = 'Sum'): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { [METRIC_DIMENSIONS.service]: METRIC_SERVICE }, statistic, period: Duration.minutes(5) });
}
