-- Trust, second pass: the same changes as SQLite's V014__trust.sql (see there for why).
ALTER TABLE outbox ADD COLUMN sealed_token TEXT;
UPDATE outbox SET body = E'Bonjour,\n\nCe lien de confirmation a été retiré. '
    'Demandez-en un nouveau depuis votre compte.'
    WHERE kind = 'account_verification';

ALTER TABLE accounts ADD COLUMN rights_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE console_sessions ADD COLUMN rights_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE webhooks ADD COLUMN rights_version BIGINT NOT NULL DEFAULT 1;

ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
    CHECK (status IN ('pending', 'delivered', 'failed', 'skipped'));

CREATE TABLE mail_suppressions (
    event_id   BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    email      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, email)
);

CREATE FUNCTION webhook_skipped_disables() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE webhooks SET status = 'disabled' WHERE id = NEW.webhook_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER webhook_skipped_disables AFTER INSERT ON webhook_deliveries
    FOR EACH ROW WHEN (NEW.status = 'skipped') EXECUTE FUNCTION webhook_skipped_disables();
