import { METRIC_SERVICE } from '#shared/kernel/metrics.ts';

/**
 * What is being deployed, from the CDK context: `-c stage=dev|prod` (default dev), `-c amazon=sp-api|simulated`
 * (default: simulated in dev), the account and region pinned per stage in cdk.json's `stages` map, and who gets the
 * operator alarms (`-c alarmEmail=a@x.com,b@y.com`). It fails closed: production never runs on the simulated
 * Amazon, a stage without a pinned account and region does not synthesise, and an unknown value is an error rather
 * than a silent default.
 */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];
export const AMAZON_MODES = ['sp-api', 'simulated'] as const;
export type AmazonMode = (typeof AMAZON_MODES)[number];

export interface Deployment {
  readonly stage: Stage;
  readonly amazon: AmazonMode;
  /** Where the stage lives: pinned in cdk.json (`context.stages.<stage>`), so a synth never depends on the shell's AWS profile. */
  readonly env: { readonly account: string; readonly region: string };
  /** The stage's monthly AWS Budgets limit in USD (alerts at 80 % actual and 100 % forecast), pinned per stage. */
  readonly monthlyBudgetUsd: number;
  /** Cost Anomaly Detection alerts on an anomaly of at least this many USD of impact, pinned per stage. */
  readonly anomalyAlertUsd: number;
  /** E-mail subscribers of the operator alarm topic (`-c alarmEmail=…`, comma-separated; or a list in cdk.json). */
  readonly alarmEmails: readonly string[];
  /**
   * Functions (wiring ids) deployed with the application log level DEBUG instead of INFO (`-c debugLogs=repricerWorker,…`):
   * the way to DEBUG lines of a canary function, whose alias runs a published version an operator cannot reconfigure.
   */
  readonly debugLogs: readonly string[];
}

export class DeploymentContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentContextError';
  }
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

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
  return { stage, amazon: (amazonValue as AmazonMode | undefined) ?? 'simulated', ...stageSettings(stage, context('stages')), alarmEmails: alarmEmails(context('alarmEmail')), debugLogs: debugLogs(context('debugLogs')) };
}

function stageSettings(stage: Stage, stages: unknown): Pick<Deployment, 'env' | 'monthlyBudgetUsd' | 'anomalyAlertUsd'> {
  const pinned: unknown = typeof stages === 'object' && stages !== null ? (stages as Record<string, unknown>)[stage] : undefined;
  const where = `cdk.json context "stages": {"${stage}": {"account": "<12 digits>", "region": "<e.g. eu-central-1>", "monthlyBudgetUsd": <USD>, "anomalyAlertUsd": <USD>}}`;
  if (typeof pinned !== 'object' || pinned === null) throw new DeploymentContextError(`stage ${stage} has no account and region: add ${where}`);
  const { account, region, monthlyBudgetUsd, anomalyAlertUsd } = pinned as Record<string, unknown>;
  if (typeof account !== 'string' || !ACCOUNT.test(account)) throw new DeploymentContextError(`stage ${stage}: account ${JSON.stringify(account)} is not a 12-digit AWS account id (${where})`);
  if (typeof region !== 'string' || !REGION.test(region)) throw new DeploymentContextError(`stage ${stage}: region ${JSON.stringify(region)} is not an AWS region (${where})`);
  for (const [key, value] of [['monthlyBudgetUsd', monthlyBudgetUsd], ['anomalyAlertUsd', anomalyAlertUsd]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new DeploymentContextError(`stage ${stage}: ${key} ${JSON.stringify(value)} is not a positive amount in USD (${where})`);
  }
  return { env: { account, region }, monthlyBudgetUsd: monthlyBudgetUsd as number, anomalyAlertUsd: anomalyAlertUsd as number };
}

/** `-c debugLogs=a,b`: the ids are checked against the wiring by the stateless stack (this module knows no wiring). */
function debugLogs(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') throw new DeploymentContextError(`-c debugLogs=${JSON.stringify(value)}: give function ids of the wiring, comma-separated`);
  return [...new Set(value.split(',').map((id) => id.trim()).filter((id) => id.length > 0))];
}

function alarmEmails(value: unknown): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const emails = items.flatMap((item) => {
    if (typeof item !== 'string') throw new DeploymentContextError(`-c alarmEmail=${JSON.stringify(item)}: give e-mail addresses, comma-separated`);
    return item.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  });
  for (const email of emails) {
    if (!EMAIL.test(email)) throw new DeploymentContextError(`-c alarmEmail: ${JSON.stringify(email)} is not an e-mail address`);
  }
  return [...new Set(emails)];
}

/**
 * The physical name of a wired resource in a stage. Production keeps the wiring's names (the names the local stack,
 * the docs, the runbook and the CLI use, and the names its retained tables already carry); every other stage puts
 * itself after the `sellerops` prefix (`sellerops-core` → `sellerops-dev-core`, `alias/sellerops-data` →
 * `alias/sellerops-dev-data`), so a dev stage can share prod's account without a name clash.
 */
export function stageName(stage: Stage, name: string): string {
  if (stage === 'prod') return name;
  const match = /^(.*?)sellerops(?=$|[-/])/.exec(name);
  if (!match) throw new Error(`stageName: "${name}" does not start with sellerops: every physical name carries the prefix`);
  return `${match[0]}-${stage}${name.slice(match[0].length)}`;
}

/** CloudFormation stack name of a stage (`SelleropsStateful` in prod, `SelleropsDevStateful` in dev). */
export function stackName(stage: Stage, part: 'Stateful' | 'Stateless' | 'Operations'): string {
  return stage === 'prod' ? `Sellerops${part}` : `Sellerops${stage.charAt(0).toUpperCase()}${stage.slice(1)}${part}`;
}

/** The CloudWatch namespace of the business metrics in a stage (`sellerops`, `sellerops-dev`): stages never mix. */
export function metricsNamespace(stage: Stage): string {
  return stageName(stage, METRIC_SERVICE);
}
