import { MigrationInterface, QueryRunner } from 'typeorm';

// Messages between agencies: the notification inbox and webhook subscriptions with their deliveries.
export class MessagesSchema1764500000000 implements MigrationInterface {
  name = 'MessagesSchema1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        referral_id uuid REFERENCES referrals(id),
        type text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        dedupe_key text NOT NULL UNIQUE, -- a job run twice writes one row
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_agency_created ON notifications (agency_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notifications_agency_unread ON notifications (agency_id, created_at DESC) WHERE read_at IS NULL`);

    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        url text NOT NULL,
        event_types text[] NOT NULL,
        secret text NOT NULL, -- needed to sign; shown to the client once
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE INDEX webhook_subscriptions_agency ON webhook_subscriptions (agency_id) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id),
        referral_id uuid NOT NULL REFERENCES referrals(id),
        seq int NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        last_status_code int,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, referral_id, seq)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS webhook_subscriptions`);
    await q.query(`DROP TABLE IF EXISTS notifications`);
  }
}
