import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { DomainException, notFound } from '../common/problem';
import { DirectoryService } from '../directory/directory.service';
import { userView } from '../directory/directory.views';
import { DUMMY_HASH, verifyPassword } from './passwords';
import type { Principal } from './principal';

@Injectable()
export class AuthService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string) {
    const user = await this.directory.findUserByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new DomainException('UNAUTHENTICATED', 'Wrong username or password');
    const agency = { id: user.agency.id, kind: user.agency.kind, regionCode: user.agency.regionCode };
    const accessToken = this.jwt.sign({ sub: user.id, username: user.username, roles: user.roles, agency });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.JWT_EXPIRES_IN_SECONDS, user: userView(user) };
  }

  async me(principal: Principal) {
    const user = await this.directory.findUser(principal.userId);
    if (!user) throw notFound('User');
    return userView(user);
  }
}
