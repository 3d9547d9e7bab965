// The only static import of amazon-cognito-identity-js. srp.ts loads this module on first use,
// after defining `global`; static named imports let bundlers drop the rest of the library.

// The library ships these two at runtime but its typings omit them; srp.ts types their shape.
declare module 'amazon-cognito-identity-js' {
  export const AuthenticationHelper: unknown;
  export const DateHelper: unknown;
}

export { AuthenticationHelper, DateHelper } from 'amazon-cognito-identity-js';
