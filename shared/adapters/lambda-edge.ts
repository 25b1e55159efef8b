/**
 * What every Lambda invocation goes through, whatever its trigger: the Tracer's handler segment
 * (`captureLambdaHandler`), the Logger's Lambda context (`injectLambdaContext`: function name, request id, cold
 * start on every line) and the Metrics flush (`logMetrics`: the invocation's metrics as one EMF line, plus
 * `ColdStart`). Each kind of edge (HTTP API in http/http-handler.ts, SQS in sqs/queue-consumer.ts, schedules
 * here) wraps its handler in this once, and scopes the correlation id it finds in its event.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer, withCorrelationId, withInvocation } from './observability.ts';

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

/** Wraps a handler in the Powertools middlewares (see above); the edges call it, handlers do not. */
export function observedInvocation<E, R>(handler: LambdaHandler<E, R>): LambdaHandler<E, R> {
  const observed = middy<E, R>(handler)
    // The response may hold customer data: traces keep timing and errors only.
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
  return (event, context) => withInvocation(context, () => observed(event, context));
}

/**
 * The edge of a function invoked by EventBridge Scheduler (recurring or one-time schedules). The correlation id is
 * the one the schedule's input carries (`correlationId`: a one-time schedule keeps the id of the work that created
 * it, see oneTimeScheduleInput), else the invocation's own request id: a recurring schedule starts its own piece of
 * work. One `schedule handled` line per run (schedules fire a few times an hour at most).
 */
export function scheduledHandler<R>(handle: (event: unknown) => Promise<R>): LambdaHandler<unknown, R> {
  const observed = observedInvocation<unknown, R>(async (event) => {
    const result = await handle(event);
    logger.info('schedule handled', { schedule: eventField(event, 'schedule') });
    return result;
  });
  return (event, context) => withCorrelationId(scheduledCorrelationId(event) ?? context.awsRequestId, () => observed(event, context));
}

function eventField(event: unknown, field: string): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const value = (event as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function scheduledCorrelationId(event: unknown): string | undefined {
  const value = eventField(event, 'correlationId');
  return value !== undefined && value.length > 0 && value.length <= 128 ? value : undefined;
}
