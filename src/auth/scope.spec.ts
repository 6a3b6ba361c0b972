import { SqlParams } from '../common/sql-params';
import type { Principal } from './principal';
import {
  EVERY_REFERRAL,
  maskUnlessParty,
  maskUnlessRecorder,
  relationsOf,
  seesSuspectIds,
  visibleAdminCases,
  visibleReferrals,
} from './scope';

const principal = (
  kind: Principal['agency']['kind'],
  regionCode: string,
  roles: Principal['roles'] = ['procurator'],
): Principal => ({
  userId: 'u1',
  username: 'someone',
  roles,
  agency: { id: 'a1', kind, regionCode },
});

describe('access policy', () => {
  it('an overseer sees its region by a constant prefix (index-friendly), a party by its agency id, an admin everything', () => {
    const params = new SqlParams();
    const sql = visibleReferrals(principal('procuratorate', '330100')).condition(params, 'x');
    expect(sql).toContain('x.source_agency_id = $1');
    expect(sql).toContain('x.region_code LIKE $2');
    expect(params.values).toEqual(['a1', '3301%']);

    // a district police unit has no units below it: no region condition at all
    const police = new SqlParams();
    expect(visibleReferrals(principal('police', '330106', ['police-officer'])).condition(police)).not.toContain('LIKE');
    // a city bureau sees what sits with police units of its districts (by the target's region, not the case's)
    const city = new SqlParams();
    const citySql = visibleReferrals(principal('police', '330100', ['police-lead'])).condition(city);
    expect(citySql).toContain('ta.region_code LIKE $3');
    expect(city.values).toEqual(['a1', '330100', '3301%']);
    // and a unit the case was elevated or designated away from reads on
    expect(citySql).toContain('$1::uuid = ANY(r.former_target_ids)');
    expect(visibleReferrals(principal('regulator', '000000', ['admin'])).condition(new SqlParams())).toBe('TRUE');
    expect(EVERY_REFERRAL.condition(new SqlParams())).toBe('TRUE');
  });

  it('relations: oversight only for an overseer whose region covers the referral', () => {
    const referral = { sourceAgencyId: 's', targetAgencyId: 't', regionCode: '330102' };
    expect(relationsOf(principal('supervisor', '330000'), referral, [])).toEqual(['oversight']);
    expect(relationsOf(principal('supervisor', '330200'), referral, [])).toEqual([]);
    expect(relationsOf(principal('police', '330100', ['police-officer']), referral, ['a1'])).toEqual(['task']);
  });

  it("relations: 'superior' only for a police unit strictly above the target police unit's region", () => {
    const at = (targetPoliceRegion?: string) => ({
      sourceAgencyId: 's',
      targetAgencyId: 't',
      regionCode: '330106',
      targetPoliceRegion,
    });
    expect(relationsOf(principal('police', '330100', ['police-lead']), at('330106'), [])).toEqual(['superior']);
    expect(relationsOf(principal('police', '330000', ['police-lead']), at('330106'), [])).toEqual(['superior']);
    expect(relationsOf(principal('police', '330100', ['police-lead']), at('330100'), [])).toEqual([]);
    expect(relationsOf(principal('police', '330200', ['police-lead']), at('330106'), [])).toEqual([]);
    expect(relationsOf(principal('procuratorate', '330100'), at('330106'), [])).toEqual(['oversight']);
    // without the target's region (not a police target, or not read) nobody is superior
    expect(relationsOf(principal('police', '330000', ['police-lead']), at(undefined), [])).toEqual([]);
  });

  it('suspect IDs: in full for a party of any given standing, masked for everyone else', () => {
    const before = { sourceAgencyId: 's', targetAgencyId: 't1' };
    const after = { sourceAgencyId: 's', targetAgencyId: 't2' };
    expect(seesSuspectIds('t1', before, after)).toBe(true);
    expect(seesSuspectIds('t1', after)).toBe(false);
    const suspects = [{ kind: 'person', name: 'X', idNumber: '330102199001011234' }];
    expect(maskUnlessParty('s', suspects, after)).toBe(suspects);
    expect(maskUnlessParty('other', suspects, before, after)).toEqual([
      { kind: 'person', name: 'X', idNumber: '3301************34' },
    ]);
  });

  it('administrative cases: the recording agency, overseers by region prefix, admin all; IDs in full for the recorder only', () => {
    const params = new SqlParams();
    expect(visibleAdminCases(principal('supervisor', '330000')).condition(params, 'k')).toBe(
      '(k.agency_id = $1 OR k.region_code LIKE $2)',
    );
    expect(params.values).toEqual(['a1', '33%']);
    expect(visibleAdminCases(principal('regulator', '330100', ['agency-officer'])).condition(new SqlParams())).toBe(
      'c.agency_id = $1',
    );
    expect(visibleAdminCases(principal('police', '330100', ['admin'])).condition(new SqlParams())).toBe('TRUE');
    const parties = [{ kind: 'organization', name: 'Y', idNumber: '91330100MA2B3C4D12' }];
    expect(maskUnlessRecorder('a1', parties, 'a1')).toBe(parties);
    expect(maskUnlessRecorder('a2', parties, 'a1')[0].idNumber).toBe('9133************12');
  });
});
