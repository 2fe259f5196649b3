-- The login and sign-up throttles' counting windows, shared by the instances on this database
-- (domain/accounts/login_throttle.hpp). `key` is the throttle's key in hexadecimal (it holds an
-- email and a client address, joined by a NUL). A window is deleted once it has ended.
CREATE TABLE throttle_windows (
    key        TEXT    PRIMARY KEY,
    failures   INTEGER NOT NULL CHECK (failures > 0),
    started_at BIGINT  NOT NULL
);
CREATE INDEX throttle_windows_started ON throttle_windows (started_at);
