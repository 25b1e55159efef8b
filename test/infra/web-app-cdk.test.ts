import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/app.ts';
import { apiPathPatterns } from '#infra/constructs/web-app.ts';
import { httpRoutes } from '#shared/api/routes.ts';
import { cdkTestContext } from '../support/cdk-context.ts';

// The prod stage keeps the wiring's names (dev prefixes them: infra/deployment.ts).
const context = cdkTestContext({ stage: 'prod', amazon: 'sp-api' });
let stateless: Template;

// A whole synth with cdk-nag: the suite's hook timeout (vitest.config.mts), generous for a loaded machine.
beforeAll(() => {
  stateless = Template.fromStack(buildApp(new App({ context })).stateless);
});

describe('the web app in the CDK app', () => {
  it('serves the app from a private bucket through CloudFront with origin access control, HTTPS only', () => {
    stateless.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    stateless.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    stateless.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
  });

  it('puts every API route under the same origin: one uncached behaviour per first path segment, all methods', () => {
    const patterns = apiPathPatterns();
    expect(patterns.length).toBeLessThanOrEqual(25);
    for (const route of Object.values(httpRoutes)) {
      expect(patterns.some((p) => route.path.startsWith(p.slice(0, -1))), route.path).toBe(true);
    }
    const distribution = Object.values(stateless.findResources('AWS::CloudFront::Distribution'))[0] as {
      Properties: { DistributionConfig: { CacheBehaviors: { PathPattern: string; AllowedMethods: string[]; CachePolicyId: string }[] } };
    };
    const behaviours = distribution.Properties.DistributionConfig.CacheBehaviors;
    expect(behaviours.map((b) => b.PathPattern).sort()).toEqual([...patterns].sort());
    for (const b of behaviours) {
      expect(b.AllowedMethods).toContain('POST');
      expect(b.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // the managed CachingDisabled policy
    }
  });

  it('sends the strict Content-Security-Policy without unsafe-inline, allowing only the Hosted UI besides itself', () => {
    const policy = Object.values(stateless.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0] as {
      Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } } } };
    };
    const csp = JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain('amazoncognito.com');
  });

  it('has a Hosted UI app client for the code flow with PKCE: no secret, no implicit flow, callback and sign-out = the app', () => {
    stateless.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const clients = Object.values(stateless.findResources('AWS::Cognito::UserPoolClient')) as { Properties: Record<string, unknown> }[];
    expect(clients).toHaveLength(1);
    const web = clients[0]!.Properties;
    expect(web.ClientName).toBe('sellerops-web');
    expect(web.GenerateSecret).toBe(false);
    expect(web.AllowedOAuthFlows).toEqual(['code']);
    expect(web.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(web.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(JSON.stringify(web.CallbackURLs)).toContain('DomainName');
    expect(web.CallbackURLs).toEqual(web.LogoutURLs);
  });

  it('accepts ID tokens of the web client at the API authorizer', () => {
    const authorizer = Object.values(stateless.findResources('AWS::ApiGatewayV2::Authorizer'))[0] as { Properties: { JwtConfiguration: { Audience: unknown[] } } };
    expect(authorizer.Properties.JwtConfiguration.Audience).toHaveLength(2);
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Audience)).toContain('WebAppWebClient');
  });

  it('lets the page PUT reports to the reports bucket: the bucket in the CSP connect-src, the bucket\'s CORS rule naming only the app\'s origin', () => {
    const policy = Object.values(stateless.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0] as {
      Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } } } };
    };
    const csp = JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    // connect-src 'self' <Hosted UI> https://<reports bucket>.s3.<region>.amazonaws.com (imported from the stateful stack)
    expect(csp).toMatch(/connect-src 'self' https:\/\/.*amazoncognito\.com https:\/\//);
    expect(csp).toMatch(/ReportsBucket.*RegionalDomainName/);
    const resources = Object.values(stateless.findResources('Custom::AWS')) as { Properties: { Create: unknown; Update: unknown; Delete: unknown } }[];
    const cors = resources.filter((r) => JSON.stringify(r.Properties.Create).includes('putBucketCors'));
    expect(cors).toHaveLength(1);
    const create = JSON.stringify(cors[0]!.Properties.Create);
    expect(create).toContain('\\"AllowedMethods\\":[\\"PUT\\"]');
    expect(create).toContain('\\"AllowedHeaders\\":[\\"content-type\\"]');
    // The only origin is the distribution's (this context configures no other web page), never *.
    const parts = (cors[0]!.Properties.Create as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    const before = parts.findIndex((p) => typeof p === 'string' && p.endsWith('"AllowedOrigins":["https://'));
    expect(before).toBeGreaterThanOrEqual(0);
    expect(parts[before + 1]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WebAppDistribution/), 'DomainName'] });
    expect(String(parts[before + 2])).toMatch(/^"\],/);
    expect(create).not.toContain('\\"*\\"');
    expect(JSON.stringify(cors[0]!.Properties.Update)).toBe(create);
    expect(JSON.stringify(cors[0]!.Properties.Delete)).toContain('deleteBucketCors');
    // Its handler may change the CORS rule of that bucket and nothing else.
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p)).filter((p) => p.includes('s3:PutBucketCORS'));
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatch(/ReportsBucket.*Arn/);
  });

  it('deploys the built app with a config.json naming the Hosted UI and the client', () => {
    stateless.hasResourceProperties('Custom::CDKBucketDeployment', Match.objectLike({ DistributionId: Match.anyValue(), Prune: true }));
    const deployment = Object.values(stateless.findResources('Custom::CDKBucketDeployment'))[0] as { Properties: { SourceMarkers?: unknown } };
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    // The JSON's literal text is in the asset; the template carries what is resolved at deploy time: the client and the domain.
    expect(markers).toContain('WebAppWebClient');
    expect(markers).toContain('WebAppHostedUi');
  });
});
