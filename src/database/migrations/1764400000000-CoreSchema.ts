import { MigrationInterface, QueryRunner } from 'typeorm';

// The core referral schema: directory, referrals with their machine snapshot,
// the append-only timeline, deadlines, rectification tasks, outbox, calendars
// and idempotency keys.
export class CoreSchema1764400000000 implements MigrationInterface {
  name = 'CoreSchema1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('regulator', 'police', 'procuratorate', 'supervisor')),
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        parent_id uuid REFERENCES agencies(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agencies_kind_region ON agencies (kind, region_code text_pattern_ops)`);
    // A region code covers the codes that start with its prefix: 000000 the nation,
    // xx0000 a province, xxxx00 a prefecture, anything else only itself.
    await q.query(`
      CREATE FUNCTION region_prefix(code text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN code = '000000' THEN ''
          WHEN right(code, 4) = '0000' THEN left(code, 2)
          WHEN right(code, 2) = '00' THEN left(code, 4)
          ELSE code END
      $$`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        roles text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE reference_counters (
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        year int NOT NULL,
        last_value int NOT NULL,
        PRIMARY KEY (region_code, year)
      )`);

    await q.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY,
        reference_no text NOT NULL UNIQUE,
        source_agency_id uuid NOT NULL REFERENCES agencies(id),
        target_agency_id uuid NOT NULL REFERENCES agencies(id),
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        domain text NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        suspects jsonb NOT NULL,
        amount_involved numeric(16, 2),
        offence text,
        legal_basis text,
        campaign text,
        external_ref text,
        state text NOT NULL,
        state_detail text NOT NULL,
        outcome text,
        flags text[] NOT NULL DEFAULT '{}',
        version int NOT NULL,
        machine_version text NOT NULL,
        snapshot jsonb NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX referrals_source_created ON referrals (source_agency_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX referrals_target_created ON referrals (target_agency_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX referrals_region_created ON referrals (region_code text_pattern_ops, created_at DESC)`);
    await q.query(`CREATE INDEX referrals_created ON referrals (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX referrals_state ON referrals (state)`);
    await q.query(`CREATE INDEX referrals_campaign ON referrals (campaign) WHERE campaign IS NOT NULL`);

    await q.query(`
      CREATE TABLE referral_events (
        id bigserial PRIMARY KEY,
        referral_id uuid NOT NULL REFERENCES referrals(id),
        seq int NOT NULL,
        type text NOT NULL,
        actor_user_id uuid,
        actor_agency_id uuid,
        actor_system boolean NOT NULL,
        from_state text,
        to_state text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        UNIQUE (referral_id, seq)
      )`);
    // The timeline is evidence: the application can append to it, never rewrite it.
    await q.query(`
      CREATE FUNCTION referral_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'referral_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER referral_events_no_update_delete BEFORE UPDATE OR DELETE ON referral_events
      FOR EACH ROW EXECUTE FUNCTION referral_events_append_only()`);
    await q.query(`
      CREATE TRIGGER referral_events_no_truncate BEFORE TRUNCATE ON referral_events
      FOR EACH STATEMENT EXECUTE FUNCTION referral_events_append_only()`);

    await q.query(`
      CREATE TABLE rectification_tasks (
        id uuid PRIMARY KEY,
        referral_id uuid NOT NULL REFERENCES referrals(id),
        agency_id uuid NOT NULL REFERENCES agencies(id),
        description text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'done')),
        completed_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rectification_tasks_referral ON rectification_tasks (referral_id)`);
    await q.query(`CREATE INDEX rectification_tasks_agency ON rectification_tasks (agency_id, referral_id)`);

    await q.query(`
      CREATE TABLE deadlines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referrals(id),
        kind text NOT NULL,
        task_id uuid REFERENCES rectification_tasks(id),
        responsible_agency_id uuid NOT NULL REFERENCES agencies(id),
        legal_basis text NOT NULL,
        period_unit text,
        period_length int,
        starts_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        remind_at timestamptz,
        reminded_at timestamptz,
        calendar_incomplete boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('pending', 'met', 'breached', 'paused', 'cancelled')),
        paused_at timestamptz,
        paused_ms bigint NOT NULL DEFAULT 0, -- time spent paused so far; due = counted due + paused_ms
        breached_at timestamptz,
        resolved_at timestamptz,
        escalation_level int NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX deadlines_referral ON deadlines (referral_id)`);
    await q.query(`CREATE INDEX deadlines_open_due ON deadlines (due_at) WHERE status IN ('pending', 'breached')`);
    // At most one live deadline of a kind per referral (per task for rectification).
    await q.query(`
      CREATE UNIQUE INDEX deadlines_one_live_per_kind ON deadlines (referral_id, kind, coalesce(task_id, '00000000-0000-0000-0000-000000000000'))
      WHERE status IN ('pending', 'paused')`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        dedupe_key text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_undispatched ON outbox (available_at, id) WHERE dispatched_at IS NULL`);

    await q.query(`
      CREATE TABLE calendars (
        year int PRIMARY KEY,
        holidays text[] NOT NULL, -- ISO dates, validated by the app
        workdays text[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users(id),
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'calendars',
      'outbox',
      'deadlines',
      'rectification_tasks',
      'referral_events',
      'referrals',
      'reference_counters',
      'users',
      'agencies',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS referral_events_append_only()`);
    await q.query(`DROP FUNCTION IF EXISTS region_prefix(text)`);
  }
}
