import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { NotFoundError } from '#shared/kernel/errors.ts';
import { PRODUCTS, type Product } from '#shared/contracts/customer-events.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import {
  announcementReads,
  announcementsForCustomer,
  announcementsForTeam,
  markAnnouncementRead,
  publishAnnouncement,
  type AnnouncementStore,
} from '#shared/csm/announcements.ts';

export interface Deps {
  readonly customers: CustomerRepository;
  readonly announcements: AnnouncementStore;
  readonly clock: Clock;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = coreAdapters(env, overrides);
  return { customers: adapters.customerRepository(), announcements: adapters.announcementStore(), clock: adapters.clock };
}

export function createHandler({ customers, announcements, clock }: Deps) {
  /** The caller's customer record as the announcements see it: language and the products it has (not cancelled). */
  const customerOf = async (tenantId: string) => {
    const record = await customers.get(tenantId);
    if (!record) throw new NotFoundError(`customer ${tenantId} (sign up first)`);
    const products = PRODUCTS.filter((p: Product) => record.contracts[p] && record.contracts[p].status !== 'cancelled');
    return { tenantId, language: record.language, products };
  };
  return httpRouter([
    {
      route: httpRoutes.publishAnnouncement,
      handler: httpHandler(httpRoutes.publishAnnouncement, async ({ body, caller }) => {
        const { announcement, created } = await publishAnnouncement({ announcements, clock }, { staffId: caller.staffId!, lead: caller.lead }, body);
        return { status: created ? 201 : 200, body: announcement };
      }),
    },
    {
      route: httpRoutes.listAnnouncements,
      handler: httpHandler(httpRoutes.listAnnouncements, async ({ query, caller }) => ({
        status: 200,
        body: {
          items:
            caller.role === 'customer'
              ? await announcementsForCustomer(announcements, await customerOf(caller.tenantId!), query.limit)
              : await announcementsForTeam(announcements, PRODUCTS, query.limit),
        },
      })),
    },
    {
      route: httpRoutes.markAnnouncementRead,
      handler: httpHandler(httpRoutes.markAnnouncementRead, async ({ params, caller }) => {
        await markAnnouncementRead({ announcements, clock }, await customerOf(caller.tenantId!), params.announcementId);
        return { status: 204 };
      }),
    },
    {
      route: httpRoutes.getAnnouncementReads,
      handler: httpHandler(httpRoutes.getAnnouncementReads, async ({ params }) => ({ status: 200, body: await announcementReads(announcements, params.announcementId) })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
