import { ArrayNotEmpty, ArrayUnique, IsEmail, IsISO31661Alpha2, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { IsLanguageCode } from '../../core/language-code';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ApiKeyScope } from '../../core/context';
import { InputText } from '../../core/input-text';
import { ApiKey } from './api-key.entity';
import { Organization } from './organization.entity';
import { User } from './user.entity';

/** The roles a person can sign up with; operators come from ADMIN_EMAIL only. */
export enum SignUpRole {
  BRAND = 'BRAND',
  AGENCY = 'AGENCY',
  INFLUENCER = 'INFLUENCER',
}
registerEnumType(SignUpRole, { name: 'SignUpRole' });

export const PASSWORD_MIN_LENGTH = 10;

@InputType()
export class SignUpInput {
  @Field(() => String)
  @InputText('email')
  @IsEmail({}, { message: 'email must be an email address, like name@example.com' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email: string;

  // Free text: only its hash is kept, and a passphrase may hold a tab or a line break.
  @Field(() => String, { description: `At least ${PASSWORD_MIN_LENGTH} characters` })
  @InputText('free')
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(200, { message: 'password must be at most 200 characters' })
  password: string;

  @Field(() => SignUpRole)
  role: SignUpRole;

  @Field(() => String, { description: "The person's name" })
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  name: string;

  @Field(() => String, { nullable: true, description: 'For BRAND and AGENCY: the organisation to create (defaults to name)' })
  @IsOptional()
  @Matches(/\S/, { message: 'organizationName must not be blank' })
  @MaxLength(100, { message: 'organizationName must be at most 100 characters' })
  organizationName?: string;

  @Field(() => String, { nullable: true, description: 'For INFLUENCER: ISO 3166-1 alpha-2 country code, e.g. "FR"' })
  @IsOptional()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code, like FR or US' })
  country?: string;

  @Field(() => String, { nullable: true, description: 'For INFLUENCER: ISO 639-1 language code, e.g. "fr"' })
  @IsOptional()
  @IsLanguageCode({ message: 'language must be an ISO 639-1 code, like fr or en' })
  language?: string;
}

@InputType()
export class LogInInput {
  @Field(() => String)
  @InputText('email')
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email: string;

  @Field(() => String)
  @InputText('free')
  @MaxLength(200, { message: 'password must be at most 200 characters' })
  password: string;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`' })
  token: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => User)
  user: User;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String)
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  name: string;

  @Field(() => [ApiKeyScope])
  @ArrayNotEmpty({ message: 'scopes must name at least one scope' })
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  scopes: ApiKeyScope[];

  @Field(() => ID, { nullable: true, description: 'The organisation the key acts for; required only when you belong to several' })
  @IsOptional()
  organizationId?: string;
}

@ObjectType({ description: 'A new API key. `key` is shown this once and cannot be recovered.' })
export class CreatedApiKey {
  @Field(() => String)
  key: string;

  @Field(() => ApiKey)
  apiKey: ApiKey;
}

@ObjectType({ description: "A brand's grant to an agency to act for it" })
export class AgencyClientGrant {
  @Field(() => Organization)
  agency: Organization;

  @Field(() => Organization)
  brand: Organization;

  @Field(() => Date)
  createdAt: Date;
}
