/**
 * The web app in AWS: its files in a private S3 bucket behind CloudFront (origin access control), the HTTP API
 * under the same origin (CloudFront forwards the API's path prefixes to API Gateway, so the page needs no CORS),
 * the strict Content-Security-Policy as a response header, the Cognito Hosted UI domain and the app client for
 * the authorisation code flow with PKCE (public client, no secret; callback and sign-out URL = the app's URL),
 * `config.json` telling the page where to sign in, and what the browser needs to upload FBA reports to the
 * reports bucket (another origin) through pre-signed URLs: the bucket in the CSP's `connect-src`, and the bucket's
 * CORS rule naming the app's origin (PUT only).
 */
import { AssetHashType, Aws, CfnOutput, DockerImage, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { httpRoutes } from '#shared/api/routes.ts';
import { nagPseudo } from './nag.ts';
import { WEB_APP_DIR, webAppCsp, writeWebAppSync } from '#shared/web/web-app-build.ts';

export interface WebAppProps {
  readonly api: apigw.HttpApi;
  readonly userPool: cognito.IUserPool;
  /** The stage's name for a resource (infra/deployment.ts `stageName`): two stages share an account. */
  readonly named: (name: string) => string;
  /** The bucket the page PUTs FBA reports into through pre-signed URLs (in the stateful stack). */
  readonly reportsBucket: s3.IBucket;
  /** Other web pages that may upload too (`-c webOrigins=…`), besides the app's own origin. */
  readonly otherUploadOrigins: readonly string[];
}

/** What a browser may send with a pre-signed PUT: the file's type. */
export const REPORT_UPLOAD_CORS_HEADERS = ['content-type'];

/** The first path segment of every API route, as CloudFront path patterns (`/repricer*`): ≤ 25 behaviours. */
export function apiPathPatterns(): string[] {
  const segments = new Set(Object.values(httpRoutes).map((route) => route.path.split('/')[1] ?? ''));
  segments.delete('');
  return [...segments].sort().map((segment) => `/${segment}*`);
}

export class WebApp extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly client: cognito.UserPoolClient;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // The app is rebuilt from source on every deploy: nothing in the bucket needs keeping.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    // In this construct's stack (not the pool's): the client's callback URL is the distribution's.
    // Domain prefixes are unique per region across all accounts: the stage's name and the account make it ours.
    const domain = new cognito.UserPoolDomain(this, 'HostedUi', { userPool: props.userPool, cognitoDomain: { domainPrefix: `${props.named('sellerops')}-${Aws.ACCOUNT_ID}` } });
    const hostedUi = `https://${domain.domainName}.auth.${Aws.REGION}.amazoncognito.com`;
    // Pre-signed URLs name the bucket's regional virtual-hosted endpoint (the SDK's default in Lambda).
    const reportsOrigin = `https://${props.reportsBucket.bucketRegionalDomainName}`;

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: webAppCsp([hostedUi, reportsOrigin]), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    const apiOrigin = new origins.HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // Every API answer is per caller: never cached; the Authorization header and the query reach the API.
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'sellerops web app and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns().map((pattern) => [pattern, apiBehavior])),
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;
    this.reportUploadCors(props, `https://${this.distribution.distributionDomainName}`);
    new CfnOutput(this, 'Url', { description: 'The web app (sign in with the Cognito Hosted UI)', value: this.url });

    this.client = new cognito.UserPoolClient(this, 'WebClient', {
      userPool: props.userPool,
      userPoolClientName: props.named('sellerops-web'),
      generateSecret: false,
      preventUserExistenceErrors: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes('tenant_id', 'staff_id'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });

    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: bucket,
      distribution: this.distribution,
      sources: [
        s3deploy.Source.asset(WEB_APP_DIR, {
          // The hash of what is built, so a change anywhere the app imports from redeploys it.
          assetHashType: AssetHashType.OUTPUT,
          bundling: {
            // Built locally with esbuild (shared/web/web-app-build.ts), as the functions are: no Docker.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
            local: {
              tryBundle(outputDir: string): boolean {
                writeWebAppSync(outputDir);
                return true;
              },
            },
          },
        }),
        s3deploy.Source.jsonData('config.json', {
          apiBase: '',
          auth: { kind: 'cognito', domain: hostedUi, clientId: this.client.userPoolClientId, redirectUri: this.url, scopes: ['openid', 'email', 'profile'] },
        }),
      ],
    });
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-S1', reason: 'The bucket holds only the built app, readable through CloudFront alone; CloudFront access logs are the record of reads.' },
      { id: 'AwsSolutions::AwsSolutions-CFR1', reason: 'The app and API serve customers in every region Amazon sells in: no geo restriction.' },
      { id: 'AwsSolutions::AwsSolutions-CFR2', reason: 'The HTTP API has its own throttles per route and stage; a WAF web ACL is an operator choice per account.' },
      { id: 'AwsSolutions::AwsSolutions-CFR3', reason: 'Access logging needs a log bucket with ACLs; the API logs every API request already.' },
      { id: 'AwsSolutions::AwsSolutions-CFR4', reason: 'The default *.cloudfront.net certificate: its security policy is fixed by CloudFront and cannot be raised (a minimum protocol version has no effect without a custom certificate); a custom domain brings its own certificate and then sets TLSv1.2_2021.' },
      { id: 'AwsSolutions::AwsSolutions-COG7', reason: 'No identity pool: users authenticate to the API with user-pool tokens only.' },
    );
    this.acknowledgeCustomResourceHandler();
    // BucketDeployment's handler is a stack-level singleton that CDK creates and owns.
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler');
    const pseudo = nagPseudo(stack);
    const copies = 'CDK’s BucketDeployment handler copies the built app from the CDK asset bucket into the app bucket and invalidates CloudFront';
    Validations.of(handler).acknowledge(
      { id: `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`, reason: `${copies}; it logs with the AWS managed basic execution role.` },
      ...['Action::s3:Abort*', 'Action::s3:DeleteObject*', 'Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', 'Resource::*', `Resource::<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`, `Resource::arn:${pseudo.partition}:s3:::cdk-hnb659fds-assets-${pseudo.account}-${pseudo.region}/*`].map((finding) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`,
        reason: `${copies}: the object actions CDK grants it on those two buckets (Resource::* is cloudfront:CreateInvalidation, which takes no resource).`,
      })),
      { id: 'AwsSolutions::AwsSolutions-L1', reason: 'The runtime of CDK’s BucketDeployment handler is chosen by aws-cdk-lib.' },
    );
  }

  /**
   * The reports bucket's CORS rule: PUT from the app's origin (and the other configured pages) only. The bucket lives
   * in the stateful stack and the distribution's domain is known only here (a reference back would be a cycle between
   * the stacks), so the rule is set by a custom resource calling S3's PutBucketCors, and removed with this stack.
   */
  private reportUploadCors(props: WebAppProps, appOrigin: string): void {
    const bucketName = props.reportsBucket.bucketName;
    const putCors: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: {
        Bucket: bucketName,
        CORSConfiguration: {
          CORSRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: [appOrigin, ...props.otherUploadOrigins], AllowedHeaders: REPORT_UPLOAD_CORS_HEADERS, MaxAgeSeconds: 3600 }],
        },
      },
      physicalResourceId: cr.PhysicalResourceId.of(`report-upload-cors`),
    };
    new cr.AwsCustomResource(this, 'ReportUploadCors', {
      onCreate: putCors,
      onUpdate: putCors,
      onDelete: { service: 'S3', action: 'deleteBucketCors', parameters: { Bucket: bucketName } },
      // PutBucketCors and DeleteBucketCors are both authorised by s3:PutBucketCORS, on this bucket only.
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [props.reportsBucket.bucketArn] })]),
      installLatestAwsSdk: false,
    });
  }

  private acknowledgeCustomResourceHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (!handler) throw new Error('AwsCustomResource created no handler');
    const sets = 'CDK’s AwsCustomResource handler sets the reports bucket’s CORS rule';
    Validations.of(handler).acknowledge(
      { id: `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`, reason: `${sets}; it logs with the AWS managed basic execution role.` },
      { id: 'AwsSolutions::AwsSolutions-L1', reason: 'The runtime of CDK’s AwsCustomResource handler is chosen by aws-cdk-lib.' },
    );
  }
}
