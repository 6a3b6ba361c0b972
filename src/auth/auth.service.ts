import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainException, notFound, validationFailed } from '../common/problem';
import { DirectoryService } from '../directory/directory.service';
import type { User } from '../directory/user.entity';
import { userView } from '../directory/directory.views';
import type { LoginResponseDto } from './auth.dto';
import { LoginLockout } from './login-lockout';
import { dummyHash, verifyPassword } from './passwords';
import type { Credential, Principal } from './principal';
import { Sessions } from './sessions.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly sessions: Sessions,
    private readonly lockout: LoginLockout,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string): Promise<LoginResponseDto> {
    await this.lockout.refuseIfLocked(username);
    const user = await this.directory.findUserByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? dummyHash(this.config.PASSWORD_HASH_COST));
    // A deactivated user is told no more than a wrong password, and counts as a failure.
    if (!user || !ok || !user.active) {
      await this.lockout.recordFailure(username);
      throw new DomainException('UNAUTHENTICATED', 'Wrong username or password');
    }
    await this.lockout.reset(username);
    return this.answer(user);
  }

  /** One's own password: every other token of the user stops working; the answer carries a new one. */
  async changePassword(principal: Principal, credential: Credential, current: string, next: string): Promise<LoginResponseDto> {
    if (credential.kind !== 'token') {
      throw validationFailed([{ field: 'currentPassword', message: 'an API key has no password' }], 'API keys have no password');
    }
    // The current password is a login secret: guessing it here counts like failed logins.
    await this.lockout.refuseIfLocked(principal.username);
    const user = await this.directory.findUser(principal.userId);
    if (!user) throw notFound('User');
    if (!(await verifyPassword(current, user.passwordHash))) {
      await this.lockout.recordFailure(principal.username);
      throw validationFailed([{ field: 'currentPassword', message: 'currentPassword is wrong' }]);
    }
    if (next === current) {
      throw validationFailed([{ field: 'newPassword', message: 'newPassword must differ from the current password' }]);
    }
    await this.directory.setPassword(user.id, next);
    const changed = await this.directory.findUser(user.id);
    if (!changed) throw notFound('User');
    return this.answer(changed);
  }

  logout(principal: Principal, credential: Credential): Promise<void> {
    return this.sessions.logout(principal, credential);
  }

  async me(principal: Principal) {
    const user = await this.directory.findUser(principal.userId);
    if (!user) throw notFound('User');
    return userView(user);
  }

  private answer(user: User): LoginResponseDto {
    const { accessToken, expiresIn } = this.sessions.issue(user);
    return { accessToken, tokenType: 'Bearer', expiresIn, user: userView(user) };
  }
}
