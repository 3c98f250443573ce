import { timingSafeEqual } from 'node:crypto';
import { In, IsNull, type DataSource } from 'typeorm';
import { ApiKeyScope, Role, type Principal } from '../../core/context';
import { badInput, isUniqueViolation, notFound } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { normalizeEmail } from '../../core/input-text';
import type { Logger } from '../../core/logger';
import { TtlCache } from '../../core/ttl-cache';
import { turnBatcher } from '../../core/turn-batch';
import { InfluencersService } from '../influencers/influencers.service';
import { AgencyClient } from './agency-client.entity';
import { ApiKey } from './api-key.entity';
import { apiKeyPrefix, generateApiKey, hashApiKey } from './api-key-secret';
import {
  AgencyClientGrant,
  AuthPayload,
  CreatedApiKey,
  type CreateApiKeyInput,
  type LogInInput,
  type SignUpInput,
  SignUpRole,
} from './accounts.types';
import { EmailTakenError, InvalidCredentialsError, NotAnAgencyError, ScopeNotAllowedError } from './accounts.errors';
import { Membership, MembershipRole } from './membership.entity';
import { Organization, OrganizationKind } from './organization.entity';
import { hashPassword, needsRehash, verifyPassword } from './password';
import { signAccessToken, verifyAccessToken, type TokenSettings } from './tokens';
import { User } from './user.entity';

export interface AccountsSettings {
  tokens: TokenSettings;
  scryptCost: number;
}

/** Scopes an organisation's own keys may carry; INGEST keys are for connectors and only admins issue them. */
const ORGANIZATION_SCOPES: Record<OrganizationKind, ApiKeyScope[]> = {
  [OrganizationKind.BRAND]: [ApiKeyScope.SEARCH, ApiKeyScope.CAMPAIGNS, ApiKeyScope.REDEEM],
  [OrganizationKind.AGENCY]: [ApiKeyScope.SEARCH, ApiKeyScope.CAMPAIGNS],
};

export type AuthenticationResult = Principal | 'expired' | 'invalid';

/**
 * How long a process reuses what a verified token resolved to. Every request carries a token, and
 * verifying it and reading the user back costs a round trip; an account deleted or a role changed
 * in another process is seen within this time (in this process at once, see forgetUser).
 */
export const TOKEN_CACHE_TTL_MS = 5_000;
const TOKEN_CACHE_SIZE = 10_000;

export class AccountsService {
  // Verified against when the email is unknown, so a missing account costs the same time as a wrong password.
  private decoyHash: Promise<string> | undefined;
  private readonly tokenOwners = new TtlCache<string, Extract<Principal, { kind: 'user' }>>(TOKEN_CACHE_TTL_MS, TOKEN_CACHE_SIZE);
  // The users of the tokens verified in one turn of the event loop, read in one query (ids are
  // lowercase uuids, as Postgres prints them). A plain query: the query builder's CPU shows under load.
  private readonly tokenUsers = turnBatcher<string, { id: string; role: Role } | null>(async (ids) => {
    const rows: Array<{ id: string; role: Role }> = await this.dataSource.query(`SELECT id, role FROM users WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly influencers: InfluencersService,
    private readonly settings: AccountsSettings,
  ) {}

  async signUp(input: SignUpInput): Promise<AuthPayload | EmailTakenError> {
    const email = normalizeEmail(input.email);
    const passwordHash = await hashPassword(input.password, this.settings.scryptCost);
    const name = input.name.trim();
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const created = await manager.save(manager.create(User, { email, passwordHash, name, role: input.role as unknown as Role }));
        if (input.role === SignUpRole.INFLUENCER) {
          await this.influencers.createProfile(manager, {
            userId: created.id,
            displayName: name,
            country: input.country,
            language: input.language,
          });
        } else {
          const kind = input.role === SignUpRole.BRAND ? OrganizationKind.BRAND : OrganizationKind.AGENCY;
          const organization = await manager.save(manager.create(Organization, { kind, name: input.organizationName?.trim() || name }));
          await manager.insert(Membership, { userId: created.id, organizationId: organization.id, role: MembershipRole.OWNER });
        }
        return created;
      });
      return this.authPayload(user);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) return new EmailTakenError();
      throw error;
    }
  }

  async logIn(input: LogInInput): Promise<AuthPayload | InvalidCredentialsError> {
    const user = await this.dataSource.getRepository(User).findOneBy({ email: normalizeEmail(input.email) });
    if (!user) {
      await verifyPassword(input.password, await this.decoy());
      return new InvalidCredentialsError();
    }
    if (!(await verifyPassword(input.password, user.passwordHash))) return new InvalidCredentialsError();
    if (needsRehash(user.passwordHash, this.settings.scryptCost)) {
      const passwordHash = await hashPassword(input.password, this.settings.scryptCost);
      await this.dataSource.getRepository(User).update(user.id, { passwordHash });
    }
    return this.authPayload(user);
  }

  /**
   * Creates the operator account from ADMIN_EMAIL / ADMIN_PASSWORD, or brings an existing one in
   * line with them (role ADMIN, password rotated). Safe for several processes booting at once.
   */
  async ensureAdmin(email: string, password: string, log: Logger): Promise<void> {
    const users = this.dataSource.getRepository(User);
    const normalized = normalizeEmail(email);
    const passwordHash = await hashPassword(password, this.settings.scryptCost);
    const inserted = await users
      .createQueryBuilder()
      .insert()
      .values({ email: normalized, passwordHash, name: 'Operator', role: Role.ADMIN })
      .orIgnore()
      .returning('id')
      .execute();
    if (inserted.raw.length) {
      log.info('admin account created');
      return;
    }
    const existing = await users.findOneByOrFail({ email: normalized });
    const promote = existing.role !== Role.ADMIN;
    const rotate = !(await verifyPassword(password, existing.passwordHash));
    if (promote || rotate) {
      await users.update(existing.id, { role: Role.ADMIN, ...(rotate ? { passwordHash } : {}) });
      log.info({ promoted: promote, passwordRotated: rotate }, 'admin account updated');
    }
  }

  /** Who a request is from, given its bearer token or API key (at most one of them). */
  async authenticate(credentials: { bearer?: string; apiKey?: string }): Promise<AuthenticationResult | null> {
    if (credentials.bearer !== undefined) return this.authenticateToken(credentials.bearer);
    if (credentials.apiKey !== undefined) return this.authenticateApiKey(credentials.apiKey);
    return null;
  }

  private async authenticateToken(token: string): Promise<AuthenticationResult> {
    const known = this.tokenOwners.get(token);
    if (known) return known;
    const claims = await verifyAccessToken(token, this.settings.tokens);
    if (typeof claims === 'string') return claims;
    if (!isUuid(claims.userId)) return 'invalid';
    // The user is read back (not trusted from the token), so a deleted account or a changed role
    // takes effect within TOKEN_CACHE_TTL_MS.
    const user = await this.tokenUsers.load(claims.userId.toLowerCase());
    if (!user) return 'invalid';
    const principal = { kind: 'user' as const, userId: user.id, role: user.role };
    this.tokenOwners.set(token, principal, claims.expiresAt.getTime());
    return principal;
  }

  /** Stops this process from honouring a user's tokens from its cache (after the account is erased). */
  forgetUser(userId: string): void {
    this.tokenOwners.deleteWhere((p) => p.userId === userId);
  }

  private async authenticateApiKey(key: string): Promise<AuthenticationResult> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return 'invalid';
    const row = await this.dataSource.getRepository(ApiKey).findOneBy({ prefix, revokedAt: IsNull() });
    if (!row || !timingSafeEqual(row.keyHash, hashApiKey(key))) return 'invalid';
    // At most one write a minute per key, so a busy connector does not write on every request.
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
    return { kind: 'apiKey', keyId: row.id, organizationId: row.organizationId, scopes: row.scopes };
  }

  async userById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ id });
  }

  async organizationsOfUser(userId: string): Promise<Organization[]> {
    return this.dataSource
      .getRepository(Organization)
      .createQueryBuilder('o')
      .innerJoin(Membership, 'm', 'm.organization_id = o.id')
      .where('m.user_id = :userId', { userId })
      .orderBy('o.created_at')
      .getMany();
  }

  /**
   * Whether the principal may see the organisation: its members and keys, agencies the brand
   * granted, and operators. Everyone else is told it does not exist.
   */
  async canSeeOrganization(principal: Principal, organizationId: string): Promise<boolean> {
    if (!isUuid(organizationId)) return false;
    if (principal.kind === 'apiKey') return principal.organizationId === organizationId;
    if (principal.role === Role.ADMIN) return true;
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (
         SELECT 1 FROM memberships m WHERE m.user_id = $1 AND m.organization_id = $2
         UNION ALL
         SELECT 1 FROM memberships m JOIN agency_clients ac ON ac.agency_id = m.organization_id
          WHERE m.user_id = $1 AND ac.brand_id = $2
       ) AS visible`,
      [principal.userId, organizationId],
    );
    return row.visible;
  }

  async isMember(userId: string, organizationId: string): Promise<boolean> {
    if (!isUuid(organizationId)) return false;
    return this.dataSource.getRepository(Membership).existsBy({ userId, organizationId });
  }

  async organizationFor(principal: Principal, id: string): Promise<Organization> {
    // Operators see every organisation, so for them the id may name none: NOT_FOUND, not a 500.
    const organization = (await this.canSeeOrganization(principal, id))
      ? await this.dataSource.getRepository(Organization).findOneBy({ id })
      : null;
    if (!organization) throw notFound('Organization');
    return organization;
  }

  /** The organisation a member acts for: the one named, or their only one. */
  async actingOrganization(userId: string, organizationId?: string): Promise<Organization> {
    if (organizationId !== undefined) {
      if (!(await this.isMember(userId, organizationId))) throw notFound('Organization');
      return this.dataSource.getRepository(Organization).findOneByOrFail({ id: organizationId });
    }
    const organizations = await this.organizationsOfUser(userId);
    if (organizations.length === 0) throw badInput('You belong to no organisation');
    if (organizations.length > 1) throw badInput('You belong to several organisations: pass organizationId', 'organizationId');
    return organizations[0];
  }

  async agencyClients(agencyId: string): Promise<Organization[]> {
    return this.relatedOrganizations('agency_id', 'brand_id', agencyId);
  }

  async brandAgencies(brandId: string): Promise<Organization[]> {
    return this.relatedOrganizations('brand_id', 'agency_id', brandId);
  }

  private relatedOrganizations(from: 'agency_id' | 'brand_id', to: 'agency_id' | 'brand_id', id: string): Promise<Organization[]> {
    return this.dataSource
      .getRepository(Organization)
      .createQueryBuilder('o')
      .innerJoin(AgencyClient, 'ac', `ac.${to} = o.id`)
      .where(`ac.${from} = :id`, { id })
      .orderBy('o.name')
      .getMany();
  }

  async createApiKey(principal: Principal & { kind: 'user' }, input: CreateApiKeyInput): Promise<CreatedApiKey | ScopeNotAllowedError> {
    let organizationId: string | null = null;
    if (principal.role === Role.ADMIN && input.organizationId === undefined) {
      if (input.scopes.some((s) => s !== ApiKeyScope.INGEST)) {
        return new ScopeNotAllowedError(
          'Operator keys carry only the INGEST scope: create organisation keys as a member of the organisation',
        );
      }
    } else {
      if (principal.role !== Role.BRAND && principal.role !== Role.AGENCY)
        throw badInput('Only operators, brands and agencies create API keys');
      const organization = await this.actingOrganization(principal.userId, input.organizationId);
      const allowed = ORGANIZATION_SCOPES[organization.kind];
      const refused = input.scopes.filter((s) => !allowed.includes(s));
      if (refused.length) {
        return new ScopeNotAllowedError(
          `A ${organization.kind.toLowerCase()} key cannot carry ${refused.join(', ')}; allowed: ${allowed.join(', ')}`,
        );
      }
      organizationId = organization.id;
    }
    const generated = generateApiKey();
    const apiKey = await this.dataSource.getRepository(ApiKey).save({
      name: input.name.trim(),
      prefix: generated.prefix,
      keyHash: generated.hash,
      scopes: [...input.scopes].sort(),
      organizationId,
      createdBy: principal.userId,
      revokedAt: null,
      lastUsedAt: null,
    });
    return Object.assign(new CreatedApiKey(), { key: generated.key, apiKey });
  }

  /** Keys the user manages: an operator's connector keys, or those of the user's organisations. */
  async manageableApiKeys(principal: Principal & { kind: 'user' }): Promise<ApiKey[]> {
    const repo = this.dataSource.getRepository(ApiKey);
    if (principal.role === Role.ADMIN) return repo.find({ where: { organizationId: IsNull() }, order: { createdAt: 'DESC' } });
    const organizations = await this.organizationsOfUser(principal.userId);
    if (!organizations.length) return [];
    return repo.find({ where: { organizationId: In(organizations.map((o) => o.id)) }, order: { createdAt: 'DESC' } });
  }

  async revokeApiKey(principal: Principal & { kind: 'user' }, id: string): Promise<ApiKey> {
    const repo = this.dataSource.getRepository(ApiKey);
    const key = isUuid(id) ? await repo.findOneBy({ id }) : null;
    const allowed =
      key !== null &&
      (key.organizationId === null ? principal.role === Role.ADMIN : await this.isMember(principal.userId, key.organizationId));
    if (!key || !allowed) throw notFound('API key');
    if (!key.revokedAt) {
      await repo.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    }
    return repo.findOneByOrFail({ id });
  }

  async apiKeyById(id: string): Promise<ApiKey | null> {
    return this.dataSource.getRepository(ApiKey).findOneBy({ id });
  }

  /** A brand member grants an agency the right to act for the brand. Granting twice is harmless. */
  async addAgencyClient(
    principal: Principal & { kind: 'user' },
    brandId: string,
    agencyId: string,
  ): Promise<AgencyClientGrant | NotAnAgencyError> {
    const brand = await this.manageableBrand(principal, brandId);
    const agency = isUuid(agencyId) ? await this.dataSource.getRepository(Organization).findOneBy({ id: agencyId }) : null;
    if (!agency || agency.kind !== OrganizationKind.AGENCY) return new NotAnAgencyError();
    await this.dataSource
      .getRepository(AgencyClient)
      .createQueryBuilder()
      .insert()
      .values({ agencyId, brandId, grantedBy: principal.userId })
      .orIgnore()
      .execute();
    const grant = await this.dataSource.getRepository(AgencyClient).findOneByOrFail({ agencyId, brandId });
    return Object.assign(new AgencyClientGrant(), { agency, brand, createdAt: grant.createdAt });
  }

  async removeAgencyClient(principal: Principal & { kind: 'user' }, brandId: string, agencyId: string): Promise<boolean> {
    await this.manageableBrand(principal, brandId);
    if (!isUuid(agencyId)) return false;
    const result = await this.dataSource.getRepository(AgencyClient).delete({ agencyId, brandId });
    return (result.affected ?? 0) > 0;
  }

  private async manageableBrand(principal: Principal & { kind: 'user' }, brandId: string): Promise<Organization> {
    const brand = isUuid(brandId) ? await this.dataSource.getRepository(Organization).findOneBy({ id: brandId }) : null;
    const allowed =
      brand?.kind === OrganizationKind.BRAND && (principal.role === Role.ADMIN || (await this.isMember(principal.userId, brand.id)));
    if (!brand || !allowed) throw notFound('Brand');
    return brand;
  }

  private async authPayload(user: User): Promise<AuthPayload> {
    const { token, expiresAt } = await signAccessToken(user.id, this.settings.tokens);
    return Object.assign(new AuthPayload(), { token, expiresAt, user });
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword('decoy-password-never-matches', this.settings.scryptCost);
    return this.decoyHash;
  }
}
