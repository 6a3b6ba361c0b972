import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashPassword } from '../auth/passwords';
import { AppConfig } from '../config/app-config';
import { DomainException, notFound, validationFailed } from '../common/problem';
import { Agency, AgencyKind } from './agency.entity';
import { CreateAgencyDto, CreateUserDto } from './directory.dto';
import { User } from './user.entity';

// Which roles belong to which kind of agency (API.md "Roles and scope").
export const ROLE_AGENCY_KIND: Record<string, AgencyKind[]> = {
  'agency-officer': ['regulator'],
  'police-officer': ['police'],
  'police-lead': ['police'],
  procurator: ['procuratorate'],
  supervisor: ['supervisor'],
  admin: ['regulator', 'police', 'procuratorate', 'supervisor'],
};

@Injectable()
export class DirectoryService {
  private readonly logger = new Logger('Directory');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async createAgency(dto: CreateAgencyDto): Promise<Agency> {
    if (dto.parentId && !(await this.db.getRepository(Agency).existsBy({ id: dto.parentId }))) {
      throw validationFailed([{ field: 'parentId', message: 'parent agency does not exist' }]);
    }
    if (await this.db.getRepository(Agency).existsBy({ code: dto.code })) {
      throw validationFailed([{ field: 'code', message: 'an agency with this code exists' }]);
    }
    return this.db.getRepository(Agency).save({ ...dto, parentId: dto.parentId ?? null });
  }

  listAgencies(filter: { kind?: AgencyKind; regionCode?: string }): Promise<Agency[]> {
    return this.db.getRepository(Agency).find({ where: { ...filter }, order: { code: 'ASC' } });
  }

  async getAgency(id: string): Promise<Agency> {
    const agency = await this.db.getRepository(Agency).findOneBy({ id });
    if (!agency) throw notFound('Agency');
    return agency;
  }

  async createUser(dto: CreateUserDto): Promise<User> {
    const agency = await this.db.getRepository(Agency).findOneBy({ id: dto.agencyId });
    if (!agency) throw validationFailed([{ field: 'agencyId', message: 'agency does not exist' }]);
    const misfit = dto.roles.find((r) => !ROLE_AGENCY_KIND[r].includes(agency.kind));
    if (misfit) throw validationFailed([{ field: 'roles', message: `role ${misfit} does not fit a ${agency.kind} agency` }]);
    if (await this.db.getRepository(User).existsBy({ username: dto.username })) {
      throw new DomainException('VALIDATION_FAILED', 'Username taken', {
        errors: [{ field: 'username', message: 'username is taken' }],
      });
    }
    const saved = await this.db.getRepository(User).save({
      username: dto.username,
      passwordHash: await hashPassword(dto.password),
      displayName: dto.displayName,
      agencyId: agency.id,
      roles: dto.roles,
    });
    return this.findUser(saved.id) as Promise<User>;
  }

  findUser(id: string): Promise<User | null> {
    return this.db.getRepository(User).findOne({ where: { id }, relations: { agency: true } });
  }

  findUserByUsername(username: string): Promise<User | null> {
    return this.db.getRepository(User).findOne({ where: { username }, relations: { agency: true } });
  }

  /** First start with no users: create the admin (and a national administration agency for it). */
  async bootstrapAdmin(): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Serialise replicas booting together on an empty database.
      await tx.query('SELECT pg_advisory_xact_lock(7364212)');
      if ((await tx.getRepository(User).count()) > 0) return;
      let agency = await tx.getRepository(Agency).findOneBy({ code: 'caselink-admin' });
      agency ??= await tx.getRepository(Agency).save({
        code: 'caselink-admin',
        name: 'CaseLink administration',
        kind: 'supervisor',
        regionCode: '000000', // national: covers every region
        parentId: null,
      });
      const password = this.config.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
      await tx.getRepository(User).save({
        username: this.config.ADMIN_USERNAME,
        passwordHash: await hashPassword(password),
        displayName: 'Administrator',
        agencyId: agency.id,
        roles: ['admin'],
      });
      if (!this.config.ADMIN_PASSWORD) {
        // Printed once, to stdout only, so the operator can log in; never logged again.
        process.stdout.write(`\nCaseLink admin created: username "${this.config.ADMIN_USERNAME}", password "${password}"\n\n`);
      }
      this.logger.log(`admin user "${this.config.ADMIN_USERNAME}" created`);
    });
  }
}
