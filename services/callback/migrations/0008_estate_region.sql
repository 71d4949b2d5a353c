-- R-CB-2: the estate's region (区域 / city) from intake's registry events, beside its calendar.
ALTER TABLE estates ADD COLUMN IF NOT EXISTS region text;
