/**
 * Logs, metrics and traces: one Powertools Logger (JSON lines), one Metrics (CloudWatch EMF) and one Tracer
 * (X-Ray) per process, and the correlation id of the work being done.
 *
 * The correlation id is the id of one piece of work as it crosses functions: the HTTP edge takes it from the
 * caller's `x-correlation-id` header or API Gateway's request id, every message sent carries it (the
 * `correlationId` message attribute; customer events also in their envelope), and the consumer edge restores it
 * from the message. It lives in an AsyncLocalStorage scope rather than in the Logger's keys because one batch of
 * SQS records is handled concurrently and each record has its own; the log formatter below stamps it on every
 * line as `correlation_id`, next to the Lambda context `injectLambdaContext` adds (`function_request_id`…).
 *
 * Local runs lower the noise with POWERTOOLS_LOG_LEVEL; the Tracer is off outside Lambda (Powertools' own rule).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** The service every log line, metric and trace segment is filed under (POWERTOOLS_SERVICE_NAME overrides it). */
export const SERVICE_NAME = 'sellerops';
/** CloudWatch namespace of the business metrics (POWERTOOLS_METRICS_NAMESPACE overrides it). */
export const METRICS_NAMESPACE = 'sellerops';
/** The HTTP header a caller may send to continue its own correlation id; answered on every response. */
export const CORRELATION_HEADER = 'x-correlation-id';
/** The SNS/SQS message attribute that carries the correlation id. */
export const CORRELATION_ATTRIBUTE = 'correlationId';

const correlationScope = new AsyncLocalStorage<string>();

/** The function and request id of the invocation in progress, as its edge received them. */
interface Invocation {
  readonly functionName: string;
  readonly requestId: string;
}
const invocationScope = new AsyncLocalStorage<Invocation>();

/**
 * Runs one invocation (the edges call it). In Lambda an environment runs one invocation at a time and the Logger's
 * own context (`injectLambdaContext`) is enough; the local stack runs every function's invocations concurrently in
 * one process, where only a scope keeps each log line with its own function and request id.
 */
export function withInvocation<T>(context: { readonly functionName: string; readonly awsRequestId: string }, work: () => T): T {
  return invocationScope.run({ functionName: context.functionName, requestId: context.awsRequestId }, work);
}

/** Runs `work` (and everything it starts) under `correlationId`. */
export function withCorrelationId<T>(correlationId: string, work: () => T): T {
  return correlationScope.run(correlationId, work);
}

/** The correlation id of the work in progress; undefined outside an edge (a script, a test calling a use case). */
export function currentCorrelationId(): string | undefined {
  return correlationScope.getStore();
}

/** Powertools' standard line plus `correlation_id`, and the function and request id of the invocation's scope. */
class CorrelatedLogFormatter extends LogFormatter {
  public formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const invocation = invocationScope.getStore();
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_name: invocation?.functionName ?? context?.functionName,
        function_request_id: invocation?.requestId ?? context?.awsRequestId,
        correlation_id: currentCorrelationId(),
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additionalLogAttributes);
  }
}

export const logger = new Logger({ serviceName: SERVICE_NAME, logFormatter: new CorrelatedLogFormatter() });

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: SERVICE_NAME,
  // An invocation that counted nothing is normal (most HTTP reads): Powertools' warning about it is debug here.
  logger: {
    debug: (...args: unknown[]) => { logger.debug(String(args[0])); },
    info: (...args: unknown[]) => { logger.info(String(args[0])); },
    warn: (...args: unknown[]) => { logger.debug(String(args[0])); },
    error: (...args: unknown[]) => { logger.error(String(args[0])); },
  },
});

export const tracer = new Tracer({ serviceName: SERVICE_NAME });
