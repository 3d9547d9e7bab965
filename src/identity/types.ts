/**
 * Temporary AWS credentials from the identity pool: the AWS SDK v3 `AwsCredentialIdentity` shape
 * (so `credentials: () => client.getAwsCredentials()` works for any SDK v3 client), plus the
 * identity id. Never log or store them: they grant the role's permissions until `expiration`.
 *
 * @example
 * ```ts
 * import { S3Client, ListObjectsV2Command } from '@aws-sdk/client-s3';
 *
 * const s3 = new S3Client({ region: 'us-east-1', credentials: () => client.getAwsCredentials() });
 * await s3.send(new ListObjectsV2Command({ Bucket: 'my-bucket' }));
 * ```
 */
export interface AwsCredentials {
  /** The access key id (`ASIA…`). */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** The session token that must accompany temporary credentials. */
  readonly sessionToken: string;
  /** When the credentials stop working (AWS's clock). */
  readonly expiration: Date;
  /** The identity pool's id for this user (or guest), `<region>:<GUID>`. */
  readonly identityId: string;
}

/** Options of {@link CognitoClient.getAwsCredentials}. */
export interface GetAwsCredentialsOptions {
  /**
   * Fetch new credentials even when the cached ones are still valid.
   * @defaultValue false
   */
  forceRefresh?: boolean;
}
