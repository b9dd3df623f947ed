import { AppError, GatewayEvent } from '@study-buddy/contracts';
import { deciderSpec } from '@study-buddy/testing';
import { EmailClaimState, EmailCommand, emailClaimDecider, UserCommand, userDecider, UserState } from './user.decider';

const userId = '11111111-1111-4111-8111-111111111111';
const other = '44444444-4444-4444-8444-444444444444';
const now = '2026-11-30T10:00:00.000Z';

describe('user decider', () => {
  const spec = deciderSpec<UserCommand, GatewayEvent, UserState>(userDecider);
  const register: UserCommand = { type: 'RegisterUser', userId, email: 'ada@example.com', passwordHash: 'h', now };
  const registered: GatewayEvent = {
    type: 'UserRegistered',
    data: { userId, email: 'ada@example.com', name: null, passwordHash: 'h', registeredAt: now },
  };

  it('registers a user', () => spec.given([]).when(register).then([registered]));
  it('keeps a name when given', () =>
    spec
      .given([])
      .when({ ...register, name: 'Ada' })
      .then([{ type: 'UserRegistered', data: { ...registered.data, name: 'Ada' } } as GatewayEvent]));
  it('refuses to register twice', () =>
    spec
      .given([registered])
      .when(register)
      .thenThrows(AppError, /already exists/));
});

describe('e-mail claim decider', () => {
  const spec = deciderSpec<EmailCommand, GatewayEvent, EmailClaimState>(emailClaimDecider);
  const claimed: GatewayEvent = { type: 'UserEmailClaimed', data: { userId, email: 'ada@example.com' } };

  it('claims a free address', () =>
    spec.given([]).when({ type: 'ClaimEmail', userId, email: 'ada@example.com' }).then([claimed]));
  it('lets the same user claim again (a retried registration)', () =>
    spec.given([claimed]).when({ type: 'ClaimEmail', userId, email: 'ada@example.com' }).thenNothingHappens());
  it('refuses an address another user holds', () =>
    spec
      .given([claimed])
      .when({ type: 'ClaimEmail', userId: other, email: 'ada@example.com' })
      .thenThrows(AppError, /already exists/));
});
