-- The webhook deliveries that failed after their last attempt, for the admins' list of failed
-- notifications: a partial index, which holds only those.
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (id) WHERE status = 'failed';
