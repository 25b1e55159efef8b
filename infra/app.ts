/**
 * The CDK app: `npx cdk synth` (offline) / `npx cdk deploy --all`, with `-c stage=dev|prod` and
 * `-c amazon=sp-api|simulated` (infra/deployment.ts: prod without amazon=sp-api fails the synth).
 * cdk-nag's AwsSolutions checks run at synth; a finding that is not acknowledged with a reason fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';
import { deploymentFromContext, type Deployment } from './deployment.ts';

export function buildApp(app: App = new App()): { app: App; stateful: StatefulStack; stateless: StatelessStack; deployment: Deployment } {
  const deployment = deploymentFromContext((key) => app.node.tryGetContext(key));
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-central-1' };
  const stateful = new StatefulStack(app, 'SelleropsStateful', { env, description: 'sellerops: tables, queues, topics, keys, users (retained)' });
  const stateless = new StatelessStack(app, 'SelleropsStateless', {
    env,
    description: 'sellerops: functions, HTTP API, schedules, alarms',
    stateful,
    deployment,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless, deployment };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/infra\//, '/infra/'))) {
  buildApp().app.synth();
}
