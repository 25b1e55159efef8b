import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import type { AnalysisStatusStore, AppointmentCalendar, OnboardingRepository } from '#shared/onboarding/ports.ts';
import { staffActionsFor, type StaffActionLog } from '#shared/customers/acting-for.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { getCustomerForCaller } from '#shared/customers/views.ts';
import { getOnboardingForCaller } from '#shared/onboarding/views.ts';

export interface Deps {
  readonly customers: CustomerRepository;
  readonly onboarding: OnboardingRepository;
  readonly statuses: AnalysisStatusStore;
  readonly calendar: AppointmentCalendar;
  readonly staffActions: StaffActionLog;
  /** The system's clock (`GET /clock`): the simulated one on a local stack started with `--clock`. */
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return {
    customers: adapters.customerRepository(),
    onboarding: adapters.onboardingRepository(),
    statuses: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).analysisStatuses(),
    calendar: adapters.appointmentCalendar(),
    staffActions: adapters.staffActionLog(),
    clock: adapters.clock,
  };
}

export function createHandler({ customers, onboarding, statuses, calendar, staffActions, clock }: Deps) {
  return httpRouter([
    {
      route: httpRoutes.getClock,
      handler: httpHandler(httpRoutes.getClock, async () => ({ status: 200, body: { now: clock.now().toISOString() } })),
    },
    {
      route: httpRoutes.getCustomer,
      handler: httpHandler(httpRoutes.getCustomer, async ({ params, caller }) => ({
        status: 200,
        body: await getCustomerForCaller(customers, caller, params.customerId),
      })),
    },
    {
      route: httpRoutes.getOnboarding,
      handler: httpHandler(httpRoutes.getOnboarding, async ({ params, caller }) => ({
        status: 200,
        body: await getOnboardingForCaller({ customers, onboarding, statuses, calendar }, caller, params.customerId),
      })),
    },
    {
      route: httpRoutes.listStaffActions,
      handler: httpHandler(httpRoutes.listStaffActions, async ({ params, query, caller }) => ({
        status: 200,
        body: { items: await staffActionsFor({ customers, log: staffActions }, caller, params.customerId, query.limit) },
      })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
