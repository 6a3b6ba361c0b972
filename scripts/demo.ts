// `npm run demo`: a realistic world in the configured database (DATABASE_URL, or the embedded one under
// DATA_DIR, also while `npm start` runs on it): Zhejiang and two of its cities with their regulators, public
// security bureaus and procuratorates, a provincial supervisor, one user per role, and a dozen referrals in
// every state of the procedure, some overdue. The referrals are driven through ReferralsService as their
// users would send them, so timelines, deadlines, outbox rows and hash chains are the real ones.
//
// Idempotent: agencies, users and referrals are found by code, username and external reference before
// anything is created; a rerun creates nothing and resets the demo users' passwords (printing the new ones,
// and revoking their tokens), since the old ones were printed once and are not stored.
import type { Role } from '../workflows/referral/referral.types';
import type { Principal } from '../src/auth/principal';
import { Clock } from '../src/common/clock';
import { validateBody } from '../src/common/validate';
import { CreateCampaignDto } from '../src/campaigns/campaign.dto';
import { readCampaign } from '../src/campaigns/campaigns.repository';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { AdvisoryLock } from '../src/database/advisory-locks';
import type { AgencyKind } from '../src/directory/agency.entity';
import { CreateAgencyDto, CreateUserDto } from '../src/directory/directory.dto';
import { DirectoryService } from '../src/directory/directory.service';
import { parseClientEvent } from '../src/referrals/referral-event.dto';
import { CreateReferralDto } from '../src/referrals/referral.dto';
import { ReferralsService } from '../src/referrals/referrals.service';
import { generatePassword, resetPassword } from './admin';
import { openCliContext, runAsScript, type CliContext, type Print } from './cli-context';

interface AgencySeed {
  code: string;
  name: string;
  kind: AgencyKind;
  regionCode: string;
  parent?: string;
}

// Real administrative-division codes: 330000 浙江省, 330100 杭州市, 330200 宁波市.
export const DEMO_AGENCIES: AgencySeed[] = [
  { code: 'zj-kunlun', name: '浙江省“昆仑”专项行动督导组', kind: 'supervisor', regionCode: '330000' },
  { code: 'zj-mpa', name: '浙江省药品监督管理局', kind: 'regulator', regionCode: '330000' },
  { code: 'zj-pro', name: '浙江省人民检察院', kind: 'procuratorate', regionCode: '330000' },
  { code: 'zj-psd', name: '浙江省公安厅', kind: 'police', regionCode: '330000' },
  { code: 'hz-amr', name: '杭州市市场监督管理局', kind: 'regulator', regionCode: '330100', parent: 'zj-kunlun' },
  { code: 'hz-eeb', name: '杭州市生态环境局', kind: 'regulator', regionCode: '330100', parent: 'zj-kunlun' },
  { code: 'hz-psb', name: '杭州市公安局', kind: 'police', regionCode: '330100', parent: 'zj-psd' },
  { code: 'hz-pro', name: '杭州市人民检察院', kind: 'procuratorate', regionCode: '330100', parent: 'zj-pro' },
  { code: 'nb-amr', name: '宁波市市场监督管理局', kind: 'regulator', regionCode: '330200', parent: 'zj-kunlun' },
  { code: 'nb-eeb', name: '宁波市生态环境局', kind: 'regulator', regionCode: '330200', parent: 'zj-kunlun' },
  { code: 'nb-psb', name: '宁波市公安局', kind: 'police', regionCode: '330200', parent: 'zj-psd' },
  { code: 'nb-pro', name: '宁波市人民检察院', kind: 'procuratorate', regionCode: '330200', parent: 'zj-pro' },
];

interface UserSeed {
  username: string;
  displayName: string;
  agency: string;
  roles: Role[];
}

export const DEMO_USERS: UserSeed[] = [
  { username: 'demo.admin', displayName: '系统管理员', agency: 'zj-kunlun', roles: ['admin'] },
  { username: 'hz.amr.wangfang', displayName: '王芳', agency: 'hz-amr', roles: ['agency-officer'] },
  { username: 'hz.eeb.zhaolei', displayName: '赵磊', agency: 'hz-eeb', roles: ['agency-officer'] },
  { username: 'nb.amr.chenjing', displayName: '陈静', agency: 'nb-amr', roles: ['agency-officer'] },
  { username: 'nb.eeb.huangtao', displayName: '黄涛', agency: 'nb-eeb', roles: ['agency-officer'] },
  { username: 'zj.mpa.liuyang', displayName: '刘洋', agency: 'zj-mpa', roles: ['agency-officer'] },
  { username: 'hz.psb.zhangwei', displayName: '张伟', agency: 'hz-psb', roles: ['police-officer'] },
  { username: 'hz.psb.liqiang', displayName: '李强', agency: 'hz-psb', roles: ['police-lead'] },
  { username: 'nb.psb.zhoujie', displayName: '周杰', agency: 'nb-psb', roles: ['police-lead'] },
  { username: 'hz.pro.sunli', displayName: '孙丽', agency: 'hz-pro', roles: ['procurator'] },
  { username: 'nb.pro.wumin', displayName: '吴敏', agency: 'nb-pro', roles: ['procurator'] },
  { username: 'zj.kunlun.zhenghua', displayName: '郑华', agency: 'zj-kunlun', roles: ['supervisor'] },
];

type Step = { as: string; event: Record<string, unknown> };

interface ReferralSeed {
  ref: string;
  by: string;
  target: string;
  /** Submitted this many days ago (the clock set back), so its deadlines are overdue today. */
  daysAgo?: number;
  /** Steps sent at the past time too (the rest now). */
  pastSteps?: number;
  body: Omit<CreateReferralDto, 'targetAgencyId' | 'externalRef' | 'campaign'>;
  steps: Step[];
  /** The state it ends in (checked, and printed). */
  expect: string;
}

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const ACK: Step = { as: 'hz.psb.zhangwei', event: { type: 'ACKNOWLEDGE' } };
const NB_ACK: Step = { as: 'nb.psb.zhoujie', event: { type: 'ACKNOWLEDGE' } };
const review = (as: string, recommendation: 'file' | 'not-file', opinion: string): Step => ({
  as,
  event: { type: 'RECORD_REVIEW', recommendation, opinion },
});
const decline = (as: string): Step => ({
  as,
  event: { type: 'DECLINE', reasons: '现有证据不足以证明涉案金额达到立案追诉标准', legalBasis: '《刑事诉讼法》第一百一十二条' },
});

export const DEMO_REFERRALS: ReferralSeed[] = [
  {
    ref: 'DEMO-01',
    by: 'hz.amr.wangfang',
    target: 'hz-psb',
    body: {
      domain: 'food',
      title: '萧山区某仓库销售假冒注册商标白酒案',
      summary: '执法检查中在萧山区一仓库查获假冒“茅台”白酒1200瓶，涉嫌销售假冒注册商标的商品。',
      suspects: [{ kind: 'organization', name: '杭州某商贸有限公司', idNumber: '91330109MA2B3C4D1X' }],
      amountInvolved: '182000.00',
      offence: '销售假冒注册商标的商品罪',
      legalBasis: '《刑法》第二百一十四条',
    },
    steps: [],
    expect: 'submitted',
  },
  {
    ref: 'DEMO-02',
    by: 'nb.amr.chenjing',
    target: 'nb-psb',
    daysAgo: 3,
    body: {
      domain: 'food',
      title: '北仑区冷库储存来源不明冻品案',
      summary: '北仑区某冷库储存无检验检疫证明的冷冻牛肉约26吨，涉嫌走私及生产销售不符合安全标准的食品。',
      suspects: [{ kind: 'person', name: '林某某', idNumber: '330206198805123418' }],
      amountInvolved: '1560000.00',
      offence: '生产、销售不符合安全标准的食品罪',
      legalBasis: '《刑法》第一百四十三条',
    },
    steps: [], // never acknowledged: the 24-hour acknowledgement is overdue
    expect: 'submitted',
  },
  {
    ref: 'DEMO-03',
    by: 'zj.mpa.liuyang',
    target: 'hz-psb',
    daysAgo: 8,
    pastSteps: 1,
    body: {
      domain: 'drug',
      title: '通过网络平台非法销售处方药案',
      summary: '网络监测发现某网店无药品经营许可证销售处方药“奥司他韦”等，累计销售额逾八十万元。',
      suspects: [{ kind: 'person', name: '钱某', idNumber: '330102199001014512' }],
      amountInvolved: '812000.00',
      offence: '非法经营罪',
      legalBasis: '《刑法》第二百二十五条',
    },
    steps: [ACK], // acknowledged eight days ago, review never recorded: the 3-day review is overdue
    expect: 'under-review',
  },
  {
    ref: 'DEMO-04',
    by: 'hz.eeb.zhaolei',
    target: 'hz-psb',
    daysAgo: 6,
    pastSteps: 2,
    body: {
      domain: 'environment',
      title: '余杭区非法倾倒危险废物案',
      summary: '某化工企业将含铬废液约40吨倾倒于余杭区一废弃矿坑，现场采样检测总铬超标。',
      suspects: [{ kind: 'organization', name: '杭州某化工有限公司', idNumber: '91330110MA27XY9K2P' }],
      offence: '污染环境罪',
      legalBasis: '《刑法》第三百三十八条',
    },
    steps: [
      ACK,
      {
        as: 'hz.psb.zhangwei',
        event: { type: 'REQUEST_SUPPLEMENT', items: ['检测报告原件', '现场勘验笔录'], reason: '需补充证据材料' },
      },
    ],
    expect: 'supplement-requested', // asked six days ago: the 3-day supplement is overdue
  },
  {
    ref: 'DEMO-05',
    by: 'nb.eeb.huangtao',
    target: 'nb-psb',
    body: {
      domain: 'environment',
      title: '镇海区电镀企业超标排放含重金属废水案',
      summary: '在线监测与现场采样显示某电镀企业排放废水中镍含量超过排放标准十倍以上。',
      suspects: [{ kind: 'organization', name: '宁波某电镀有限公司', idNumber: '91330211MA2H8L3Q5T' }],
      offence: '污染环境罪',
      legalBasis: '《刑法》第三百三十八条',
    },
    steps: [NB_ACK, review('nb.psb.zhoujie', 'file', '排放超标倍数达到司法解释规定的严重污染环境情形，建议立案')],
    expect: 'reviewed',
  },
  {
    ref: 'DEMO-06',
    by: 'hz.amr.wangfang',
    target: 'hz-psb',
    body: {
      domain: 'cosmetics',
      title: '滨江区美容院使用违法添加化妆品案',
      summary: '抽检发现某美容院使用的美白霜中检出汞，超过《化妆品安全技术规范》限值。',
      suspects: [{ kind: 'person', name: '何某某', idNumber: '330108198706062243' }],
      amountInvolved: '36000.00',
      offence: '生产、销售伪劣产品罪',
      legalBasis: '《刑法》第一百四十条',
    },
    steps: [ACK, review('hz.psb.zhangwei', 'not-file', '销售金额未达五万元追诉标准'), decline('hz.psb.liqiang')],
    expect: 'declined',
  },
  {
    ref: 'DEMO-07',
    by: 'nb.amr.chenjing',
    target: 'nb-psb',
    body: {
      domain: 'intellectual-property',
      title: '鄞州区生产假冒品牌运动鞋案',
      summary: '查获假冒某知名品牌运动鞋成品3400双及商标标识若干，涉嫌假冒注册商标。',
      suspects: [{ kind: 'organization', name: '宁波某鞋业有限公司', idNumber: '91330212MA2CD7E8F9' }],
      amountInvolved: '276000.00',
      offence: '假冒注册商标罪',
      legalBasis: '《刑法》第二百一十三条',
    },
    steps: [
      NB_ACK,
      review('nb.psb.zhoujie', 'not-file', '权利人鉴定意见尚未出具'),
      decline('nb.psb.zhoujie'),
      {
        as: 'nb.amr.chenjing',
        event: { type: 'REQUEST_RECONSIDERATION', grounds: '权利人鉴定意见已补充，涉案货值远超追诉标准' },
      },
    ],
    expect: 'reconsideration',
  },
  {
    ref: 'DEMO-08',
    by: 'hz.amr.wangfang',
    target: 'hz-psb',
    body: {
      domain: 'medical-device',
      title: '销售无证医用口罩案',
      summary: '某公司销售未取得医疗器械注册证的“医用外科口罩”20万只。',
      suspects: [{ kind: 'organization', name: '杭州某医疗科技有限公司', idNumber: '91330105MA2J4K5L6M' }],
      amountInvolved: '240000.00',
      offence: '销售不符合标准的医用器材罪',
      legalBasis: '《刑法》第一百四十五条',
    },
    steps: [
      ACK,
      review('hz.psb.zhangwei', 'not-file', '尚无证据证明足以严重危害人体健康'),
      decline('hz.psb.liqiang'),
      {
        as: 'hz.amr.wangfang',
        event: { type: 'REQUEST_SUPERVISION', grounds: '检验报告显示细菌过滤效率不合格，足以危害人体健康' },
      },
    ],
    expect: 'procuratorial-supervision',
  },
  {
    ref: 'DEMO-09',
    by: 'nb.amr.chenjing',
    target: 'nb-psb',
    body: {
      domain: 'agriculture',
      title: '慈溪市销售伪劣农药案',
      summary: '农户使用某农资店销售的除草剂后水稻大面积枯死，经检验有效成分含量不足标示量的30%。',
      suspects: [{ kind: 'person', name: '邵某', idNumber: '330282197912127731' }],
      amountInvolved: '98000.00',
      offence: '销售伪劣农药罪',
      legalBasis: '《刑法》第一百四十七条',
    },
    steps: [
      NB_ACK,
      review('nb.psb.zhoujie', 'not-file', '损失数额尚在核定中'),
      decline('nb.psb.zhoujie'),
      { as: 'nb.amr.chenjing', event: { type: 'REQUEST_SUPERVISION', grounds: '农业部门已出具损失评估，生产损失逾二十万元' } },
      { as: 'nb.pro.wumin', event: { type: 'REQUIRE_REASONS', note: '请公安机关说明不立案理由' } },
    ],
    expect: 'procuratorial-supervision',
  },
  {
    ref: 'DEMO-10',
    by: 'zj.mpa.liuyang',
    target: 'hz-psb',
    daysAgo: 5,
    pastSteps: 3,
    body: {
      domain: 'drug',
      title: '生产销售假冒降压药案',
      summary: '抽检发现某药店销售的“硝苯地平缓释片”不含标示成分，追查发现地下加工窝点。',
      suspects: [
        { kind: 'person', name: '蒋某', idNumber: '330104198303036619' },
        { kind: 'person', name: '沈某某', idNumber: '330105199207078824' },
      ],
      amountInvolved: '530000.00',
      offence: '生产、销售假药罪',
      legalBasis: '《刑法》第一百四十一条',
    },
    steps: [
      ACK,
      review('hz.psb.zhangwei', 'file', '涉案药品经认定为假药，建议立案'),
      { as: 'hz.psb.liqiang', event: { type: 'ACCEPT', caseNumber: '杭公刑立字〔2026〕0815号' } },
    ],
    expect: 'accepted', // accepted five days ago: the 3-day evidence handover is overdue
  },
  {
    ref: 'DEMO-11',
    by: 'hz.amr.wangfang',
    target: 'hz-psb',
    body: {
      domain: 'food',
      title: '收购加工病死猪肉案',
      summary: '某屠宰场收购病死生猪加工后销往周边农贸市场，查获冻肉约3吨。',
      suspects: [{ kind: 'organization', name: '杭州某肉类加工厂', idNumber: '91330183MA2N1P2Q3R' }],
      amountInvolved: '420000.00',
      offence: '生产、销售有毒、有害食品罪',
      legalBasis: '《刑法》第一百四十四条',
    },
    steps: [
      ACK,
      review('hz.psb.zhangwei', 'file', '查获肉品检出非洲猪瘟病毒核酸阳性，建议立案'),
      { as: 'hz.psb.liqiang', event: { type: 'ACCEPT', caseNumber: '杭公刑立字〔2026〕0902号' } },
      {
        as: 'hz.psb.liqiang',
        event: {
          type: 'START_JOINT_RECTIFICATION',
          dueAt: days(60),
          tasks: [{ agency: 'hz-amr', description: '全市生猪屠宰及肉品流通环节专项排查', dueAt: days(45) }],
        },
      },
    ],
    expect: 'joint-rectification',
  },
  {
    ref: 'DEMO-12',
    by: 'hz.eeb.zhaolei',
    target: 'hz-psb',
    body: {
      domain: 'wildlife',
      title: '千岛湖禁渔期非法捕捞案',
      summary: '禁渔期内使用电鱼方式非法捕捞水产品约600公斤。',
      suspects: [{ kind: 'person', name: '方某某', idNumber: '330127198511114017' }],
      offence: '非法捕捞水产品罪',
      legalBasis: '《刑法》第三百四十条',
    },
    steps: [
      ACK,
      review('hz.psb.zhangwei', 'file', '禁渔期使用禁用方法捕捞，情节严重'),
      { as: 'hz.psb.liqiang', event: { type: 'ACCEPT', caseNumber: '杭公刑立字〔2026〕0577号' } },
      { as: 'hz.psb.liqiang', event: { type: 'CLOSE', outcome: 'prosecuted', note: '已移送审查起诉' } },
    ],
    expect: 'closed',
  },
  {
    ref: 'DEMO-13',
    by: 'nb.eeb.huangtao',
    target: 'nb-psb',
    body: {
      domain: 'environment',
      title: '奉化区非法焚烧废旧轮胎案',
      summary: '群众举报某废品站夜间焚烧废旧轮胎，经核查系一次性行为，已责令整改。',
      suspects: [{ kind: 'person', name: '俞某', idNumber: '330283197606065515' }],
      offence: '污染环境罪',
      legalBasis: '《刑法》第三百三十八条',
    },
    steps: [{ as: 'nb.eeb.huangtao', event: { type: 'WITHDRAW', reason: '经复核不构成严重污染环境，改由行政处罚' } }],
    expect: 'withdrawn',
  },
];

const DEMO_CAMPAIGN = {
  code: 'kunlun-2026',
  name: '昆仑2026',
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  domains: [
    'food',
    'drug',
    'medical-device',
    'intellectual-property',
    'environment',
    'wildlife',
    'natural-resources',
    'biosecurity',
  ],
  regionCodes: ['330000'],
};

export interface DemoResult {
  created: { agencies: number; users: number; referrals: number };
  passwords: Record<string, string>;
  referrals: { ref: string; id: string; state: string; overdue: boolean }[];
}

export async function seedDemo(ctx: CliContext): Promise<DemoResult> {
  const directory = ctx.app.get(DirectoryService);
  const referrals = ctx.app.get(ReferralsService);
  const clock = ctx.app.get(Clock);
  const created = { agencies: 0, users: 0, referrals: 0 };
  const lock = ctx.db.createQueryRunner();
  await lock.connect();
  await lock.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.DemoSeed]);
  try {
    const agencyIds: Record<string, string> = {};
    for (const a of DEMO_AGENCIES) {
      const [found] = await ctx.db.query(`SELECT id FROM agencies WHERE code = $1`, [a.code]);
      if (found) {
        agencyIds[a.code] = found.id;
        continue;
      }
      const dto = validateBody(CreateAgencyDto, {
        code: a.code,
        name: a.name,
        kind: a.kind,
        regionCode: a.regionCode,
        ...(a.parent ? { parentId: agencyIds[a.parent] } : {}),
      });
      agencyIds[a.code] = (await directory.createAgency(dto)).id;
      created.agencies++;
    }

    const passwords: Record<string, string> = {};
    const principals: Record<string, Principal> = {};
    for (const u of DEMO_USERS) {
      const existing = await directory.findUserByUsername(u.username);
      if (existing) {
        passwords[u.username] = (await resetPassword(ctx, u.username)).password;
      } else {
        passwords[u.username] = generatePassword();
        const dto = validateBody(CreateUserDto, {
          username: u.username,
          password: passwords[u.username],
          displayName: u.displayName,
          agencyId: agencyIds[u.agency],
          roles: u.roles,
        });
        await directory.createUser(dto);
        created.users++;
      }
      const user = (await directory.findUserByUsername(u.username))!;
      principals[u.username] = {
        userId: user.id,
        username: user.username,
        roles: user.roles,
        agency: { id: user.agency.id, kind: user.agency.kind, regionCode: user.agency.regionCode },
      };
    }

    // The referrals name the Kunlun 2026 campaign, which must be in the register (issue 11 §4).
    const campaigns = ctx.app.get(CampaignsService);
    if (!(await readCampaign(ctx.db, DEMO_CAMPAIGN.code)))
      await campaigns.create(principals['demo.admin'], validateBody(CreateCampaignDto, DEMO_CAMPAIGN));

    const out: DemoResult['referrals'] = [];
    for (const r of DEMO_REFERRALS) {
      let [row] = await ctx.db.query(
        `SELECT id, state, coalesce(state_detail, state) AS detail FROM referrals WHERE external_ref = $1`,
        [r.ref],
      );
      if (!row) {
        const past = (r.daysAgo ?? 0) * 86_400_000;
        // Submitted (and its first steps sent) in the past, as if it had happened then: its deadlines run from then.
        backdate(clock, past);
        try {
          const dto = validateBody(CreateReferralDto, {
            ...r.body,
            targetAgencyId: agencyIds[r.target],
            campaign: 'kunlun-2026',
            externalRef: r.ref,
          });
          const { body } = await referrals.create(principals[r.by], dto);
          for (const [i, step] of r.steps.entries()) {
            if (i === (r.pastSteps ?? 0)) backdate(clock, 0);
            await referrals.sendEvent(principals[step.as], body.id, parseClientEvent(withAgencyIds(step.event, agencyIds)));
          }
        } finally {
          backdate(clock, 0);
        }
        [row] = await ctx.db.query(
          `SELECT id, state, coalesce(state_detail, state) AS detail FROM referrals WHERE external_ref = $1`,
          [r.ref],
        );
        created.referrals++;
      }
      if (row.state !== r.expect) throw new Error(`demo referral ${r.ref} is ${row.state}, expected ${r.expect}`);
      const [{ overdue }] = await ctx.db.query(
        `SELECT EXISTS (SELECT 1 FROM deadlines d WHERE d.referral_id = $1
                          AND ((d.status = 'breached' AND d.resolved_at IS NULL) OR (d.status = 'pending' AND d.due_at < now()))) AS overdue`,
        [row.id],
      );
      out.push({ ref: r.ref, id: row.id, state: row.detail, overdue });
    }
    return { created, passwords, referrals: out };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.DemoSeed]).catch(() => undefined);
    await lock.release();
  }
}

/** Task plans name agencies by code in the seed; the API takes their ids. */
function withAgencyIds(event: Record<string, unknown>, ids: Record<string, string>): Record<string, unknown> {
  if (event.type !== 'START_JOINT_RECTIFICATION') return event;
  const tasks = (event.tasks as { agency: string; description: string; dueAt?: string }[]).map(({ agency, ...t }) => ({
    ...t,
    agencyId: ids[agency],
  }));
  return { ...event, tasks };
}

export async function runDemo(
  env: Record<string, string | undefined> = process.env,
  print: Print = console.log,
): Promise<DemoResult> {
  const ctx = await openCliContext(env);
  try {
    const result = await seedDemo(ctx);
    const { agencies, users, referrals } = result.created;
    print(`CaseLink demo world in ${ctx.where}`);
    print(
      agencies + users + referrals === 0
        ? 'already there: nothing created; the demo users get new passwords'
        : `created ${agencies} agencies, ${users} users, ${referrals} referrals`,
    );
    print('');
    print('users (password printed once; `npm run demo` again or `npm run admin -- reset-password <username>` for new ones):');
    for (const u of DEMO_USERS) {
      print(`  ${u.username.padEnd(20)} ${u.roles.join(',').padEnd(15)} ${u.agency.padEnd(10)} ${result.passwords[u.username]}`);
    }
    print('');
    print('referrals:');
    for (const r of result.referrals) print(`  ${r.ref}  ${r.state.padEnd(45)} ${r.overdue ? 'overdue' : ''}`.trimEnd());
    return result;
  } finally {
    await ctx.close();
  }
}

if (require.main === module) runAsScript('demo', () => runDemo().then(() => undefined));

/**
 * The demo writes history: this process's clock reads `ms` in the past while it seeds (0: the present again).
 * Only here: the service's Clock never goes backwards (its test-clock offset is monotonic).
 */
function backdate(clock: Clock, ms: number): void {
  const own = clock as Clock & { now: () => Date };
  if (ms === 0) {
    delete (own as Partial<Clock>).now; // the prototype's now() again
    return;
  }
  const present = Clock.prototype.now.bind(clock);
  own.now = () => new Date(present().getTime() - ms);
}
