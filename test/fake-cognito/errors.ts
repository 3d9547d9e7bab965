/** A Cognito service error: becomes `{"__type": type, "message": message}` with `x-amzn-errortype`. */
export class CognitoFault extends Error {
  override name = 'CognitoFault';
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export const notAuthorized = (message = 'Incorrect username or password.') =>
  new CognitoFault('NotAuthorizedException', message);

export const invalidParameter = (message: string) => new CognitoFault('InvalidParameterException', message);

export const userNotFound = () => new CognitoFault('UserNotFoundException', 'User does not exist.');

export const codeMismatch = () =>
  new CognitoFault('CodeMismatchException', 'Invalid verification code provided, please try again.');

export const expiredCode = () =>
  new CognitoFault('ExpiredCodeException', 'Invalid code provided, please request a code again.');

export const invalidSession = () => notAuthorized('Invalid session for the user, session is expired.');

/** A request body, already parsed from JSON. */
export type Body = Record<string, unknown>;

function validationError(name: string): CognitoFault {
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  return invalidParameter(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

/** Throws the validation error Cognito sends when `name` is missing from the body. */
export function requirePresent(body: Body, name: string): void {
  if (body[name] === undefined || body[name] === null) throw validationError(name);
}

/** A required non-empty string member, else the validation error Cognito sends. */
export function requireString(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw validationError(name);
  if (typeof value !== 'string') throw new CognitoFault('SerializationException', `${name} must be a string`);
  if (value.length === 0) {
    throw invalidParameter(
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  }
  return value;
}

/** An optional string member (null counts as absent). */
export function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CognitoFault('SerializationException', `${name} must be a string`);
  return value;
}

/** An optional map of strings such as AuthParameters or ChallengeResponses. */
export function stringMap(body: Body, name: string): Record<string, string> {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CognitoFault('SerializationException', `${name} must be a map`);
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    // The library sends DEVICE_KEY: null and Cognito accepts it.
    if (item === null) continue;
    if (typeof item !== 'string')
      throw new CognitoFault('SerializationException', `${name}.${key} must be a string`);
    out[key] = item;
  }
  return out;
}

/** A required entry of AuthParameters / ChallengeResponses. */
export function requireParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (!value) throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

/** A `[{ Name, Value }]` attribute list. */
export function attributeList(body: Body, name: string): { Name: string; Value: string }[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CognitoFault('SerializationException', `${name} must be a list`);
  return value.map((item: unknown) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Body;
    const attrName = entry.Name;
    const attrValue = entry.Value ?? '';
    if (typeof attrName !== 'string' || attrName === '' || typeof attrValue !== 'string') {
      throw invalidParameter(`${name} entries need a string Name and Value`);
    }
    return { Name: attrName, Value: attrValue };
  });
}

/** A list of strings (DeleteUserAttributes' UserAttributeNames). */
export function stringList(body: Body, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null) throw validationError(name);
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new CognitoFault('SerializationException', `${name} must be a list of strings`);
  }
  return value as string[];
}
