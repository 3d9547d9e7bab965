/** A passkey (WebAuthn credential) registered for the signed-in user, as {@link CognitoClient.listPasskeys} lists it. */
export interface Passkey {
  /** The credential id (base64url), for {@link CognitoClient.deletePasskey}. */
  credentialId: string;
  /** The name Cognito gives it (often the authenticator's), when there is one. */
  friendlyName?: string;
  /** The relying party (domain) the passkey is bound to. */
  relyingPartyId: string;
  /** When it was registered. */
  createdAt: Date;
  /** `'platform'` (built into the device) or `'cross-platform'` (a security key, a phone), when known. */
  authenticatorAttachment?: string;
  /** How the authenticator is reached (`'internal'`, `'usb'`, `'hybrid'`, …), when known. */
  authenticatorTransports?: string[];
}

/** Input of {@link CognitoClient.listPasskeys}. */
export interface ListPasskeysInput {
  /**
   * At most this many passkeys per page (1 to 20).
   * @defaultValue Cognito's default
   */
  limit?: number;
  /** The `nextToken` of the previous page. */
  nextToken?: string;
}

/** What {@link CognitoClient.listPasskeys} resolves with. */
export interface ListPasskeysResult {
  /** This page of passkeys. */
  passkeys: Passkey[];
  /** Present when there are more: pass it to the next call. */
  nextToken?: string;
}
