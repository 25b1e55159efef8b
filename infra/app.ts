/**
 * The CDK app: `npx cdk synth` (offline) / `npx cdk deploy --all`, with `-c stage=dev|prod`,
 * `-c amazon=sp-api|simulated` and `-c alarmEmail=…` (infra/deployment.ts: prod without amazon=sp-api fails the
 * synth; each stage's account and region are pinned in cdk.json). Three stacks per stage: stateful (retained data),
 * stateless (functions, API, schedules, canaries) and operations (alarms, dashboards).
 * cdk-nag's AwsSolutions checks run at synth; a finding that is not acknowledged with a reason fails it.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack, STAGE_TAG } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';
import { OperationsStack } from './stacks/operations-stack.ts';
import { deploymentFromContext, stackName, type Deployment } from './deployment.ts';

export function buildApp(app: App = new App()): { app: App; stateful: StatefulStack; stateless: StatelessStack; operations: OperationsStack; deployment: Deployment } {
  const deployment = deploymentFromContext((key) => app.node.tryGetContext(key));
  const { env, stage } = deployment;
  const stateful = new StatefulStack(app, stackName(stage, 'Stateful'), {
    env,
    description: `sellerops ${stage}: tables, queues, topics, keys, users, backups, budget (retained)`,
    deployment,
  });
  const stateless = new StatelessStack(app, stackName(stage, 'Stateless'), {
    env,
    description: `sellerops ${stage}: functions, HTTP API, schedules, canary deployments`,
    stateful,
    deployment,
  });
  const operations = new OperationsStack(app, stackName(stage, 'Operations'), {
    env,
    description: `sellerops ${stage}: alarms and dashboards`,
    deployment,
    alarmTopic: stateful.alarmTopic,
    apiId: stateless.api.apiId,
  });
  // The budget and the cost anomaly monitor select the stage's costs by this tag (a cost allocation tag).
  Tags.of(app).add(STAGE_TAG, stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless, operations, deployment };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/infra\//, '/infra/'))) {
  buildApp().app.synth();
}
