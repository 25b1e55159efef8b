/**
 * The CDK app: `npx cdk synth` (offline) / `npx cdk deploy --all`.
 * cdk-nag's AwsSolutions checks run at synth; a finding that is not acknowledged with a reason fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export function buildApp(app: App = new App()): { app: App; stateful: StatefulStack; stateless: StatelessStack } {
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'eu-central-1' };
  const stateful = new StatefulStack(app, 'SelleropsStateful', { env, description: 'sellerops: tables, queues, topics, keys, users (retained)' });
  const stateless = new StatelessStack(app, 'SelleropsStateless', {
    env,
    description: 'sellerops: functions, HTTP API, schedules, alarms',
    stateful,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/infra\//, '/infra/'))) {
  buildApp().app.synth();
}
