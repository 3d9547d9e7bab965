// One mapping of Cognito's code-delivery details for every operation that sends a code.
import { describe, expect, it } from 'vitest';
import { challengeCodeDelivery, toCodeDelivery } from '../src/code-delivery.js';

describe('CodeDelivery', () => {
  it("uses Cognito's AttributeName when it sends one", () => {
    expect(
      toCodeDelivery({ Destination: '+1***4', DeliveryMedium: 'SMS', AttributeName: 'custom:phone' }),
    ).toEqual({ destination: '+1***4', deliveryMedium: 'SMS', attributeName: 'custom:phone' });
  });

  it('derives the attribute from the medium otherwise, the same for every operation', () => {
    expect(toCodeDelivery({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL' }).attributeName).toBe('email');
    expect(toCodeDelivery({ Destination: '+1***4', DeliveryMedium: 'SMS' }).attributeName).toBe(
      'phone_number',
    );
  });

  it('reports an email code of a sign-in challenge as email, not phone_number', () => {
    const parameters = { CODE_DELIVERY_DESTINATION: 'a***@e***', CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL' };
    expect(challengeCodeDelivery(parameters, 'SMS')).toEqual({
      destination: 'a***@e***',
      deliveryMedium: 'EMAIL',
      attributeName: 'email',
    });
  });

  it("takes the operation's medium when the challenge names none", () => {
    expect(challengeCodeDelivery({ CODE_DELIVERY_DESTINATION: '+1***4' }, 'SMS')).toEqual({
      destination: '+1***4',
      deliveryMedium: 'SMS',
      attributeName: 'phone_number',
    });
  });

  it('rejects an answer without a destination as UnexpectedResponseException', () => {
    expect(() => toCodeDelivery({ DeliveryMedium: 'EMAIL' })).toThrow(
      expect.objectContaining({ code: 'UnexpectedResponseException' }),
    );
  });
});
