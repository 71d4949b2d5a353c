-- The roll-up is recounted once per estate-month per transaction (one consumer poll), at commit,
-- instead of after every run of events: a poll of a thousand events touches a few hundred
-- estate-months many times over. Recounting from the facts (never incrementing) stays the rule, so
-- redelivery, late events and a replay from the start of the log give the same rows.
--
--   1. a fact row's month follows its deciding instant (BEFORE trigger), whatever wrote it;
--   2. every change of a counted fact marks the month it left and the month it is in (pending_months);
--   3. at commit, a deferred constraint trigger recounts the marked months, then their quarters.
-- Quarters (estate_quarter_kpis) are sums of their months and years (estate_year_kpis) sums of their
-- quarters, so a two-year group roll-up reads two rows per estate instead of twenty-four.

-- 1. months ----------------------------------------------------------------------------------------
-- a callback belongs to the month it is owed in (due_at); a late completion updates that month
-- (the hot path: an update that leaves the deciding instant as it was keeps its month; setting month to
-- NULL forces the recomputation, which is how a zone change moves a callback)
CREATE FUNCTION reporting_month_of_callback() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.month IS NOT NULL
       AND COALESCE(NEW.due_at, NEW.completed_at, NEW.failed_at, NEW.overdue_at, NEW.first_attempt_at, NEW.seen_at)
           = COALESCE(OLD.due_at, OLD.completed_at, OLD.failed_at, OLD.overdue_at, OLD.first_attempt_at, OLD.seen_at)
    THEN
        RETURN NEW;
    END IF;
    NEW.month := reporting_month(COALESCE(NEW.due_at, NEW.completed_at, NEW.failed_at, NEW.overdue_at,
                                          NEW.first_attempt_at, NEW.seen_at), NEW.group_id, NEW.estate_id);
    RETURN NEW;
END $$;
CREATE TRIGGER callbacks_month BEFORE INSERT OR UPDATE ON callbacks
    FOR EACH ROW EXECUTE FUNCTION reporting_month_of_callback();

CREATE FUNCTION reporting_month_of_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.month := reporting_month(NEW.closed_at, NEW.group_id, NEW.estate_id);
    RETURN NEW;
END $$;
CREATE TRIGGER sources_month BEFORE INSERT OR UPDATE ON sources
    FOR EACH ROW EXECUTE FUNCTION reporting_month_of_source();

CREATE FUNCTION reporting_month_of_complaint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.month := reporting_month(COALESCE(NEW.received_at, NEW.resolved_at), NEW.group_id, NEW.estate_id);
    RETURN NEW;
END $$;
CREATE TRIGGER complaints_month BEFORE INSERT OR UPDATE ON complaints
    FOR EACH ROW EXECUTE FUNCTION reporting_month_of_complaint();

CREATE FUNCTION reporting_month_of_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.month := reporting_month(NEW.opens_at, NEW.group_id, NEW.estate_id);
    RETURN NEW;
END $$;
CREATE TRIGGER campaigns_month BEFORE INSERT OR UPDATE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION reporting_month_of_campaign();

-- questionnaires count in their campaign's month (R-SV-4 per campaign)
CREATE FUNCTION reporting_month_of_questionnaire() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.month := reporting_month(COALESCE(
        (SELECT c.opens_at FROM campaigns c WHERE c.group_id = NEW.group_id AND c.estate_id = NEW.estate_id
           AND c.campaign_id = NEW.campaign_id), NEW.returned_at), NEW.group_id, NEW.estate_id);
    RETURN NEW;
END $$;
CREATE TRIGGER questionnaires_month BEFORE INSERT OR UPDATE ON questionnaires
    FOR EACH ROW EXECUTE FUNCTION reporting_month_of_questionnaire();

-- 2. marks -----------------------------------------------------------------------------------------
-- Empty outside a transaction: what is marked is recounted and removed before the commit completes.
CREATE TABLE pending_months (
    group_id  text NOT NULL,
    estate_id text NOT NULL,
    month     text NOT NULL,
    PRIMARY KEY (group_id, estate_id, month)
);

-- One insert of marks per statement (statement triggers over the rows it changed), so a run of a
-- thousand callbacks written by one statement marks its months in one go.
CREATE FUNCTION reporting_mark_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pending_months SELECT DISTINCT group_id, estate_id, month FROM new_rows WHERE month IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION reporting_mark_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pending_months SELECT DISTINCT group_id, estate_id, month FROM old_rows WHERE month IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
-- a fact that moved month marks the month it left and the one it joined
CREATE FUNCTION reporting_mark_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pending_months
    SELECT group_id, estate_id, month FROM old_rows WHERE month IS NOT NULL
    UNION SELECT group_id, estate_id, month FROM new_rows WHERE month IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- the tables the roll-up counts (sources and the rest only feed the summaries)
CREATE TRIGGER callbacks_mark_insert AFTER INSERT ON callbacks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_new();
CREATE TRIGGER callbacks_mark_update AFTER UPDATE ON callbacks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_both();
CREATE TRIGGER callbacks_mark_delete AFTER DELETE ON callbacks REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_old();

CREATE TRIGGER questionnaires_mark_insert AFTER INSERT ON questionnaires REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_new();
CREATE TRIGGER questionnaires_mark_update AFTER UPDATE ON questionnaires REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_both();
CREATE TRIGGER questionnaires_mark_delete AFTER DELETE ON questionnaires REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_old();

CREATE TRIGGER campaigns_mark_insert AFTER INSERT ON campaigns REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_new();
CREATE TRIGGER campaigns_mark_update AFTER UPDATE ON campaigns REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_both();
CREATE TRIGGER campaigns_mark_delete AFTER DELETE ON campaigns REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_old();

CREATE TRIGGER complaints_mark_insert AFTER INSERT ON complaints REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_new();
CREATE TRIGGER complaints_mark_update AFTER UPDATE ON complaints REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_both();
CREATE TRIGGER complaints_mark_delete AFTER DELETE ON complaints REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_mark_old();

-- 3. recount ---------------------------------------------------------------------------------------
CREATE TABLE estate_quarter_kpis (LIKE estate_month_kpis);
ALTER TABLE estate_quarter_kpis RENAME COLUMN month TO quarter;
ALTER TABLE estate_quarter_kpis ADD PRIMARY KEY (group_id, quarter, estate_id);
CREATE TABLE estate_year_kpis (LIKE estate_month_kpis);
ALTER TABLE estate_year_kpis RENAME COLUMN month TO year;
ALTER TABLE estate_year_kpis ADD PRIMARY KEY (group_id, year, estate_id);

-- 'YYYY-MM' → 'YYYY-Qn'
CREATE FUNCTION reporting_quarter(month text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT left(month, 4) || '-Q' || ((substr(month, 6, 2)::int + 2) / 3)::text
$$;

-- 'YYYY-MM' → the three months of its quarter
CREATE FUNCTION reporting_quarter_months(month text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY(SELECT left(month, 4) || '-' || lpad((((substr(month, 6, 2)::int - 1) / 3) * 3 + i)::text, 2, '0')
                 FROM generate_series(1, 3) AS i)
$$;

-- 'YYYY-MM' → the four quarters of its year
CREATE FUNCTION reporting_year_quarters(month text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY(SELECT left(month, 4) || '-Q' || i::text FROM generate_series(1, 4) AS i)
$$;

-- Recount these estate-months from the facts (rows with no facts left disappear), then their quarters
-- and years.
-- Rows are written in key order, so concurrent recounts lock them in one order.
CREATE FUNCTION reporting_recount(groups text[], estates text[], months text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Two consumers (two instances, two topics of one estate) may recount one estate-month at once:
    -- one waits for the other, then counts with a fresh snapshot that holds the other's facts, so
    -- neither overwrites the other with an older count. Taken in lock-id order: no deadlock.
    PERFORM pg_advisory_xact_lock(k.lock_id)
    FROM (SELECT DISTINCT hashtextextended(k.g || '/' || k.e || '/' || k.m, 0) AS lock_id
          FROM unnest(groups, estates, months) AS k(g, e, m) ORDER BY 1) k;

    DELETE FROM estate_month_kpis t USING unnest(groups, estates, months) AS k(group_id, estate_id, month)
    WHERE t.group_id = k.group_id AND t.estate_id = k.estate_id AND t.month = k.month;
    INSERT INTO estate_month_kpis
    WITH recount_keys AS (
        SELECT DISTINCT * FROM unnest(groups, estates, months) AS k(group_id, estate_id, month)
    ), cb AS (
        SELECT c.group_id, c.estate_id, c.month,
               count(*) FILTER (WHERE due_at IS NOT NULL) AS required,
               count(*) FILTER (WHERE due_at IS NOT NULL AND completed_at IS NOT NULL) AS required_done,
               count(*) FILTER (WHERE completed_at IS NOT NULL) AS completed,
               count(*) FILTER (WHERE completed_at IS NOT NULL AND satisfied_or_fair) AS satisfied,
               count(*) FILTER (WHERE completed_at IS NOT NULL AND NOT late) AS on_time,
               count(*) FILTER (WHERE completed_at IS NULL AND failed_at IS NOT NULL) AS failed,
               count(*) FILTER (WHERE overdue_at IS NOT NULL) AS overdue,
               count(*) FILTER (WHERE completed_at IS NOT NULL AND kind = 'complaint') AS complaint_cb,
               count(*) FILTER (WHERE completed_at IS NOT NULL AND kind = 'complaint' AND satisfied_or_fair)
                   AS complaint_cb_satisfied
        FROM callbacks c JOIN recount_keys k USING (group_id, estate_id, month)
        GROUP BY 1, 2, 3
    ), q AS (
        SELECT q.group_id, q.estate_id, q.month, count(*) AS returned,
               count(*) FILTER (WHERE (q.answers -> 'overall' ->> 'ok')::boolean) AS overall_satisfied
        FROM questionnaires q JOIN recount_keys k USING (group_id, estate_id, month)
        GROUP BY 1, 2, 3
    ), camp AS (
        SELECT c.group_id, c.estate_id, c.month, sum(c.issued_count) AS issued,
               sum(CASE WHEN c.closed THEN c.returned_count ELSE (
                   SELECT count(*) FROM questionnaires x WHERE x.group_id = c.group_id
                     AND x.estate_id = c.estate_id AND x.campaign_id = c.campaign_id) END) AS returned
        FROM campaigns c JOIN recount_keys k USING (group_id, estate_id, month)
        GROUP BY 1, 2, 3
    ), cp AS (
        SELECT c.group_id, c.estate_id, c.month, count(*) AS received,
               count(*) FILTER (WHERE grade = 'general') AS general,
               count(*) FILTER (WHERE grade = 'important') AS important,
               count(*) FILTER (WHERE grade = 'major') AS major,
               count(*) FILTER (WHERE validity = 'valid') AS valid,
               count(*) FILTER (WHERE validity = 'coordination') AS coordination,
               count(*) FILTER (WHERE validity = 'invalid') AS invalid
        FROM complaints c JOIN recount_keys k USING (group_id, estate_id, month)
        GROUP BY 1, 2, 3
    )
    SELECT k.group_id, k.estate_id, k.month,
           COALESCE(cb.required, 0), COALESCE(cb.required_done, 0), COALESCE(cb.completed, 0),
           COALESCE(cb.satisfied, 0), COALESCE(cb.on_time, 0), COALESCE(cb.failed, 0), COALESCE(cb.overdue, 0),
           COALESCE(cb.complaint_cb, 0), COALESCE(cb.complaint_cb_satisfied, 0),
           COALESCE(q.returned, 0), COALESCE(q.overall_satisfied, 0),
           COALESCE(camp.issued, 0), COALESCE(camp.returned, 0),
           COALESCE(cp.received, 0), COALESCE(cp.general, 0), COALESCE(cp.important, 0), COALESCE(cp.major, 0),
           COALESCE(cp.valid, 0), COALESCE(cp.coordination, 0), COALESCE(cp.invalid, 0)
    FROM recount_keys k
    LEFT JOIN cb USING (group_id, estate_id, month)
    LEFT JOIN q USING (group_id, estate_id, month)
    LEFT JOIN camp USING (group_id, estate_id, month)
    LEFT JOIN cp USING (group_id, estate_id, month)
    WHERE cb.month IS NOT NULL OR q.month IS NOT NULL OR camp.month IS NOT NULL OR cp.month IS NOT NULL
    ORDER BY 1, 2, 3;

    -- the quarters of those months: the sum of their (up to three) months
    DELETE FROM estate_quarter_kpis t USING (SELECT DISTINCT k.g, k.e, reporting_quarter(k.m) AS quarter
                                              FROM unnest(groups, estates, months) AS k(g, e, m)) k
    WHERE t.group_id = k.g AND t.estate_id = k.e AND t.quarter = k.quarter;
    INSERT INTO estate_quarter_kpis
    SELECT t.group_id, t.estate_id, reporting_quarter(t.month),
           sum(callbacks_required), sum(callbacks_required_done), sum(callbacks_completed), sum(callbacks_satisfied),
           sum(callbacks_on_time), sum(callbacks_failed), sum(callbacks_overdue), sum(complaint_callbacks),
           sum(complaint_callbacks_satisfied), sum(questionnaires_returned), sum(overall_satisfied), sum(campaign_issued),
           sum(campaign_returned), sum(complaints_received), sum(complaints_general), sum(complaints_important),
           sum(complaints_major), sum(complaints_valid), sum(complaints_coordination), sum(complaints_invalid)
    FROM (SELECT DISTINCT k.g, k.e, reporting_quarter_months(k.m) AS q FROM unnest(groups, estates, months) AS k(g, e, m)) k
    JOIN estate_month_kpis t ON t.group_id = k.g AND t.month = ANY(k.q) AND t.estate_id = k.e
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3;

    -- and their years: the sum of their (up to four) quarters
    DELETE FROM estate_year_kpis t USING (SELECT DISTINCT k.g, k.e, left(k.m, 4) AS year
                                           FROM unnest(groups, estates, months) AS k(g, e, m)) k
    WHERE t.group_id = k.g AND t.estate_id = k.e AND t.year = k.year;
    INSERT INTO estate_year_kpis
    SELECT t.group_id, t.estate_id, left(t.quarter, 4),
           sum(callbacks_required), sum(callbacks_required_done), sum(callbacks_completed), sum(callbacks_satisfied),
           sum(callbacks_on_time), sum(callbacks_failed), sum(callbacks_overdue), sum(complaint_callbacks),
           sum(complaint_callbacks_satisfied), sum(questionnaires_returned), sum(overall_satisfied), sum(campaign_issued),
           sum(campaign_returned), sum(complaints_received), sum(complaints_general), sum(complaints_important),
           sum(complaints_major), sum(complaints_valid), sum(complaints_coordination), sum(complaints_invalid)
    FROM (SELECT DISTINCT k.g, k.e, reporting_year_quarters(k.m) AS q FROM unnest(groups, estates, months) AS k(g, e, m)) k
    JOIN estate_quarter_kpis t ON t.group_id = k.g AND t.quarter = ANY(k.q) AND t.estate_id = k.e
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3;
END $$;

-- At commit: recount everything marked in this transaction, once. The trigger fires once per marked
-- row; the first firing takes them all, the others find their row gone and return.
CREATE FUNCTION reporting_recount_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    g text[];
    e text[];
    m text[];
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pending_months p WHERE p.group_id = NEW.group_id AND p.estate_id = NEW.estate_id
                   AND p.month = NEW.month) THEN
        RETURN NULL;
    END IF;
    WITH taken AS (DELETE FROM pending_months RETURNING *)
    SELECT array_agg(group_id), array_agg(estate_id), array_agg(month) INTO g, e, m FROM taken;
    PERFORM reporting_recount(g, e, m);
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER pending_months_recount AFTER INSERT ON pending_months
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reporting_recount_pending();

-- quarters of the months already counted
INSERT INTO estate_quarter_kpis
SELECT group_id, estate_id, reporting_quarter(month),
       sum(callbacks_required), sum(callbacks_required_done), sum(callbacks_completed), sum(callbacks_satisfied),
       sum(callbacks_on_time), sum(callbacks_failed), sum(callbacks_overdue), sum(complaint_callbacks),
       sum(complaint_callbacks_satisfied), sum(questionnaires_returned), sum(overall_satisfied), sum(campaign_issued),
       sum(campaign_returned), sum(complaints_received), sum(complaints_general), sum(complaints_important),
       sum(complaints_major), sum(complaints_valid), sum(complaints_coordination), sum(complaints_invalid)
FROM estate_month_kpis GROUP BY 1, 2, 3;

-- and years of those quarters
INSERT INTO estate_year_kpis
SELECT group_id, estate_id, left(quarter, 4),
       sum(callbacks_required), sum(callbacks_required_done), sum(callbacks_completed), sum(callbacks_satisfied),
       sum(callbacks_on_time), sum(callbacks_failed), sum(callbacks_overdue), sum(complaint_callbacks),
       sum(complaint_callbacks_satisfied), sum(questionnaires_returned), sum(overall_satisfied), sum(campaign_issued),
       sum(campaign_returned), sum(complaints_received), sum(complaints_general), sum(complaints_important),
       sum(complaints_major), sum(complaints_valid), sum(complaints_coordination), sum(complaints_invalid)
FROM estate_quarter_kpis GROUP BY 1, 2, 3;
