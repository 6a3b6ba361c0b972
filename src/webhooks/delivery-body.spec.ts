import { deliveryBody } from './webhook.processor';

const ID = '330102199001011234';
const row = (agencyId: string, payload: Record<string, unknown>) =>
  ({
    id: 'd1',
    status: 'pending',
    referral_id: 'r1',
    seq: 1,
    url: 'https://example.org/hook',
    secret: 's',
    agency_id: agencyId,
    deleted_at: null,
    type: 'SUBMIT',
    payload,
    occurred_at: new Date('2026-12-01T00:00:00Z'),
    to_state: 'submitted',
    reference_no: '330100-2026-000001',
    source_agency_id: 'source',
    target_before: 'target',
    target_after: 'target',
  }) as Parameters<typeof deliveryBody>[0];

describe('webhook delivery bodies', () => {
  const odd = { suspects: [{ '0': { kind: 'person', name: 'Zhang San', idNumber: ID } }], extra: [[{ idNumber: ID }]] };

  it("mask every ID number for a subscriber outside the transfer's two parties, whatever the payload's shape", () => {
    const body = deliveryBody(row('procuratorate', odd));
    expect(body).not.toContain(ID);
    expect(body).toContain('3301************34');
  });

  it('show them to the source and the target', () => {
    expect(deliveryBody(row('source', odd))).toContain(ID);
    expect(deliveryBody(row('target', odd))).toContain(ID);
  });
});
