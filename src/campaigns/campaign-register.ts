// What referrals and administrative cases ask of the register when they are written:
// is the campaign they name registered (else 400 on `campaign`), and which campaign
// to suggest when they name none. The suggestion is recorded, never set as the
// campaign: a case belongs to a campaign because its agency says so.
import type { FieldError } from '../common/problem';
import { validationFailed } from '../common/problem';
import type { Queryable } from '../common/sql-params';
import { matchingCampaignCodes, registeredCodes } from './campaigns.repository';

export const unknownCampaign = (code: string, field = 'campaign'): FieldError => ({
  field,
  message: `campaign ${code} is not in the register (GET /api/v1/campaigns)`,
});

/** 400 on `campaign` unless `code` (when given) is a registered campaign. */
export async function mustBeRegistered(q: Queryable, code: string | null | undefined): Promise<void> {
  if (!code) return;
  if (!(await registeredCodes(q, [code])).has(code)) throw validationFailed([unknownCampaign(code)]);
}

/**
 * The campaign to suggest for a case of `domain` in `regionCode` on `date` (local): the
 * one campaign running on that date whose fields include the domain and whose regions
 * cover the region; null when none or several match.
 */
export async function suggestedCampaign(
  q: Queryable,
  m: { date: string; domain: string; regionCode: string },
): Promise<string | null> {
  const codes = await matchingCampaignCodes(q, m);
  return codes.length === 1 ? codes[0] : null;
}
