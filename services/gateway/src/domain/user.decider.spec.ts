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

describe('user decider: profile, password and sessions', () => {
  const spec = deciderSpec<UserCommand, GatewayEvent, UserState>(userDecider);
  const registered: GatewayEvent = {
    type: 'UserRegistered',
    data: { userId, email: 'ada@example.com', name: 'Ada', passwordHash: 'h', registeredAt: now },
  };
  const later = '2026-11-30T11:00:00.000Z';

  it('records only the profile fields that change', () =>
    spec
      .given([registered])
      .when({
        type: 'UpdateProfile',
        changes: { name: 'Ada', defaultSubject: 'Biology', assessment: false },
        now: later,
      })
      .then([
        {
          type: 'UserProfileUpdated',
          data: { userId, defaultSubject: 'Biology', assessment: false, updatedAt: later },
        },
      ]));
  it('appends nothing for a PATCH that changes nothing', () =>
    spec
      .given([registered, { type: 'UserProfileUpdated', data: { userId, noteLanguage: 'de', updatedAt: later } }])
      .when({ type: 'UpdateProfile', changes: { noteLanguage: 'de', name: 'Ada' }, now: later })
      .thenNothingHappens());
  it('clears a setting with null', () =>
    spec
      .given([registered, { type: 'UserProfileUpdated', data: { userId, noteLanguage: 'de', updatedAt: later } }])
      .when({ type: 'UpdateProfile', changes: { noteLanguage: null }, now: later })
      .then([{ type: 'UserProfileUpdated', data: { userId, noteLanguage: null, updatedAt: later } }]));
  it('keeps the preferences in its state', () =>
    spec
      .given([registered, { type: 'UserProfileUpdated', data: { userId, defaultSubject: 'Maths', updatedAt: later } }])
      .thenState({ defaultSubject: 'Maths', noteLanguage: null, assessment: null, name: 'Ada' }));
  it('changes the password and moves to the next session epoch', () =>
    spec
      .given([registered])
      .when({ type: 'ChangePassword', passwordHash: 'h2', now: later })
      .then([{ type: 'UserPasswordChanged', data: { userId, passwordHash: 'h2', epoch: 1, changedAt: later } }]));
  it('revokes all sessions by moving the epoch on, each time', () =>
    spec
      .given([registered, { type: 'UserSessionsRevoked', data: { userId, epoch: 1, revokedAt: later } }])
      .when({ type: 'RevokeAllSessions', now: later })
      .then([{ type: 'UserSessionsRevoked', data: { userId, epoch: 2, revokedAt: later } }]));
  it('uses the new password hash and epoch after a change', () =>
    spec
      .given([
        registered,
        { type: 'UserPasswordChanged', data: { userId, passwordHash: 'h2', epoch: 1, changedAt: later } },
      ])
      .thenState({ passwordHash: 'h2', sessionEpoch: 1 }));
  it('refuses changes to a user that does not exist', () =>
    spec
      .given([])
      .when({ type: 'RevokeAllSessions', now: later })
      .thenThrows(AppError, /not found/));
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
