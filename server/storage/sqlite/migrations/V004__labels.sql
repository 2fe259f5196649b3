-- The "Territoires innovants" label: campaigns, their categories and criteria, candidacies,
-- reviews with their scores, and awards (revoked ones are kept).

CREATE TABLE label_campaigns (
    id                  INTEGER PRIMARY KEY,
    year                INTEGER NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    candidacy_opens_at  INTEGER NOT NULL,
    candidacy_closes_at INTEGER NOT NULL,
    final_event_id      INTEGER REFERENCES events (id) ON DELETE SET NULL,
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'awarded')),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;

CREATE TABLE label_categories (
    campaign_id INTEGER NOT NULL REFERENCES label_campaigns (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    PRIMARY KEY (campaign_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE label_criteria (
    campaign_id INTEGER NOT NULL REFERENCES label_campaigns (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    weight      REAL    NOT NULL CHECK (weight > 0),
    eliminatory INTEGER NOT NULL,
    threshold   REAL    NOT NULL,
    PRIMARY KEY (campaign_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE label_candidacies (
    id                    INTEGER PRIMARY KEY,
    campaign_id           INTEGER NOT NULL REFERENCES label_campaigns (id),
    territory_id          INTEGER NOT NULL REFERENCES territories (id),
    category              TEXT    NOT NULL,
    initiative_title      TEXT    NOT NULL,
    summary               TEXT    NOT NULL DEFAULT '',
    links                 TEXT    NOT NULL DEFAULT '', -- one URL per line
    presented_at_event_id INTEGER REFERENCES events (id) ON DELETE SET NULL,
    status                TEXT    NOT NULL CHECK (status IN ('submitted', 'withdrawn', 'shortlisted',
                                                         'eliminated', 'awarded', 'not_awarded')),
    submitted_by          INTEGER NOT NULL, -- an account id; the record outlives the account
    submitted_at          INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) STRICT;
-- One active candidacy per territory, category and campaign.
CREATE UNIQUE INDEX candidacies_active ON label_candidacies (campaign_id, territory_id, category)
    WHERE status <> 'withdrawn';
CREATE INDEX candidacies_by_campaign ON label_candidacies (campaign_id, category, id);

CREATE TABLE label_reviews (
    id           INTEGER PRIMARY KEY,
    candidacy_id INTEGER NOT NULL REFERENCES label_candidacies (id) ON DELETE CASCADE,
    reviewer_id  INTEGER NOT NULL,
    comment      TEXT,
    created_at   INTEGER NOT NULL,
    UNIQUE (candidacy_id, reviewer_id)
) STRICT;

CREATE TABLE label_scores (
    review_id INTEGER NOT NULL REFERENCES label_reviews (id) ON DELETE CASCADE,
    criterion TEXT    NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 5),
    PRIMARY KEY (review_id, criterion)
) STRICT, WITHOUT ROWID;

CREATE TABLE label_awards (
    id                INTEGER PRIMARY KEY,
    campaign_id       INTEGER NOT NULL REFERENCES label_campaigns (id),
    candidacy_id      INTEGER NOT NULL REFERENCES label_candidacies (id),
    territory_id      INTEGER NOT NULL REFERENCES territories (id),
    category          TEXT    NOT NULL,
    level             TEXT    NOT NULL CHECK (level IN ('bronze', 'argent', 'or')),
    citation          TEXT,
    awarded_at        INTEGER NOT NULL,
    revoked_at        INTEGER,
    revocation_reason TEXT
) STRICT;
-- At most one active award per candidacy.
CREATE UNIQUE INDEX awards_active ON label_awards (candidacy_id) WHERE revoked_at IS NULL;
CREATE INDEX awards_by_campaign ON label_awards (campaign_id, revoked_at);
