/**
 * Adapters and use-case dependencies of customer service (surveys, support requests, product feedback),
 * built from the runtime clients and the wired resource names, like shared/adapters/factories.ts.
 */
import { VersionConflictError } from '../kernel/errors.ts';
import { notifyCsm } from '../csm/notifications.ts';
import { stableId } from '../kernel/ids.ts';
import type { FeedbackDeps } from '../service/feedback.ts';
import { recordDifficulty } from '../service/feedback.ts';
import { SURVEY_SCHEDULE, type CampaignDeps, type SurveyDeps } from '../service/surveys.ts';
import type { SupportDeps } from '../service/support.ts';
import { customerServiceOutcomes } from '../service/task-outcomes.ts';
import type { TaskOutcomeHandlers } from '../csm/task-queue.ts';
import { DynamoActiveCustomers } from './dynamodb/active-customers.ts';
import { DynamoFeedbackStore } from './dynamodb/feedback-store.ts';
import { DynamoRateLimiter, DynamoSupportStore } from './dynamodb/support-store.ts';
import { DynamoSurveyStore } from './dynamodb/survey-store.ts';
import { resourceNames } from './environment.ts';
import { adapters } from './factories.ts';
import { runtime } from './runtime.ts';
import { SnsProductFeedbackPublisher } from './sns/product-feedback-publisher.ts';
import type { SupportNotifier } from '../service/ports.ts';

const core = () => resourceNames.table('core');
const isVersionConflict = (error: unknown) => error instanceof VersionConflictError;
/** The clock is read through runtime on every call, so the local stack's clock jumps are honoured. */
const clock = { now: () => runtime.clock().now() };

export const serviceAdapters = {
  surveyStore: () => new DynamoSurveyStore(runtime.dynamo(), core()),
  feedbackStore: () => new DynamoFeedbackStore(runtime.dynamo(), core()),
  supportStore: () => new DynamoSupportStore(runtime.dynamo(), core()),
  rateLimiter: () => new DynamoRateLimiter(runtime.dynamo(), core()),
  activeCustomers: () => new DynamoActiveCustomers(runtime.dynamo(), core()),

  feedbackDeps(): FeedbackDeps {
    const customers = adapters.customerRepository();
    return {
      store: serviceAdapters.feedbackStore(),
      publisher: new SnsProductFeedbackPublisher(runtime.sns(), resourceNames.topicArn('productFeedback')),
      customers: { exists: async (tenantId) => (await customers.get(tenantId)) !== undefined },
      clock,
      isVersionConflict,
    };
  },

  surveyDeps(): SurveyDeps {
    const feedback = serviceAdapters.feedbackDeps();
    return {
      store: serviceAdapters.surveyStore(),
      customers: adapters.customerRepository(),
      tasks: adapters.taskRepository(),
      feedback: { record: async (request) => void (await recordDifficulty(feedback, request)) },
      clock,
      timeZone: SURVEY_SCHEDULE.timeZone,
    };
  },

  campaignDeps(): CampaignDeps {
    return {
      customers: serviceAdapters.activeCustomers(),
      staff: adapters.staffDirectory(),
      tasks: adapters.taskRepository(),
      store: serviceAdapters.surveyStore(),
      clock,
    };
  },

  supportDeps(): SupportDeps {
    return {
      store: serviceAdapters.supportStore(),
      customers: adapters.customerRepository(),
      staff: adapters.staffDirectory(),
      tasks: adapters.taskRepository(),
      notifier: serviceAdapters.supportNotifier(),
      clock,
    };
  },

  /** A routed support request reaches its manager through the CSM notification centre (feed + push). */
  supportNotifier(): SupportNotifier {
    const deps = { notifications: adapters.csmNotificationStore(), push: adapters.csmPushPublisher(), clock };
    return {
      async requestRouted(request) {
        const now = clock.now().toISOString();
        await notifyCsm(deps, {
          notificationId: stableId('n', `support#${request.requestId}`),
          eventId: `support#${request.requestId}`,
          eventType: 'support.request-received',
          occurredAt: request.createdAt,
          customerId: request.tenantId ?? `web:${request.email}`,
          companyName: request.name,
          language: request.language,
          product: 'support',
          title: `Support request (${request.channel}): ${request.subject}`.slice(0, 200),
          message: request.message.slice(0, 1000),
          csmId: request.csmId,
          needsLeadAttention: request.csmId === null || request.routing !== 'own-manager' && request.routing !== 'language',
          createdAt: now,
          pushedAt: null,
        });
      },
    };
  },

  /** The customer-service outcomes the CSM task queue completes tasks with. */
  taskOutcomeHandlers(): TaskOutcomeHandlers {
    return customerServiceOutcomes({
      survey: serviceAdapters.surveyDeps(),
      feedback: serviceAdapters.feedbackDeps(),
      support: serviceAdapters.supportStore(),
      clock,
      isVersionConflict,
    });
  },
};
