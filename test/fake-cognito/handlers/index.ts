import type { Body } from '../errors.js';
import type { Pool } from '../pool.js';
import { confirmDevice, forgetDevice, getDevice, listDevices, updateDeviceStatus } from './devices.js';
import { initiateAuth } from './initiate-auth.js';
import { associateSoftwareToken, setUserMfaPreference, verifySoftwareToken } from './mfa.js';
import { respondToAuthChallenge } from './respond-to-challenge.js';
import {
  confirmForgotPassword,
  confirmSignUp,
  forgotPassword,
  resendConfirmationCode,
  signUp,
} from './sign-up.js';
import { getTokensFromRefreshToken, globalSignOut, revokeToken } from './tokens.js';
import {
  changePassword,
  deleteUser,
  deleteUserAttributes,
  getUser,
  getUserAttributeVerificationCode,
  updateUserAttributes,
  verifyUserAttribute,
} from './user.js';
import {
  completeWebAuthnRegistration,
  deleteWebAuthnCredential,
  listWebAuthnCredentials,
  startWebAuthnRegistration,
} from './webauthn.js';

/** One Cognito operation: a parsed JSON body in, a JSON-serialisable result out, CognitoFault thrown. */
export type Handler = (pool: Pool, body: Body) => object | Promise<object>;

/** Operation name (without the 'AWSCognitoIdentityProviderService.' prefix) → handler. */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  AssociateSoftwareToken: associateSoftwareToken,
  ChangePassword: changePassword,
  CompleteWebAuthnRegistration: completeWebAuthnRegistration,
  ConfirmDevice: confirmDevice,
  ConfirmForgotPassword: confirmForgotPassword,
  ConfirmSignUp: confirmSignUp,
  DeleteUser: deleteUser,
  DeleteUserAttributes: deleteUserAttributes,
  DeleteWebAuthnCredential: deleteWebAuthnCredential,
  ForgetDevice: forgetDevice,
  ForgotPassword: forgotPassword,
  GetDevice: getDevice,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUser: getUser,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  GlobalSignOut: globalSignOut,
  InitiateAuth: initiateAuth,
  ListWebAuthnCredentials: listWebAuthnCredentials,
  ListDevices: listDevices,
  ResendConfirmationCode: resendConfirmationCode,
  RespondToAuthChallenge: respondToAuthChallenge,
  RevokeToken: revokeToken,
  SetUserMFAPreference: setUserMfaPreference,
  SignUp: signUp,
  StartWebAuthnRegistration: startWebAuthnRegistration,
  UpdateDeviceStatus: updateDeviceStatus,
  UpdateUserAttributes: updateUserAttributes,
  VerifySoftwareToken: verifySoftwareToken,
  VerifyUserAttribute: verifyUserAttribute,
};
