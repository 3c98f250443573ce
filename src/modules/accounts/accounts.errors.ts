import { createUnionType, ObjectType } from 'type-graphql';
import { ErrorCode, ErrorResult } from '../../core/errors';
import { AgencyClientGrant, AuthPayload, CreatedApiKey } from './accounts.types';

@ObjectType({ implements: ErrorResult })
export class EmailTakenError extends ErrorResult {
  constructor() {
    super(ErrorCode.EMAIL_TAKEN, 'An account with this email already exists: log in instead');
  }
}

@ObjectType({ implements: ErrorResult })
export class InvalidCredentialsError extends ErrorResult {
  constructor() {
    // The same answer for an unknown email and a wrong password, so accounts cannot be probed.
    super(ErrorCode.INVALID_CREDENTIALS, 'The email or the password is wrong');
  }
}

@ObjectType({ implements: ErrorResult })
export class ScopeNotAllowedError extends ErrorResult {
  constructor(message: string) {
    super(ErrorCode.SCOPE_NOT_ALLOWED, message);
  }
}

@ObjectType({ implements: ErrorResult })
export class NotAnAgencyError extends ErrorResult {
  constructor() {
    super(ErrorCode.NOT_AN_AGENCY, 'agencyId does not name an agency: ask the agency for the id shown in its organisation');
  }
}

export const SignUpResult = createUnionType({
  name: 'SignUpResult',
  types: () => [AuthPayload, EmailTakenError] as const,
});

export const LogInResult = createUnionType({
  name: 'LogInResult',
  types: () => [AuthPayload, InvalidCredentialsError] as const,
});

export const CreateApiKeyResult = createUnionType({
  name: 'CreateApiKeyResult',
  types: () => [CreatedApiKey, ScopeNotAllowedError] as const,
});

export const AddAgencyClientResult = createUnionType({
  name: 'AddAgencyClientResult',
  types: () => [AgencyClientGrant, NotAnAgencyError] as const,
});
