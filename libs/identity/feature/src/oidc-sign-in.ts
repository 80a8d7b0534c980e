import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { AppConfig, OidcConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import type { TokenResponse } from '@ecc/identity-domain';
import { UsersRepository } from '@ecc/identity-data';
import { APP_CONFIG, REDIS, type RedisConnection } from '@ecc/platform-nest';
import { IssueTokenUseCase } from './issue-token.use-case';

/** How long a started sign-in may take at the identity provider. */
const STATE_TTL_SECONDS = 600;

interface PendingSignIn {
  verifier: string;
  nonce: string;
  binding: string;
}

export const ssoUnavailable = () =>
  new DomainError('not_found', 'sso_not_configured', 'single sign-on is not configured (OIDC_ISSUER)');

const ssoRefused = (message = 'the single sign-on could not be completed') =>
  new DomainError('unauthenticated', 'sso_failed', message);

/**
 * OpenID Connect single sign-on (authorization code flow with PKCE, state and nonce) through openid-client.
 * `start` sends the browser to the provider and binds the sign-in to that browser with a cookie; the page at
 * OIDC_REDIRECT_URI posts the `code` and `state` it receives to `finish`, which exchanges them, validates the
 * ID token and signs in the local user whose `ssoSubject` equals the OIDC_USERNAME_CLAIM claim. Nobody is
 * created by a sign-on: an admin links an existing account (roles need certificates the provider does not know).
 */
@Injectable()
export class OidcSignIn {
  private readonly logger = new Logger(OidcSignIn.name);
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisConnection,
    private readonly users: UsersRepository,
    private readonly tokens: IssueTokenUseCase,
  ) {}

  private get settings(): OidcConfig {
    const settings = this.config.auth.oidc;
    if (!settings) throw ssoUnavailable();
    return settings;
  }

  /** The provider's metadata, discovered on first use (and again after a failure). */
  private client(): Promise<oidc.Configuration> {
    const settings = this.settings;
    this.configuration ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        oidc.ClientSecretBasic(settings.clientSecret),
        // Plain http only outside production (a local provider); production requires an https issuer.
        settings.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        this.logger.error({ err: error }, 'OIDC discovery failed');
        throw new DomainError('unavailable', 'sso_unavailable', 'the identity provider cannot be reached');
      });
    return this.configuration;
  }

  /** The provider's authorization URL, and the binding to keep in the browser's cookie. */
  async start(): Promise<{ url: string; binding: string; maxAgeSeconds: number }> {
    const settings = this.settings;
    const client = await this.client();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const binding = randomBytes(32).toString('base64url');
    const pending: PendingSignIn = { verifier, nonce, binding };
    await this.redis.set(this.stateKey(state), JSON.stringify(pending), 'EX', STATE_TTL_SECONDS);
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, binding, maxAgeSeconds: STATE_TTL_SECONDS };
  }

  async finish(input: { code: string; state: string }, binding: string | null): Promise<TokenResponse> {
    const settings = this.settings;
    const client = await this.client();
    // Single use: a state is taken out as it is read.
    const stored = await this.redis.getdel(this.stateKey(input.state));
    if (!stored) throw ssoRefused('unknown or expired sign-in state: start again');
    const pending = JSON.parse(stored) as PendingSignIn;
    if (!binding || binding !== pending.binding) {
      throw ssoRefused('this sign-in was started in another browser');
    }
    const callback = new URL(settings.redirectUri);
    callback.searchParams.set('code', input.code);
    callback.searchParams.set('state', input.state);
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(client, callback, {
        pkceCodeVerifier: pending.verifier,
        expectedState: input.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      this.logger.warn({ err: error }, 'OIDC code exchange refused');
      throw ssoRefused();
    }
    const subject = claims?.[settings.usernameClaim];
    if (typeof subject !== 'string' && typeof subject !== 'number') {
      throw ssoRefused(`the ID token has no ${settings.usernameClaim} claim`);
    }
    const user = await this.users.findBySsoSubject(String(subject));
    if (!user || !user.active) {
      this.logger.warn({ subject: String(subject) }, 'single sign-on of no active local user');
      throw ssoRefused('no active account is linked to this identity');
    }
    await this.users.recordSignIn(user.id, new Date());
    return this.tokens.tokenFor({ ...user, mustChangePassword: false });
  }

  private stateKey(state: string): string {
    return `${this.config.redis.keyPrefix}:auth:oidc:${state}`;
  }
}
