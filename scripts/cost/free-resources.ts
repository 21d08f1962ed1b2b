/**
 * Resource types that cost nothing by themselves (configuration, identity, wiring), with why.
 * Anything neither here nor priced by a pricer is reported as "not priced", never dropped.
 */
export const FREE_RESOURCE_TYPES: Record<string, string> = {
  // Identity and certificates
  aws_iam_role: "IAM",
  aws_iam_policy: "IAM",
  aws_iam_role_policy: "IAM",
  aws_iam_role_policy_attachment: "IAM",
  aws_acm_certificate_validation: "ACM",
  aws_lambda_permission: "resource policy",
  // API Gateway pieces billed through the API's requests
  aws_apigatewayv2_stage: "billed per API request",
  aws_apigatewayv2_route: "billed per API request",
  aws_apigatewayv2_integration: "billed per API request",
  aws_apigatewayv2_domain_name: "custom domain: no charge",
  aws_apigatewayv2_api_mapping: "billed per API request",
  aws_apigatewayv2_authorizer: "JWT authorizer: checked within the API request's price",
  // Cognito: the pool bills its monthly active users; its parts cost nothing by themselves
  aws_cognito_user_pool_client: "configuration (the pool bills MAUs)",
  aws_cognito_user_pool_domain: "login pages: billed through the pool's MAUs",
  // Lambda and ECR configuration
  aws_lambda_function_event_invoke_config: "configuration",
  aws_ecr_repository_policy: "configuration",
  // S3 bucket configuration
  aws_s3_bucket_policy: "configuration",
  aws_s3_bucket_public_access_block: "configuration",
  aws_s3_bucket_ownership_controls: "configuration",
  aws_s3_bucket_server_side_encryption_configuration: "SSE-S3: no charge",
  aws_s3_bucket_versioning: "configuration (noncurrent versions expire)",
  aws_s3_bucket_lifecycle_configuration: "configuration",
  aws_s3_bucket_cors_configuration: "configuration",
  aws_s3_bucket_logging: "configuration (the log bucket is listed separately)",
  // CloudFront configuration
  aws_cloudfront_origin_access_control: "configuration",
  aws_cloudfront_response_headers_policy: "configuration",
  aws_cloudfront_cache_policy: "configuration",
  aws_cloudfront_origin_request_policy: "configuration",
  // Network plumbing (no hourly charge)
  aws_vpc: "network",
  aws_subnet: "network",
  aws_internet_gateway: "network",
  aws_egress_only_internet_gateway: "network",
  aws_route_table: "network",
  aws_route: "network",
  aws_route_table_association: "network",
  aws_main_route_table_association: "network",
  aws_default_route_table: "network",
  aws_default_security_group: "network",
  aws_default_network_acl: "network",
  aws_network_acl: "network",
  aws_network_acl_rule: "network",
  aws_security_group: "network",
  aws_security_group_rule: "network",
  aws_vpc_security_group_ingress_rule: "network",
  aws_vpc_security_group_egress_rule: "network",
  aws_vpc_endpoint_route_table_association: "network",
  aws_vpc_endpoint_policy: "network",
  aws_kms_alias: "alias of a key priced above",
  aws_wafv2_web_acl_association: "billed through the web ACL",
  aws_wafv2_web_acl_logging_configuration: "log storage not priced",
  aws_budgets_budget: "the first two budgets of an account are free",
};

/** Why a resource is free, or undefined when it is not known to be. */
export function freeReason(type: string, attrs: Record<string, unknown>): string | undefined {
  if (type === "aws_acm_certificate") {
    return attrs.certificate_authority_arn ? undefined : "public certificate: free";
  }
  return FREE_RESOURCE_TYPES[type];
}
