// TOTP set-up's account label and otpauth:// URI, one rule for both paths (a sign-in's MFA_SETUP
// step and setUpTotp()): the label is the name the user signs in with, so one user never gets two
// differently named entries in an authenticator app.

/**
 * The account label: the name the user typed to sign in (kept with the session), else the
 * canonical username (sessions from before this rule, or restored from another library).
 */
export function totpLabel(loginId: string | undefined, username: string): string {
  return loginId ?? username;
}

/** The `otpauth://` URI authenticator apps read from a QR code. */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}`;
}
