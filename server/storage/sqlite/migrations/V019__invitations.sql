-- Single-use links sent to an account's address now serve two purposes: proving the address (a
-- sign-up's verification) and choosing a new password.
ALTER TABLE verification_tokens ADD COLUMN purpose TEXT NOT NULL DEFAULT 'email'
    CHECK (purpose IN ('email', 'password_reset'));

-- Invitations to make an account with a role (an admin's), or to co-organize an event (its
-- organizers'). Only the digest of the link's token is kept; an accepted invitation is deleted,
-- as is one to an event that is deleted.
CREATE TABLE account_invitations (
    id           INTEGER PRIMARY KEY,
    digest       TEXT    NOT NULL UNIQUE,
    email        TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('participant', 'organizer', 'jury', 'admin')),
    event_id     INTEGER REFERENCES events (id) ON DELETE CASCADE,
    invited_by   INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX invitations_by_email ON account_invitations (email, id);
CREATE INDEX invitations_by_inviter ON account_invitations (invited_by, id);
CREATE INDEX invitations_by_event ON account_invitations (event_id);
