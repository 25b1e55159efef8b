/**
 * Builders of the customer-service adapters and use-case dependencies (surveys, support requests, product
 * feedback) for a composition root, like shared/adapters/factories.ts.
 */
import { VersionConflictError } from '#shared/kernel/errors.ts';
import { notifyCsm } from '#shared/csm/notifications.ts';
import { stableId } from '#shared/kernel/ids.ts';
import { cutText } from '#shared/kernel/text.ts';
import type { FeedbackDeps } from '#shared/service/feedback.ts';
import { recordDifficulty } from '#shared/service/feedback.ts';
import { SURVEY_SCHEDULE, type CampaignDeps, type SurveyDeps } from '#shared/service/surveys.ts';
import type { SupportDeps } from '#shared/service/support.ts';
import { customerServiceOutcomes } from '#shared/service/task-outcomes.ts';
import type { TaskOutcomeHandlers } from '#shared/csm/task-queue.ts';
import { DynamoActiveCustomers } from './dynamodb/active-customers.ts';
import { DynamoFeedbackStore } from './dynamodb/feedback-store.ts';
import { DynamoRateLimiter, DynamoSupportStore } from './dynamodb/support-store.ts';
import { DynamoSurveyStore } from './dynamodb/survey-store.ts';
import { coreAdapters } from './factories.ts';
import type { DepsOverrides, Environment } from './composition.ts';
import { SnsProductFeedbackPublisher } from './sns/product-feedback-publisher.ts';
import type { SupportNotifier } from '#shared/service/ports.ts';
import type { TrialOutcomeDeps } from '#shared/onboarding/trial-outcome.ts';
import type { RootCauseLifecycleDeps } from '#shared/service/root-cause-lifecycle.ts';
import { repricerAdapters } from './repricer-factories.ts';
import { RepricerStrategyUseCase } from './repricer-strategies.ts';

const isVersionConflict = (error: unknown) => error instanceof VersionConflictError;

export function serviceAdapters(env: Environment, overrides: DepsOverrides = {}) {
  const adapters = coreAdapters(env, overrides);
  const { aws, names, clock } = adapters;
  const core = () => names.table('core');
  const service = {
    ...adapters,
    surveyStore: () => new DynamoSurveyStore(aws.dynamo(), core()),
    feedbackStore: () => new DynamoFeedbackStore(aws.dynamo(), core()),
    supportStore: () => new DynamoSupportStore(aws.dynamo(), core()),
    rateLimiter: () => new DynamoRateLimiter(aws.dynamo(), core()),
    activeCustomers: () => new DynamoActiveCustomers(aws.dynamo(), core()),

    feedbackDeps(): FeedbackDeps {
      const customers = adapters.customerRepository();
      return {
        store: service.feedbackStore(),
        publisher: new SnsProductFeedbackPublisher(aws.sns(), names.topicArn('productFeedback')),
        customers: { exists: async (tenantId) => (await customers.get(tenantId)) !== undefined },
        clock,
        isVersionConflict,
      };
    },

    surveyDeps(): SurveyDeps {
      const feedback = service.feedbackDeps();
      return {
        store: service.surveyStore(),
        customers: adapters.customerRepository(),
        tasks: adapters.taskRepository(),
        feedback: {
      record: async (request) => {
        await recordDifficulty(feedback, request);
      },
    },
        clock,
        timeZone: SURVEY_SCHEDULE.timeZone,
      };
    },

    campaignDeps(): CampaignDeps {
      return {
        customers: service.activeCustomers(),
        staff: adapters.staffDirectory(),
        tasks: adapters.taskRepository(),
        store: service.surveyStore(),
        clock,
        metrics: adapters.metrics,
      };
    },

    supportDeps(): SupportDeps {
      return {
        store: service.supportStore(),
        customers: adapters.customerRepository(),
        staff: adapters.staffDirectory(),
        tasks: adapters.taskRepository(),
        notifier: service.supportNotifier(),
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
            title: cutText(`Support request (${request.channel}): ${request.subject}`, 200),
            message: cutText(request.message, 1000),
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
        survey: service.surveyDeps(),
        feedback: service.feedbackDeps(),
        support: service.supportStore(),
        clock,
        isVersionConflict,
        trialOutcome: service.trialOutcomeDeps(),
      });
    },

    /** The root-cause lifecycle: the feedback store, its publication, the reporting customers' follow-up tasks. */
    rootCauseLifecycleDeps(): RootCauseLifecycleDeps {
      const publisher = new SnsProductFeedbackPublisher(aws.sns(), names.topicArn('productFeedback'));
      return {
        store: service.feedbackStore(),
        publishStatus: (message) => publisher.publishStatus(message),
        customers: adapters.customerRepository(),
        tasks: adapters.taskRepository(),
        clock,
        isVersionConflict,
      };
    },

    /** The end-of-trial call's effects: the contract (customers) and the offers' strategy (the repricer's use case). */
    trialOutcomeDeps(): TrialOutcomeDeps {
      const repricer = repricerAdapters(env, overrides);
      return {
        commits: adapters.customerCommits(),
        onboarding: adapters.onboardingRepository(),
        strategies: new RepricerStrategyUseCase({ store: repricer.store(), history: repricer.history() }, () => clock.now()),
      };
    },
  };
  return service;
}
