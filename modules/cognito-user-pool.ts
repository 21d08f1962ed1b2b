import { CognitoUserPool as CognitoUserPoolResource } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { Construct } from "constructs";

/**
 * The user pool feature plans (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html).
 * Lite has everything this pool uses: e-mail sign-in and verification, a password policy, the
 * authorization-code grant with PKCE and the classic hosted UI. Essentials (the API's default
 * for new pools) adds managed login branding, passwordless sign-in, password history and
 * access-token customization; Plus adds threat protection.
 */
export type UserPoolTier = "LITE" | "ESSENTIALS" | "PLUS";

export interface PasswordPolicyProps {
  /** @default 12 */
  readonly minimumLength?: number;
  /** Lower case, upper case and digits each required. @default true */
  readonly requireMixedCaseAndDigits?: boolean;
  /** A symbol required as well (length protects more than symbols do). @default false */
  readonly requireSymbols?: boolean;
  /** Days an administrator-set temporary password stays valid. @default 3 */
  readonly temporaryPasswordValidityDays?: number;
}

export interface CognitoUserPoolProps {
  /** Pool name (unique per account and region by convention, not by AWS). */
  readonly name: string;
  /**
   * The feature plan. Every setting below works on Lite; a higher plan only adds cost here.
   * @default "LITE"
   */
  readonly tier?: UserPoolTier;
  /**
   * Deletion protection: AWS refuses to delete the pool (and its users) while it is on.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** Anyone may sign up from the login pages; false: only administrators create users. @default true */
  readonly selfSignUp?: boolean;
  /** @default see PasswordPolicyProps */
  readonly passwordPolicy?: PasswordPolicyProps;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A Cognito user pool whose users sign in with their e-mail address: verified by a code Cognito
 * e-mails (from its own sender, free, 50 messages a day:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html), case-insensitive,
 * recovered by e-mail only, and not changed until the new address is verified. No MFA and no SMS
 * (SMS is billed by Amazon SNS and needs an IAM role).
 */
export class CognitoUserPool extends Construct {
  readonly userPoolId: string;
  readonly userPoolArn: string;
  /**
   * The issuer of the pool's tokens (their `iss` claim) and of its OpenID configuration:
   * `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
   */
  readonly issuer: string;
  /** The aws_cognito_user_pool; change any attribute with `addOverride` (docs/constructs.md). */
  readonly userPool: CognitoUserPoolResource;

  constructor(scope: Construct, id: string, props: CognitoUserPoolProps) {
    super(scope, id);
    const password = props.passwordPolicy ?? {};
    const mixed = password.requireMixedCaseAndDigits ?? true;
    const minimumLength = password.minimumLength ?? 12;
    // Cognito's limits: https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
    if (!Number.isInteger(minimumLength) || minimumLength < 6 || minimumLength > 99) {
      throw new Error(`CognitoUserPool ${id}: passwordPolicy.minimumLength must be an integer from 6 to 99 (Cognito's range)`);
    }
    const pool = new CognitoUserPoolResource(this, "pool", {
      name: props.name,
      userPoolTier: props.tier ?? "LITE",
      deletionProtection: (props.deletionProtection ?? true) ? "ACTIVE" : "INACTIVE",
      usernameAttributes: ["email"],
      usernameConfiguration: { caseSensitive: false },
      autoVerifiedAttributes: ["email"],
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdate: ["email"] },
      accountRecoverySetting: { recoveryMechanism: [{ name: "verified_email", priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: !(props.selfSignUp ?? true) },
      emailConfiguration: { emailSendingAccount: "COGNITO_DEFAULT" },
      verificationMessageTemplate: { defaultEmailOption: "CONFIRM_WITH_CODE" },
      mfaConfiguration: "OFF",
      passwordPolicy: {
        minimumLength,
        requireLowercase: mixed,
        requireUppercase: mixed,
        requireNumbers: mixed,
        requireSymbols: password.requireSymbols ?? false,
        temporaryPasswordValidityDays: password.temporaryPasswordValidityDays ?? 3,
      },
      tags: props.tags,
    });
    this.userPool = pool;
    this.userPoolId = pool.id;
    this.userPoolArn = pool.arn;
    // `endpoint` is "cognito-idp.<region>.amazonaws.com/<pool id>".
    this.issuer = `https://${pool.endpoint}`;
  }
}
