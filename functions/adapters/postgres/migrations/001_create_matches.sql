-- Matches fetched from the game API: details and timeline as JSONB, one row per match.
-- A finished match never changes upstream, so a row is written once (see match-store.ts).
CREATE TABLE matches (
  match_id   text PRIMARY KEY,
  region     text NOT NULL,
  routing    text NOT NULL CHECK (routing IN ('americas', 'europe', 'asia', 'sea')),
  details    jsonb NOT NULL,
  timeline   jsonb NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);
