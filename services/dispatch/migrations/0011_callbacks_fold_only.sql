-- The callbacks table is a fold of the assignment streams: every column comes from the events. Its
-- `updated_at` was the time a row was last written, which a rebuild cannot give back and nothing reads.
ALTER TABLE callbacks DROP COLUMN IF EXISTS updated_at;
