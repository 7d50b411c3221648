-- patvers fravaer screen written as SQL, for the benchmark: the same
-- criteria over the table `raw` that `.import` made from gen's output
-- (2025/26, fallback calendar: Monday–Friday minus public holidays,
-- --as-of 2026-06-19, the default thresholds). One simplification, in
-- SQL's favour: the 20 % window is tested on dates with a registration
-- only, not on every school day. Prints the number of flagged pupils.
PRAGMA temp_store = MEMORY;

CREATE TABLE holiday (d TEXT PRIMARY KEY);
INSERT INTO holiday VALUES ('2025-12-25'), ('2025-12-26'), ('2026-01-01'),
  ('2026-04-02'), ('2026-04-03'), ('2026-04-05'), ('2026-04-06'),
  ('2026-05-01'), ('2026-05-14'), ('2026-05-17'), ('2026-05-24'),
  ('2026-05-25');

CREATE TABLE reg AS
SELECT skole, elev,
       substr(dato, 7, 4) || '-' || substr(dato, 4, 2) || '-' || substr(dato, 1, 2) AS d,
       lower(type) AS t, minutter AS m, lower(dokumentert) AS doc, lower("årsak") AS why
FROM raw;

-- one row per pupil and school day, capped at a day (360 minutes)
CREATE TABLE day AS
SELECT skole, elev, julianday(d) AS j,
  min(360, sum(CASE WHEN m <> '' THEN CAST(m AS INTEGER)
                    WHEN t IN ('fravær', 'fravaer', 'absent') THEN 360 ELSE 0 END)) AS alld,
  min(360, sum(CASE WHEN why IN ('sykdom', 'syk', 'illness') THEN 0
                    WHEN m <> '' THEN CAST(m AS INTEGER)
                    WHEN t IN ('fravær', 'fravaer', 'absent') THEN 360 ELSE 0 END)) AS other,
  max(t IN ('fravær', 'fravaer', 'absent') AND doc NOT IN ('ja', 'yes', '1', 'true')) AS undoc,
  max(t IN ('forsent', 'forsentkomming', 'late')) AS late,
  max(t IN ('forlot', 'gått', 'left')) AS lft
FROM reg
WHERE d BETWEEN '2025-08-01' AND '2026-06-19'
  AND strftime('%w', d) NOT IN ('0', '6')
  AND d NOT IN (SELECT d FROM holiday)
GROUP BY skole, elev, d;

-- school days counted up to each date, for S
CREATE TABLE cal AS
WITH RECURSIVE c(d) AS (
  SELECT '2025-08-01' UNION ALL SELECT date(d, '+1 day') FROM c WHERE d < '2026-06-19')
SELECT julianday(d) AS j,
       (strftime('%w', d) NOT IN ('0', '6') AND d NOT IN (SELECT d FROM holiday)) AS open
FROM c;
CREATE TABLE calc AS SELECT j, open, sum(open) OVER (ORDER BY j) AS upto FROM cal;

-- 28-day windows ending on each registered date
CREATE TABLE win AS
SELECT skole, elev, j, sum(late) OVER w AS late28, sum(other) OVER w AS a28
FROM day
WINDOW w AS (PARTITION BY skole, elev ORDER BY j
             RANGE BETWEEN 27 PRECEDING AND CURRENT ROW);

SELECT count(*) AS flagged FROM (
  SELECT skole, elev FROM day GROUP BY skole, elev
  HAVING sum(undoc) >= 3 OR sum(alld) >= 3600 OR sum(lft) >= 2
  UNION
  SELECT skole, elev FROM win WHERE late28 >= 3
  UNION
  SELECT w.skole, w.elev FROM win w
  JOIN calc c ON c.j = w.j
  JOIN calc lo ON lo.j = max(w.j - 27, julianday('2025-08-01'))
  WHERE c.upto - lo.upto + lo.open >= 10
    AND w.a28 * 100 >= 20 * (c.upto - lo.upto + lo.open) * 360
);
