/**
 * The cognito-local harness for tests. The implementation lives in scripts/lib/cognito-local.ts
 * (shared with `npm run demo` and examples/node); TOTP codes come from ./totp.ts (`totp(secret)`).
 */
export * from '../../scripts/lib/cognito-local.js';
