-- R-CB-3: the worker who did a closed order, kept with the sample population so a sampled callback
-- still names them, and on the callback itself (dispatch keeps them off their own job's callback).
ALTER TABLE closed_orders ADD COLUMN IF NOT EXISTS worker_id text;
ALTER TABLE callbacks ADD COLUMN IF NOT EXISTS worker_id text;
-- R-SV-3: the scale the policy named for this callback's form; NULL on rows scheduled before it existed.
ALTER TABLE callbacks ADD COLUMN IF NOT EXISTS rating_scale text;
