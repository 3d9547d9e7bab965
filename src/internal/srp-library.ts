// The only static import of amazon-cognito-identity-js. engine.ts loads this module on first use,
// after defining `global`; static named imports let bundlers drop the rest of the library.
export { AuthenticationHelper, DateHelper } from 'amazon-cognito-identity-js';
