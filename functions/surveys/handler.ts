import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { serviceAdapters } from '#shared/adapters/service-factories.ts';
import { NotFoundError } from '#shared/kernel/errors.ts';
import { DEFAULT_SURVEY_SETTINGS, recordSurveyResponse, resultsFor, trends, type SurveyDeps } from '#shared/service/surveys.ts';
import { answerCustomerSurvey, listCustomerSurveys } from '#shared/service/customer-surveys.ts';

export type Deps = SurveyDeps;

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  return serviceAdapters(env, overrides).surveyDeps();
}

export function createHandler(surveyDeps: Deps) {
  const { store } = surveyDeps;
  return httpRouter([
    {
      route: httpRoutes.getSurveySettings,
      handler: httpHandler(httpRoutes.getSurveySettings, async () => ({ status: 200, body: (await store.getSettings()) ?? DEFAULT_SURVEY_SETTINGS })),
    },
    {
      route: httpRoutes.updateSurveySettings,
      handler: httpHandler(httpRoutes.updateSurveySettings, async ({ body }) => {
        const settings = { ...((await store.getSettings()) ?? DEFAULT_SURVEY_SETTINGS), ...body };
        await store.saveSettings(settings);
        return { status: 200, body: settings };
      }),
    },
    {
      route: httpRoutes.getSurveyCampaign,
      handler: httpHandler(httpRoutes.getSurveyCampaign, async ({ params }) => {
        const campaign = await store.getCampaign(params.quarter);
        if (!campaign) throw new NotFoundError(`survey campaign ${params.quarter}`);
        return { status: 200, body: campaign };
      }),
    },
    {
      route: httpRoutes.listSurveyCalls,
      handler: httpHandler(httpRoutes.listSurveyCalls, async ({ params, query }) => ({
        status: 200,
        body: await store.listPlannedCalls(params.quarter, query.cursor, query.limit),
      })),
    },
    {
      route: httpRoutes.recordSurveyResponse,
      handler: httpHandler(httpRoutes.recordSurveyResponse, async ({ body, caller }) => {
        const { response, created } = await recordSurveyResponse(surveyDeps, { tenantId: body.customerId, answers: body.answers, staffId: caller.staffId! });
        return { status: created ? 201 : 200, body: { ...response, created } };
      }),
    },
    {
      route: httpRoutes.listCustomerSurveys,
      handler: httpHandler(httpRoutes.listCustomerSurveys, async ({ caller }) => ({ status: 200, body: { surveys: await listCustomerSurveys(surveyDeps, caller.tenantId!) } })),
    },
    {
      route: httpRoutes.answerCustomerSurvey,
      handler: httpHandler(httpRoutes.answerCustomerSurvey, async ({ params, body, caller }) => {
        const { survey, created } = await answerCustomerSurvey(surveyDeps, { tenantId: caller.tenantId!, surveyId: params.surveyId, answer: body });
        return { status: created ? 201 : 200, body: survey };
      }),
    },
    {
      route: httpRoutes.getSurveyResults,
      handler: httpHandler(httpRoutes.getSurveyResults, async ({ params }) => ({ status: 200, body: await resultsFor(store, params.quarter) })),
    },
    {
      route: httpRoutes.getSurveyTrends,
      handler: httpHandler(httpRoutes.getSurveyTrends, async ({ query }) => ({ status: 200, body: await trends(store, query.from, query.to) })),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
