/**
 * What is being deployed, from the CDK context: `-c stage=dev|prod` (default dev) and
 * `-c amazon=sp-api|simulated` (default: simulated in dev). It fails closed: production never runs on the
 * simulated Amazon, and an unknown value is an error rather than a silent default.
 */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];
export const AMAZON_MODES = ['sp-api', 'simulated'] as const;
export type AmazonMode = (typeof AMAZON_MODES)[number];

export interface Deployment {
  readonly stage: Stage;
  readonly amazon: AmazonMode;
}

export class DeploymentContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentContextError';
  }
}

export function deploymentFromContext(context: (key: string) => unknown): Deployment {
  const stageValue = context('stage') ?? 'dev';
  if (!(STAGES as readonly unknown[]).includes(stageValue)) throw new DeploymentContextError(`-c stage=${JSON.stringify(stageValue)}: use -c stage=dev or -c stage=prod`);
  const stage = stageValue as Stage;
  const amazonValue = context('amazon');
  if (amazonValue !== undefined && !(AMAZON_MODES as readonly unknown[]).includes(amazonValue)) {
    throw new DeploymentContextError(`-c amazon=${JSON.stringify(amazonValue)}: use -c amazon=sp-api or -c amazon=simulated`);
  }
  if (stage === 'prod' && amazonValue !== 'sp-api') {
    throw new DeploymentContextError(
      `stage=prod needs -c amazon=sp-api (got ${amazonValue === undefined ? 'no amazon flag' : `amazon=${JSON.stringify(amazonValue)}`}): production never runs on the simulated Amazon. Deploy with: npx cdk deploy --all -c stage=prod -c amazon=sp-api`,
    );
  }
  return { stage, amazon: (amazonValue as AmazonMode | undefined) ?? 'simulated' };
}
