import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { FUNCTION_BASE_ENVIRONMENT, SelleropsFunction } from '#infra/constructs/sellerops-function.ts';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { cdkTestContext } from '../support/cdk-context.ts';
import { functions, LAMBDA_NODE_MAJOR, nodeOptionsOf, queues, tables, wiringProblems, type FunctionSpec } from '#infra/wiring.ts';
import { CUSTOMER_EVENT_TYPES } from '#shared/contracts/customer-events.ts';
import { httpRoutes, type HttpRoute } from '#shared/api/routes.ts';
import { offerToItem } from '#shared/adapters/dynamodb/repricer-store.ts';
import { DUE_SHARDS, PUSH_SHARDS, newStoredOffer } from '#shared/repricer/model.ts';
import { toOfferRules } from '#shared/repricer/rules.ts';

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  // Bundling is skipped here (esbuild runs in `npx cdk synth`); cdk-nag still runs and throws on any finding.
  const { stateful: a, stateless: b } = buildApp(
    new App({ context: cdkTestContext({ stage: 'prod', amazon: 'sp-api' }) }),
  );
  stateful = Template.fromStack(a);
  stateless = Template.fromStack(b);
});

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('wiring', () => {
  it('names only tables, queues, topics and functions that exist', () => {
    expect(wiringProblems()).toEqual([]);
  });
});

describe('stateful stack', () => {
  it('creates every wired table with PITR (unless it says why not), KMS encryption, deletion protection and retention', () => {
    for (const spec of Object.values(tables)) {
      stateful.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({
          TableName: spec.name,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: spec.withoutPointInTimeRecovery === undefined },
          SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
          DeletionProtectionEnabled: true,
          ...(spec.globalIndexes.length > 0 ? { GlobalSecondaryIndexes: spec.globalIndexes.map((i) => Match.objectLike({ IndexName: i.name })) } : {}),
        }),
        DeletionPolicy: 'Retain',
      });
    }
  });

  it('projects into each index only what its reads use: ALL only where a read needs the whole item, and says which', () => {
    const all = stateful.findResources('AWS::DynamoDB::Table') as Record<string, Resource>;
    for (const spec of Object.values(tables)) {
      const [, table] = Object.entries(all).find(([, r]) => r.Properties.TableName === spec.name)!;
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string; Projection: { ProjectionType: string; NonKeyAttributes?: string[] } }[];
      for (const index of spec.globalIndexes) {
        const projection = indexes.find((i) => i.IndexName === index.name)?.Projection;
        expect(projection?.ProjectionType, `${spec.name}/${index.name}`).toBe(index.projection.type);
        if (index.projection.type === 'ALL') expect(index.projection.why.length, `${spec.name}/${index.name}: why ALL`).toBeGreaterThan(20);
        if (index.projection.type === 'INCLUDE') expect(projection?.NonKeyAttributes).toEqual([...index.projection.attributes]);
      }
    }
    // The repricer's hot indexes copy no offer: the tick reads keys, the flush the pending push.
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: tables.repricer!.name,
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'due', Projection: { ProjectionType: 'KEYS_ONLY' } }),
        Match.objectLike({ IndexName: 'pushes', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['pendingPush'] } }),
      ],
    });
  });

  it("keys every CSM task by its customer for the customer 360's history of contacts (GET /customers/{customerId}/tasks), and the task function may Query that index", () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: tables.core!.name,
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'customerTasks',
          KeySchema: [
            { AttributeName: 'customerTasksKey', KeyType: 'HASH' },
            { AttributeName: 'customerTasksOrder', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ]),
    });
    expect(functions.csmTasks!.triggers).toContainEqual({ kind: 'http', route: 'listCustomerTasks' });
    const policies = stateless.findResources('AWS::IAM::Policy') as Record<string, Resource>;
    const taskPolicy = JSON.stringify(Object.entries(policies).find(([id]) => id.startsWith('CsmTasksRole'))?.[1].Properties.PolicyDocument ?? {});
    expect(taskPolicy).toContain('/index/customerTasks');
    expect(taskPolicy).toContain('dynamodb:Query');
  });

  it('shards the pushes index over PUSH_SHARDS partition key values (and the due index per marketplace)', () => {
    const pushes = tables.repricer!.globalIndexes.find((i) => i.name === 'pushes')!;
    expect(pushes.shards).toBe(PUSH_SHARDS);
    expect(PUSH_SHARDS).toBeGreaterThanOrEqual(8);
    expect(tables.repricer!.globalIndexes.find((i) => i.name === 'due')!.shards).toBe(DUE_SHARDS);
    // The values the adapter writes are the shards the spec declares (one constant, PUSH#0 … PUSH#15).
    const rules = toOfferRules({ sku: 'S1', asin: 'B000000001', marketplaceId: 'A1PA6795UKMFR9', strategy: 'buybox', currency: 'EUR', min: '1.00', max: '2.00' }, 't');
    const item = offerToItem({ ...newStoredOffer('t', 'A1SELLER000001', rules, 0), pendingPush: { decisionId: 'd', priceMinor: 100, tiers: [], decidedAtMs: 0, via: 'bulk' } });
    expect(item.pushShard).toMatch(new RegExp(`^PUSH#(${Array.from({ length: PUSH_SHARDS }, (_, n) => n).join('|')})$`));
  });

  it('keeps price history in its own TTL table, without PITR, on Standard-IA', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: tables.repricerHistory!.name,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
    });
    expect(tables.repricer!.accessPatterns.some((p) => p.includes('HIST#'))).toBe(false);
  });

  it('gives every queue a DLQ with the wired maxReceiveCount and a visibility timeout of at least 6x its consumer timeout', () => {
    const all = stateful.findResources('AWS::SQS::Queue') as Record<string, Resource>;
    for (const [queueId, spec] of Object.entries(queues)) {
      const [, queue] = Object.entries(all).find(([, r]) => r.Properties.QueueName === spec.name)!;
      expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: spec.maxReceiveCount });
      expect(queue.Properties.KmsMasterKeyId).toBeDefined();
      const consumers = Object.values<FunctionSpec>(functions).filter((f) => f.triggers.some((t) => t.kind === 'sqs' && t.queue === queueId));
      for (const consumer of consumers) expect(spec.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * consumer.timeoutSeconds);
    }
    const names = Object.values(all).map((r) => r.Properties.QueueName);
    for (const spec of Object.values(queues)) expect(names).toContain(`${spec.name}-dlq`);
  });

  it('encrypts every topic and delivers raw, filtered messages to subscribed queues', () => {
    for (const topic of Object.values(stateful.findResources('AWS::SNS::Topic') as Record<string, Resource>)) {
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    }
    stateful.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      FilterPolicy: { eventType: [...CUSTOMER_EVENT_TYPES] },
    });
  });
});

describe('stateless stack', () => {
  it('runs every function on ARM64 and the current Node runtime with tracing and JSON logs', () => {
    const all = stateless.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    // CDK's own handlers that deploy the web app's files (BucketDeployment, the bucket's auto-delete) and set the reports
    // bucket's CORS rule (AwsCustomResource) are no wiring functions.
    const cdkHandlers = Object.keys(all).filter((id) => /^(CustomCDKBucketDeployment|CustomS3AutoDeleteObjectsCustomResourceProviderHandler|AWS679f53fac002430cb0da5b7982bd2287)/.test(id));
    expect(cdkHandlers).toHaveLength(3);
    const fns = Object.fromEntries(Object.entries(all).filter(([id]) => !cdkHandlers.includes(id)));
    expect(Object.keys(fns)).toHaveLength(Object.keys(functions).length);
    for (const fn of Object.values(fns)) {
      expect(fn.Properties).toMatchObject({
        Architectures: ['arm64'],
        Runtime: `nodejs${LAMBDA_NODE_MAJOR}.x`,
        TracingConfig: { Mode: 'Active' },
        // The level is Lambda's (advanced logging controls): Powertools obeys AWS_LAMBDA_LOG_LEVEL before its own variable.
        LoggingConfig: expect.objectContaining({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' }),
      });
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables).not.toHaveProperty('POWERTOOLS_LOG_LEVEL');
      expect(variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'sellerops', POWERTOOLS_METRICS_NAMESPACE: 'sellerops', SELLEROPS_STAGE: 'prod' });
    }
  });

  it('logs at DEBUG only the functions named by -c debugLogs, and refuses an id the wiring lacks', () => {
    const { stateless: stack } = buildApp(new App({ context: cdkTestContext({ debugLogs: 'repricerWorker, csmNotifier' }) }));
    const levels = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function') as Record<string, Resource>)
      .filter((fn) => typeof fn.Properties.FunctionName === 'string')
      .map((fn) => [fn.Properties.FunctionName, (fn.Properties.LoggingConfig as { ApplicationLogLevel: string }).ApplicationLogLevel]);
    expect(levels.filter(([, level]) => level === 'DEBUG').map(([name]) => name).sort()).toEqual(['sellerops-dev-csmNotifier', 'sellerops-dev-repricerWorker']);
    expect(levels.filter(([, level]) => level === 'INFO')).toHaveLength(Object.keys(functions).length - 2);
    expect(() => buildApp(new App({ context: cdkTestContext({ debugLogs: 'repricerWorkr' }) }))).toThrow(/-c debugLogs: no function "repricerWorkr" in the wiring/);
  });

  it('sets each environment variable of a function in one place: the function construct refuses one set twice', () => {
    const stack = new Stack(new App({ context: cdkTestContext() }), 'Probe');
    const spec = functions.signups!;
    expect(() => new SelleropsFunction(stack, 'Twice', { functionName: 'sellerops-probe', spec, environment: { POWERTOOLS_SERVICE_NAME: 'other' } })).toThrow(
      /POWERTOOLS_SERVICE_NAME set by the stack and by SelleropsFunction/,
    );
    expect(Object.keys(FUNCTION_BASE_ENVIRONMENT)).not.toContain('POWERTOOLS_METRICS_NAMESPACE'); // the stage's: the stateless stack sets it
  });

  it('puts the Cognito JWT authorizer on every non-public route and none on public ones', () => {
    const routes = stateless.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>;
    const expected = (Object.values(httpRoutes) as HttpRoute[]).map((r) => `${r.method} ${r.path}`);
    expect(Object.values(routes).map((r) => r.Properties.RouteKey).sort()).toEqual(expected.sort());
    for (const route of Object.values(routes)) {
      const spec = (Object.values(httpRoutes) as HttpRoute[]).find((r) => `${r.method} ${r.path}` === route.Properties.RouteKey)!;
      if (spec.auth === 'public') expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      else expect(route.Properties.AuthorizationType).toBe('JWT');
    }
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
  });

  it('grants each function only what the wiring lists: no wildcard actions, no access it was not given', () => {
    const policies = stateless.findResources('AWS::IAM::Policy') as Record<string, Resource>;
    const json = JSON.stringify(policies);
    expect(json).not.toMatch(/"(dynamodb|sqs|sns):\*"/);
    expect(json).not.toContain('/index/*');
    for (const [name, spec] of Object.entries<FunctionSpec>(functions)) {
      const logical = name.charAt(0).toUpperCase() + name.slice(1);
      const policy = Object.entries(policies).find(([id]) => id.startsWith(`${logical}Role`))?.[1];
      const statements = JSON.stringify(policy?.Properties.PolicyDocument ?? {});
      const writes = (spec.access.tablesWrite ?? []).length > 0;
      expect(statements.includes('dynamodb:PutItem'), `${name} table write`).toBe(writes);
      expect(statements.includes('dynamodb:Query'), `${name} table read`).toBe((spec.access.tablesRead ?? []).length > 0);
      expect(statements.includes('sns:Publish'), `${name} publish`).toBe((spec.access.topicsPublish ?? []).length > 0);
      expect(statements.includes('dynamodb:Scan'), `${name} scan`).toBe(false);
    }
  });

  it('lets one-time schedules invoke only their target functions, and only their creators create them', () => {
    const policies = JSON.stringify(stateless.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('scheduler:CreateSchedule');
    expect(policies).toContain('iam:PassRole');
    const creators = Object.entries(functions).filter(([, f]) => (f.access.schedulesCreate ?? []).length > 0).map(([n]) => n);
    expect(creators).toEqual(['csmNotifier']);
    const withCreate = Object.entries(stateless.findResources('AWS::IAM::Policy') as Record<string, Resource>)
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('scheduler:CreateSchedule'))
      .map(([id]) => id);
    expect(withCreate.every((id) => id.startsWith('CsmNotifierRole'))).toBe(true);
  });

  it('consumes queues with partial batch responses', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('schedules the outbox relay in the sellerops schedule group', () => {
    // The alarms (one per DLQ among them) are in the operations stack: test/infra/operations-cdk.test.ts.
    stateless.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'sellerops' });
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'outbox-relay',
      GroupName: Match.anyValue(),
      ScheduleExpression: 'rate(1 minute)',
    });
  });
});

describe('cdk-nag', () => {
  it('fails synthesis on a finding nobody acknowledged', async () => {
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    const { stateful: stack } = buildApp(new App({ context: cdkTestContext() }));
    new Queue(stack, 'QueueWithoutDlqOrSsl');
    expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-SQS3|AwsSolutions-SQS4/);
  });
});

describe('composition roots', () => {
  /** A function's environment as CDK sets it; values CloudFormation resolves at deploy time become placeholders. */
  function deployedEnvironment(functionName: string): Record<string, string> {
    const [resource] = Object.values(stateless.findResources('AWS::Lambda::Function', { Properties: { FunctionName: functionName } })) as Resource[];
    const variables = ((resource?.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
    return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : `resolved-at-deploy:${k}`]));
  }

  it('caps the V8 heap (NODE_OPTIONS) of the functions that ask for it, below their memory, and of no other', () => {
    const capped = Object.entries<FunctionSpec>(functions).filter(([, spec]) => spec.maxOldSpaceMb !== undefined);
    expect(capped.map(([name]) => name)).toContain('lostFoundAuditor');
    for (const [name, spec] of Object.entries<FunctionSpec>(functions)) {
      const env = deployedEnvironment(`sellerops-${name}`);
      if (spec.maxOldSpaceMb === undefined) {
        expect(env.NODE_OPTIONS, name).toBeUndefined();
        continue;
      }
      expect(env.NODE_OPTIONS, name).toBe(nodeOptionsOf(spec));
      expect(env.NODE_OPTIONS, name).toContain(`--max-old-space-size=${spec.maxOldSpaceMb}`);
      expect(spec.maxOldSpaceMb, name).toBeLessThan(spec.memoryMb);
    }
  });

  it('builds every function from exactly the environment its deployment grants it, with no local overrides', async () => {
    for (const [name, spec] of Object.entries<FunctionSpec>(functions)) {
      const module = (await import(`../../${spec.entry}`)) as { createHandler: (deps?: unknown) => unknown; createDeps?: (env: Record<string, string>) => unknown };
      const env = deployedEnvironment(`sellerops-${name}`);
      expect(Object.keys(env).length, name).toBeGreaterThan(0);
      expect(typeof module.createHandler(module.createDeps?.(env)), name).toBe('function');
    }
    // The check can fail: a function whose environment lacks a resource it uses is refused at construction.
    const signups = (await import('../../functions/signups/handler.ts')) as { createDeps: (env: Record<string, string>) => unknown };
    const { TABLE_CORE: _table, ...withoutTable } = deployedEnvironment('sellerops-signups');
    expect(() => signups.createDeps(withoutTable)).toThrow(/TABLE_CORE is not set/);
  }, 60_000);
});
