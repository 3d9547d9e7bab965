// The `oauth` option, validated and resolved on the hosted UI's first use rather than when the
// client is built: an app that never uses the hosted UI does not ship this code. Amplify v6
// checks its OAuth configuration at the same point (signInWithRedirect). Nothing is sent or
// stored before the option is checked.
import type { ClientCore, CoreLib } from '../internal/core.js';

/** The `oauth` option resolved: every URL absolute, every default applied. */
export interface ResolvedOAuth {
  /** The hosted UI's origin, e.g. 'https://auth.example.com'. */
  domain: string;
  redirectSignIn: string[];
  redirectSignOut: string[];
  scopes: string[];
  responseType: 'code' | 'token';
  endpoints: { authorize: string; token: string; logout: string; revoke: string; jwks: string };
  issuer: string;
}

const RESOLVED = Symbol('oauth.options');
const DEFAULT_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];

function urlList(lib: CoreLib, value: unknown, name: string, required: boolean): string[] {
  if (value === undefined && !required) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || (required && list.length === 0)) {
    throw lib.invalidParameter(`${name} must be a URL or a non-empty array of URLs`);
  }
  return list.map((item, index) => lib.requireEndpoint(item, `${name}[${index}]`));
}

/** Validates the `oauth` option and applies its defaults. */
export function resolveOAuth(lib: CoreLib, value: unknown, userPoolId: string): ResolvedOAuth {
  const { invalidParameter, requireEndpoint, requireOneOf, requireOptions, requireString } = lib;
  const o = requireOptions(value, 'oauth', [
    'domain',
    'redirectSignIn',
    'redirectSignOut',
    'scopes',
    'responseType',
    'endpoints',
    'issuer',
  ]);
  const rawDomain = requireString(o.domain, 'oauth.domain').replace(/\/+$/, '');
  const domain = requireEndpoint(
    /^https?:\/\//.test(rawDomain) ? rawDomain : `https://${rawDomain}`,
    'oauth.domain',
  );
  let scopes = DEFAULT_SCOPES;
  if (o.scopes !== undefined) {
    if (!Array.isArray(o.scopes) || o.scopes.length === 0) {
      throw invalidParameter('oauth.scopes must be a non-empty array of strings');
    }
    scopes = o.scopes.map((scope, index) => {
      const text = requireString(scope, `oauth.scopes[${index}]`);
      if (/\s/.test(text)) throw invalidParameter(`oauth.scopes[${index}] must not contain spaces`);
      return text;
    });
  }
  const e =
    o.endpoints === undefined
      ? {}
      : requireOptions(o.endpoints, 'oauth.endpoints', ['authorize', 'token', 'logout', 'revoke', 'jwks']);
  const endpoint = (name: string, fallback: string) =>
    e[name] === undefined ? fallback : requireEndpoint(e[name], `oauth.endpoints.${name}`);
  const region = userPoolId.slice(0, userPoolId.indexOf('_'));
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  return {
    domain,
    redirectSignIn: urlList(lib, o.redirectSignIn, 'oauth.redirectSignIn', true),
    redirectSignOut: urlList(lib, o.redirectSignOut, 'oauth.redirectSignOut', false),
    scopes,
    responseType:
      o.responseType === undefined
        ? 'code'
        : requireOneOf(o.responseType, 'oauth.responseType', ['code', 'token'] as const),
    endpoints: {
      authorize: endpoint('authorize', `${domain}/oauth2/authorize`),
      token: endpoint('token', `${domain}/oauth2/token`),
      logout: endpoint('logout', `${domain}/logout`),
      revoke: endpoint('revoke', `${domain}/oauth2/revoke`),
      jwks: endpoint('jwks', `${issuer}/.well-known/jwks.json`),
    },
    issuer: o.issuer === undefined ? issuer : requireEndpoint(o.issuer, 'oauth.issuer'),
  };
}

/**
 * The client's resolved `oauth` option, checked once per client (a failed check is not kept, so
 * every use reports it).
 * @throws CognitoError `InvalidParameterException` when the client has no `oauth` option or it is malformed.
 */
export function requireOAuth(core: ClientCore): ResolvedOAuth {
  const { oauth } = core.options;
  if (oauth === undefined) {
    throw core.lib.invalidParameter('the client has no oauth option (hosted UI domain and callback URLs)');
  }
  return core.state(RESOLVED, () => resolveOAuth(core.lib, oauth, core.userPoolId));
}
