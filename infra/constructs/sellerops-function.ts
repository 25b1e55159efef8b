import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { LAMBDA_NODE_MAJOR, nodeOptionsOf, type FunctionSpec } from '../wiring.ts';
import { BUNDLE_ALIASES, LAMBDA_BUNDLING } from './lambda-bundling.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..');

/** Every function's runtime: the one `LAMBDA_NODE_MAJOR` names (the benchmarks of a function's code run on it). */
const LAMBDA_RUNTIME = ({ 24: lambda.Runtime.NODEJS_24_X } as const)[LAMBDA_NODE_MAJOR];

/**
 * The environment every function gets from this construct, whatever its stage: the stage's own variables
 * (`SELLEROPS_STAGE`, `POWERTOOLS_METRICS_NAMESPACE`, the wired names…) come from the stateless stack, and a key may
 * come from one place only (the constructor refuses a second). The log level is not here: Lambda's advanced logging
 * controls set it (`AWS_LAMBDA_LOG_LEVEL`, which Powertools' Logger obeys before POWERTOOLS_LOG_LEVEL).
 */
export const FUNCTION_BASE_ENVIRONMENT: Readonly<Record<string, string>> = {
  POWERTOOLS_SERVICE_NAME: 'sellerops',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * The application log level every deployed function runs at, unless deployed with `-c debugLogs=<function>`; an operator
 * can also lower it to DEBUG for one function without a deploy (docs/runbook.md, "Log levels").
 */
export const DEPLOYED_LOG_LEVEL = lambda.ApplicationLogLevel.INFO;

/**
 * Every function with the same defaults: ARM_64 on the current Node runtime (24.x), ESM bundle minified and
 * tree-shaken by esbuild (AWS SDK v3 left to the runtime; lambda-bundling.ts), JSON logs into its own log group with retention at the
 * application level INFO, active tracing, and a role that starts empty: grants are added from the wiring only.
 */
export class SelleropsFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly functionName: string; readonly spec: FunctionSpec; readonly environment: Record<string, string>; readonly debugLogs?: boolean },
  ) {
    super(scope, id);
    const functionName = props.functionName;
    const nodeOptions = nodeOptionsOf(props.spec);
    const own = { ...FUNCTION_BASE_ENVIRONMENT, ...(nodeOptions !== undefined ? { NODE_OPTIONS: nodeOptions } : {}) };
    const twice = Object.keys(props.environment).filter((key) => key in own);
    if (twice.length > 0) throw new Error(`${functionName}: ${twice.join(', ')} set by the stack and by SelleropsFunction: set each variable in one place`);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Least-privilege role of ${functionName}`,
    });
    logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.spec.description,
      entry: join(repositoryRoot, props.spec.entry),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.spec.memoryMb,
      ...(props.spec.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.spec.reservedConcurrency } : {}),
      ...(props.spec.ephemeralStorageMb !== undefined ? { ephemeralStorageSize: Size.mebibytes(props.spec.ephemeralStorageMb) } : {}),
      timeout: Duration.seconds(props.spec.timeoutSeconds),
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.debugLogs ? lambda.ApplicationLogLevel.DEBUG : DEPLOYED_LOG_LEVEL,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: repositoryRoot,
      depsLockFilePath: join(repositoryRoot, 'package-lock.json'),
      environment: { ...own, ...props.environment },
      // infra/constructs/lambda-bundling.ts: the same options the bundle-size benchmark measures.
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLING.target,
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: false,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        externalModules: [...LAMBDA_BUNDLING.external],
        banner: LAMBDA_BUNDLING.banner,
        // esbuild runs in the repository root (projectRoot), where the aliases' relative paths start.
        esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([name, path]) => `${name}=${path}`) },
        metafile: false,
      },
    });
    // Active tracing adds xray:PutTraceSegments/PutTelemetryRecords, which AWS only offers on Resource "*".
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    });
  }
}
