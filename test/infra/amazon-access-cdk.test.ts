/** The Amazon connection in the CDK app (issue 13): fail-closed stage/amazon flags, grants, concurrency limits. */
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkTestContext } from '../support/cdk-context.ts';
import { deploymentFromContext } from '#infra/deployment.ts';

const base = cdkTestContext();

describe('stage and Amazon flags fail closed', () => {
  it('refuses a production synth without -c amazon=sp-api, naming the flag', () => {
    expect(() => buildApp(new App({ context: { ...base, stage: 'prod' } }))).toThrow(/amazon=sp-api/);
    expect(() => buildApp(new App({ context: { ...base, stage: 'prod', amazon: 'simulated' } }))).toThrow(/stage=prod needs -c amazon=sp-api/);
  });

  it('rejects unknown values instead of defaulting', () => {
    expect(() => deploymentFromContext((k) => ({ stage: 'production' })[k])).toThrow(/-c stage=dev or -c stage=prod/);
    expect(() => deploymentFromContext((k) => ({ amazon: 'sp_api' })[k])).toThrow(/-c amazon=sp-api or -c amazon=simulated/);
  });

  it('defaults to dev on the simulated Amazon', () => {
    expect(deploymentFromContext((k) => base[k])).toMatchObject({ stage: 'dev', amazon: 'simulated' });
    expect(deploymentFromContext((k) => ({ ...base, stage: 'prod', amazon: 'sp-api' })[k])).toMatchObject({ stage: 'prod', amazon: 'sp-api' });
  });
});

describe('a production synth connected to SP-API', () => {
  let stateless: Template;
  beforeAll(() => {
    const built = buildApp(new App({ context: { ...base, stage: 'prod', amazon: 'sp-api' } }));
    expect(built.deployment).toMatchObject({ stage: 'prod', amazon: 'sp-api' });
    stateless = Template.fromStack(built.stateless);
  }, 120_000);

  it('tells every function it talks to the real SP-API in prod', () => {
    const fns = stateless.findResources('AWS::Lambda::Function', { Properties: { FunctionName: Match.stringLikeRegexp('^sellerops-') } });
    expect(Object.keys(fns).length).toBeGreaterThan(20);
    for (const fn of Object.values(fns)) {
      expect((fn as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables).toMatchObject({ SELLEROPS_AMAZON: 'sp-api', SELLEROPS_STAGE: 'prod' });
    }
  });

  it('routes the authorisation workflow: the callback public (the state is its credential), the rest behind the authorizer', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /amazon/authorizations/callback', AuthorizationType: 'NONE' });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /amazon/authorizations', AuthorizationType: 'JWT' });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /amazon/connection', AuthorizationType: 'JWT' });
  });

  it('lets only the callback write refresh tokens, as SecureStrings under the tenants path, encrypted with the data key', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sellerops-amazonConnection',
      Environment: { Variables: Match.objectLike({ DATA_KEY_ARN: Match.anyValue() }) },
    });
    const writers = Object.values(stateless.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('ssm:PutParameter'));
    expect(writers).toHaveLength(1);
    expect(JSON.stringify(writers[0])).toContain(':parameter/sellerops/amazon/tenants/*');
    expect(JSON.stringify(writers[0])).toContain('AmazonConnection');
  });

  it('bounds the SP-API consumers with MaximumConcurrency and never overlaps the push flush', () => {
    // The worker and the notifications consumer are canaries: their event sources invoke the alias (function:live).
    const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping')) as { Properties: { FunctionName: unknown; ScalingConfig?: { MaximumConcurrency: number } } }[];
    const concurrencyOf = (fn: string) => mappings.filter((m) => JSON.stringify(m.Properties.FunctionName).includes(fn)).map((m) => m.Properties.ScalingConfig?.MaximumConcurrency);
    expect(concurrencyOf('RepricerWorker')).toEqual([10]);
    expect(concurrencyOf('RepricerNotifications')).toEqual([10]);
    expect(concurrencyOf('AmazonProfileAnalysis')).toEqual([2]);
    stateless.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'sellerops-repricerPushFlush', ReservedConcurrentExecutions: 1 });
  });

  it('lets the tick, worker and flush read the kill switch, and keeps the CSM notifier away from Amazon', () => {
    const policyOf = (fragment: string) =>
      JSON.stringify(Object.values(stateless.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(fragment)));
    for (const role of ['RepricerTick', 'RepricerWorker', 'RepricerPushFlush']) expect(policyOf(role)).toContain('/sellerops/repricer/pushes-stopped');
    expect(policyOf('CsmNotifierRole')).toContain('sns:Publish');
    expect(policyOf('CsmNotifierRole')).not.toContain('ssm:');
  });
});
