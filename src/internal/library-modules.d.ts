// The two files of amazon-cognito-identity-js that srp-library.ts imports through package.json's
// "imports" map; the library ships no typings for them. srp.ts types the shapes it uses.
declare module '#cognito-kit/authentication-helper' {
  const helper: unknown;
  export default helper;
}
declare module '#cognito-kit/date-helper' {
  const helper: unknown;
  export default helper;
}
