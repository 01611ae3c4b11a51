import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeFindings, resourceFinding } from './nag';

/** Paths CloudFront sends to the dashboard function instead of the static site. */
export const DASHBOARD_API_PATHS = ['/api/*', '/auth/*', '/t/*', '/transcripts/*'] as const;

/**
 * Copies the viewer's `Host` into `x-forwarded-host`. CloudFront must send the Function URL's own
 * host as `Host`, so without this the dashboard could not build absolute URLs (OAuth redirect,
 * transcript links) on the public domain.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html
 */
const FORWARD_HOST_CODE = `function handler(event) {
  var request = event.request;
  request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  return request;
}`;

export interface DashboardSiteProps {
  /** Folder with the built front end (`web/`). */
  readonly webDirectory: string;
  /** The dashboard function's URL, served under {@link DASHBOARD_API_PATHS}. */
  readonly apiUrl: lambda.IFunctionUrl;
  /** Bucket receiving CloudFront standard logs (ACLs enabled). */
  readonly logBucket: s3.IBucket;
}

/**
 * The web dashboard on one CloudFront domain: the static front end from a private S3 bucket through
 * Origin Access Control, and `/api/*`, `/auth/*`, `/t/*` from the dashboard function's URL.
 *
 * One origin for both means the session cookie is first-party and the browser needs no CORS. The
 * Function URL is an HTTPS custom origin without OAC: OAC would make the URL `AWS_IAM`-authenticated,
 * and then every POST/PUT would need the browser to sign a SHA-256 of its body
 * (`x-amz-content-sha256`). The dashboard authenticates each request with its own session instead.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3_deployment-readme.html
 */
export class DashboardSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);

    // Build output only, redeployed from the repo on every deploy: nothing here needs to survive.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const forwardHost = new cloudfront.Function(this, 'ForwardHost', {
      code: cloudfront.FunctionCode.fromInline(FORWARD_HOST_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Deskwire: pass the public host to the dashboard API',
    });
    const api: cloudfront.BehaviorOptions = {
      origin: new origins.FunctionUrlOrigin(props.apiUrl),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Cookies, query strings and headers, but not Host: a Function URL only answers to its own.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      functionAssociations: [{ function: forwardHost, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Deskwire dashboard',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: Object.fromEntries(DASHBOARD_API_PATHS.map((p) => [p, api])),
      // North America and Europe edges only: the cheapest class, and the dashboard is not latency-critical.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
    });

    // An own role and log group for the deployment handler, instead of the default role that
    // attaches the AWS managed AWSLambdaBasicExecutionRole.
    const deploymentLogs = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deploymentRole = new iam.Role(this, 'DeploymentRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    deploymentLogs.grantWrite(deploymentRole);
    new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [s3deploy.Source.asset(props.webDirectory)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      role: deploymentRole,
      logGroup: deploymentLogs,
      memoryLimit: 256,
    });

    this.acknowledgeDeploymentFindings(deploymentRole);
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Only CloudFront reads this bucket (Origin Access Control), and CloudFront standard logs already record every viewer request.',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Deskwire serves Discord communities worldwide; there is no country to block.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL: the static site is public by design, API routes other than the OAuth sign-in require a dashboard session, and Lambda concurrency bounds abuse; a web ACL adds a fixed monthly cost for little gain at this traffic.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, whose viewer security policy CloudFront fixes at TLSv1; a stricter policy needs a custom domain and its ACM certificate, which this deployment does not have.',
      },
    );
  }

  /** The deployment handler copies from the CDK asset bucket into the site bucket and invalidates the cache. */
  private acknowledgeDeploymentFindings(role: iam.IRole): void {
    const reason =
      'Permissions CDK BucketDeployment adds to copy the web/ asset from the CDK asset bucket into the site bucket and prune old files; scoped to those two buckets.';
    acknowledgeFindings(
      role,
      { ruleId: 'AwsSolutions-IAM5', finding: /^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$/, reason },
      { ruleId: 'AwsSolutions-IAM5', finding: /^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\/\*$/, reason },
      { ruleId: 'AwsSolutions-IAM5', finding: resourceFinding(this.bucket.arnForObjects('*')), reason },
      {
        ruleId: 'AwsSolutions-IAM5',
        finding: /^Resource::\*$/,
        reason: 'cloudfront:CreateInvalidation and GetInvalidation do not support resource-level permissions.',
      },
    );
    // The handler is a stack-level singleton Lambda whose Python runtime CDK chooses.
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-L1',
          reason: 'The BucketDeployment handler runtime is chosen and updated by aws-cdk-lib, not by this project.',
        });
      }
    }
  }
}
