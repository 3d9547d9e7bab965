// A software WebAuthn authenticator for Node tests: ES256 keys, attestation "none", user present and
// verified. It answers with the W3C JSON shapes (RegistrationResponseJSON,
// AuthenticationResponseJSON) and, through `credentials()`, as a stand-in for
// navigator.credentials (ArrayBuffers in, PublicKeyCredential-like objects out), so the same
// authenticator drives an independent client and cognito-kit. The fake verifies what it makes with
// @simplewebauthn/server; Chromium's virtual authenticator proves the fake in test/browser/.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

type Json = Record<string, unknown>;

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const FLAGS_UP_UV = 0x01 | 0x04;
const FLAG_AT = 0x40;

interface Key {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: Buffer;
  counter: number;
}

function counterBytes(counter: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(counter);
  return out;
}

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  const map = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, Buffer.from(String(jwk.x), 'base64url')],
    [-3, Buffer.from(String(jwk.y), 'base64url')],
  ]);
  return isoCBOR.encode(map);
}

/** A platform credential of `key` in the W3C JSON shape, around the ceremony's `response`. */
function credentialJson(key: Key, response: Json): Json {
  const id = b64url(key.id);
  return {
    id,
    rawId: id,
    type: 'public-key',
    response,
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}

export class SoftAuthenticator {
  readonly keys: Key[] = [];

  constructor(readonly origin = 'http://localhost:3000') {}

  /** navigator.credentials.create's work, from PublicKeyCredentialCreationOptionsJSON. */
  register(options: Json): Json {
    const rp = options.rp as { id: string };
    const user = options.user as { id: string };
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key: Key = {
      id: randomBytes(16),
      privateKey,
      rpId: rp.id,
      userHandle: Buffer.from(user.id, 'base64url'),
      counter: 0,
    };
    this.keys.push(key);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin }),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(key.id.length);
    const authenticatorData = Buffer.concat([
      sha256(key.rpId),
      Buffer.from([FLAGS_UP_UV | FLAG_AT]),
      counterBytes(key.counter),
      Buffer.alloc(16), // AAGUID
      idLength,
      key.id,
      Buffer.from(coseKey(publicKey)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authenticatorData)],
      ]),
    );
    return credentialJson(key, {
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(attestationObject),
      transports: ['internal'],
    });
  }

  /** navigator.credentials.get's work, from PublicKeyCredentialRequestOptionsJSON. */
  assert(options: Json): Json {
    const allowed = (options.allowCredentials as { id: string }[] | undefined)?.map((item) => item.id);
    const key = this.keys.find(
      (item) => item.rpId === options.rpId && (!allowed || allowed.includes(b64url(item.id))),
    );
    if (!key) throw Object.assign(new Error('no credential for this request'), { name: 'NotAllowedError' });
    key.counter += 1;
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: this.origin }),
    );
    const authenticatorData = Buffer.concat([
      sha256(key.rpId),
      Buffer.from([FLAGS_UP_UV]),
      counterBytes(key.counter),
    ]);
    const signature = sign(
      'sha256',
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      key.privateKey,
    );
    return credentialJson(key, {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authenticatorData),
      signature: b64url(signature),
      userHandle: b64url(key.userHandle),
    });
  }

  /** A stand-in for navigator.credentials backed by this authenticator (for `vi.stubGlobal`). */
  credentials(): Pick<CredentialsContainer, 'create' | 'get'> {
    return {
      create: async (request?: CredentialCreationOptions) =>
        domCredential(this.register(jsonOf(request?.publicKey as unknown as Json))),
      get: async (request?: CredentialRequestOptions) =>
        domCredential(this.assert(jsonOf(request?.publicKey as unknown as Json))),
    } as Pick<CredentialsContainer, 'create' | 'get'>;
  }
}

/** ArrayBuffers (what the page passes to navigator.credentials) back to base64url JSON. */
function jsonOf(value: Json): Json {
  const convert = (item: unknown): unknown => {
    if (item instanceof ArrayBuffer) return b64url(new Uint8Array(item));
    if (ArrayBuffer.isView(item))
      return b64url(new Uint8Array(item.buffer, item.byteOffset, item.byteLength));
    if (Array.isArray(item)) return item.map(convert);
    if (item !== null && typeof item === 'object')
      return Object.fromEntries(Object.entries(item).map(([name, entry]) => [name, convert(entry)]));
    return item;
  };
  return convert(value) as Json;
}

function buffer(text: unknown): ArrayBuffer {
  const bytes = Buffer.from(String(text), 'base64url');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A PublicKeyCredential-like object (what navigator.credentials resolves with) from the JSON. */
function domCredential(json: Json): Credential {
  const response = json.response as Json;
  const fields = Object.fromEntries(
    ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'userHandle']
      .filter((name) => response[name] !== undefined)
      .map((name) => [name, buffer(response[name])]),
  );
  return {
    id: json.id,
    rawId: buffer(json.rawId),
    type: 'public-key',
    authenticatorAttachment: json.authenticatorAttachment,
    getClientExtensionResults: () => ({}),
    response: {
      ...fields,
      ...(response.transports ? { getTransports: () => response.transports } : {}),
    },
  } as unknown as Credential;
}
