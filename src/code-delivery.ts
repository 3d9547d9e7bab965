// The one mapping from Cognito's code-delivery details to our CodeDelivery, for every operation
// that sends a code (sign-up, password reset, attribute verification, sign-in challenges).
import { CognitoError } from './errors.js';
import type { CodeDelivery } from './types.js';

/** Cognito's `CodeDeliveryDetails` (also built from a challenge's `CODE_DELIVERY_*` parameters). */
export interface CodeDeliveryDetails {
  Destination?: string;
  DeliveryMedium?: string;
  AttributeName?: string;
}

/**
 * Our {@link CodeDelivery} from Cognito's details. `AttributeName` is used when Cognito sends it;
 * otherwise it follows from the medium (SMS → `phone_number`, EMAIL → `email`). `medium` is what
 * the operation sends when Cognito leaves `DeliveryMedium` out (an SMS MFA code is an SMS).
 */
export function toCodeDelivery(
  details: CodeDeliveryDetails | undefined,
  medium: 'EMAIL' | 'SMS' = 'EMAIL',
): CodeDelivery {
  if (typeof details?.Destination !== 'string' || details.Destination === '') {
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered without CodeDeliveryDetails');
  }
  return describe(details, medium);
}

/**
 * The delivery a sign-in challenge announces in its `CODE_DELIVERY_*` parameters. A challenge
 * without a destination still gets its step (the code was sent; only where is unknown).
 */
export function challengeCodeDelivery(
  parameters: Readonly<Record<string, string>>,
  medium: 'EMAIL' | 'SMS',
): CodeDelivery {
  const details: CodeDeliveryDetails = { Destination: parameters.CODE_DELIVERY_DESTINATION ?? '' };
  const sentBy = parameters.CODE_DELIVERY_DELIVERY_MEDIUM;
  if (sentBy !== undefined) details.DeliveryMedium = sentBy;
  return describe(details, medium);
}

function describe(details: CodeDeliveryDetails, medium: 'EMAIL' | 'SMS'): CodeDelivery {
  const deliveryMedium =
    details.DeliveryMedium === 'SMS' || details.DeliveryMedium === 'EMAIL' ? details.DeliveryMedium : medium;
  const named = typeof details.AttributeName === 'string' && details.AttributeName !== '';
  return {
    destination: details.Destination ?? '',
    deliveryMedium,
    attributeName: named
      ? (details.AttributeName as string)
      : deliveryMedium === 'SMS'
        ? 'phone_number'
        : 'email',
  };
}
