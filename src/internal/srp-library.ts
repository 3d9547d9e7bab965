// The only import of amazon-cognito-identity-js. srp.ts loads this module on first use, after
// defining `global`. It imports the two helper files it needs, not the package's index: the index
// re-exports the whole library (its cookie storage, its fetch client…), which bundlers cannot drop
// because the package does not declare itself free of side effects. package.json's "imports" maps
// each name to the library's ES module file for bundlers and browsers, and to its CommonJS file in
// Node (whose ES files are not loadable as modules there).
import authenticationHelper from '#cognito-kit/authentication-helper';
import dateHelper from '#cognito-kit/date-helper';

/** A CommonJS module seen from an ES import is `{ __esModule, default }`; an ES module is the class. */
function unwrap(module: unknown): unknown {
  const candidate = module as { __esModule?: boolean; default?: unknown } | null;
  return candidate?.__esModule && candidate.default !== undefined ? candidate.default : module;
}

export const AuthenticationHelper = unwrap(authenticationHelper);
export const DateHelper = unwrap(dateHelper);
