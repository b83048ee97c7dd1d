/**
 * The warehouse tables, as documented in the README. Every table of loaded rows carries
 * `source_file`, the base name of the file its rows came from, so that a new version of a file can
 * replace exactly the rows of the old one.
 */
export const SCHEMA_VERSION = 2;

/** Which version of these definitions a warehouse file was made with. */
export const META_TABLE = `CREATE TABLE IF NOT EXISTS warehouse_meta (schema_version INTEGER NOT NULL)`;

export const TABLES: Readonly<Record<string, string>> = {
  sources: `
    CREATE TABLE IF NOT EXISTS sources (
      file VARCHAR NOT NULL PRIMARY KEY,  -- base name; a later file of the same name replaces it
      path VARCHAR NOT NULL,              -- the path it was read from
      sha256 VARCHAR NOT NULL,
      format VARCHAR NOT NULL,
      rows INTEGER NOT NULL,              -- rows written to the warehouse from this file
      years INTEGER[] NOT NULL,
      year_origin VARCHAR NOT NULL,       -- 'column', 'title row', 'report banner', 'file name', '--year' or 'format default'
      warnings VARCHAR[] NOT NULL,
      loaded_at TIMESTAMP NOT NULL
    )`,
  achievement: `
    CREATE TABLE IF NOT EXISTS achievement (
      year INTEGER NOT NULL,
      org_code VARCHAR NOT NULL,          -- 8 characters, leading zeros kept; state = 00000000
      org_name VARCHAR NOT NULL,
      org_type VARCHAR NOT NULL,          -- school, district, state
      district_code VARCHAR,
      district_name VARCHAR,
      grade VARCHAR NOT NULL,             -- '03'..'12', '03-08', 'all'
      subject VARCHAR NOT NULL,           -- ELA, MATH, SCI
      student_group VARCHAR NOT NULL,     -- see STUDENT_GROUPS
      n_students INTEGER,
      n_meeting_or_above INTEGER,
      pct_meeting_or_above DOUBLE,        -- 0 to 100, as published
      avg_scaled_score DOUBLE,
      sgp DOUBLE,
      n_included_sgp INTEGER,
      participation_rate DOUBLE,          -- 0 to 100; null where the file leaves it empty
      achievement_percentile DOUBLE,
      source_file VARCHAR NOT NULL,
      cpi DOUBLE,                         -- Composite Performance Index as published (legacy MCAS)
      withheld VARCHAR[] DEFAULT []       -- columns whose cells the file marks as suppressed
    )`,
  achievement_levels: `
    CREATE TABLE IF NOT EXISTS achievement_levels (
      year INTEGER NOT NULL,
      org_code VARCHAR NOT NULL,
      grade VARCHAR NOT NULL,
      subject VARCHAR NOT NULL,
      student_group VARCHAR NOT NULL,
      level VARCHAR NOT NULL,             -- E, M, PM, NM (next generation); A, P, NI, W (legacy)
      n INTEGER,
      pct DOUBLE,                         -- 0 to 100, as published
      source_file VARCHAR NOT NULL,
      withheld BOOLEAN DEFAULT false      -- the file marks this level's figures as suppressed
    )`,
  item_results: `
    CREATE TABLE IF NOT EXISTS item_results (
      year INTEGER NOT NULL,
      org_code VARCHAR NOT NULL,
      org_type VARCHAR NOT NULL,          -- whose results: school or district
      grade VARCHAR NOT NULL,
      subject VARCHAR NOT NULL,
      test VARCHAR NOT NULL,              -- the test, named alike by every format: MATH-05, SCI-PHYSICS
      student_group VARCHAR NOT NULL,
      item VARCHAR NOT NULL,              -- position on that year's form, or an essay trait id
      item_role VARCHAR NOT NULL,         -- item, essay (whole) or essay_trait
      essay VARCHAR,                      -- for an essay or its traits: the essay's item number
      item_type VARCHAR,
      reporting_category VARCHAR,
      standards VARCHAR[] NOT NULL,
      description VARCHAR,
      max_points DOUBLE,
      n_tested INTEGER,                   -- null where the file gives none
      pct_possible_org DOUBLE,            -- 0 to 100
      pct_possible_state DOUBLE,          -- 0 to 100
      diff_published DOUBLE,              -- org minus state, in points, as published
      source_file VARCHAR NOT NULL,
      source_row INTEGER NOT NULL,
      withheld VARCHAR[] DEFAULT [],      -- columns whose cells the file marks as suppressed
      source_test VARCHAR,                -- the file's own name for the test: MG5, Grade 5, ...
      basis VARCHAR DEFAULT 'published'   -- published (an item file) or students (computed)
    )`,
  // Student-level rows. Private: no published page reads these tables; the site's loaders publish
  // only aggregates of them, and only for groups of at least the minimum size.
  private_students: `
    CREATE TABLE IF NOT EXISTS private_students (
      year INTEGER NOT NULL,
      org_code VARCHAR NOT NULL,
      grade VARCHAR NOT NULL,
      subject VARCHAR NOT NULL,
      student_key VARCHAR NOT NULL,       -- the file and row: the files carry no usable id
      attempt VARCHAR,                    -- F (full), P (partial), or what the file says
      raw_score DOUBLE,
      scaled_score DOUBLE,
      performance_level VARCHAR,
      sgp DOUBLE,
      groups VARCHAR[] NOT NULL,          -- student group codes besides 'all'
      points UTINYINT[],                  -- per item of the form (private_student_forms.items),
                                          -- null where the cell is blank; null for a student
                                          -- who does not count (attempt not F or P)
      source_file VARCHAR NOT NULL,
      source_row INTEGER NOT NULL
    )`,
  // The spread of scaled scores per school, grade, subject and student group, computed from the
  // private student rows (counted students with a scaled score): aggregates, published under the
  // same small-group rule as every figure, so that step 1 can give gaps in standard deviations.
  score_spread: `
    CREATE TABLE IF NOT EXISTS score_spread (
      year INTEGER NOT NULL,
      org_code VARCHAR NOT NULL,
      grade VARCHAR NOT NULL,             -- a grade, and 03-08 for grades 3 to 8 together
      subject VARCHAR NOT NULL,
      student_group VARCHAR NOT NULL,
      n INTEGER NOT NULL,
      mean_scaled_score DOUBLE,
      sd_scaled_score DOUBLE,             -- sample standard deviation; null for one student
      source_file VARCHAR NOT NULL
    )`,
  // The items of each year's and grade's form in a student file: the item columns some counted
  // student of that year and grade has points in, in file order ('5' for mitem5, 'IDEA1' for idea1).
  private_student_forms: `
    CREATE TABLE IF NOT EXISTS private_student_forms (
      year INTEGER NOT NULL,
      grade VARCHAR NOT NULL,
      subject VARCHAR NOT NULL,
      items VARCHAR[] NOT NULL,           -- the order of private_students.points
      source_file VARCHAR NOT NULL
    )`,
};

/**
 * Changes that bring a warehouse of an earlier version up to this one; each step is idempotent,
 * and a new warehouse, made with the tables above, passes through them unchanged.
 */
export const MIGRATIONS: Readonly<Record<number, readonly string[]>> = {
  2: [
    "ALTER TABLE achievement ADD COLUMN IF NOT EXISTS cpi DOUBLE",
    "ALTER TABLE achievement ADD COLUMN IF NOT EXISTS withheld VARCHAR[] DEFAULT []",
    "ALTER TABLE achievement_levels ADD COLUMN IF NOT EXISTS withheld BOOLEAN DEFAULT false",
    "ALTER TABLE item_results ADD COLUMN IF NOT EXISTS withheld VARCHAR[] DEFAULT []",
    "ALTER TABLE item_results ADD COLUMN IF NOT EXISTS source_test VARCHAR",
    "ALTER TABLE item_results ADD COLUMN IF NOT EXISTS basis VARCHAR DEFAULT 'published'",
  ],
};

/** Tables whose rows come from files, each with a source_file column. */
export const DATA_TABLES = [
  "achievement",
  "achievement_levels",
  "item_results",
  "private_students",
  "private_student_forms",
] as const;
export type DataTable = (typeof DATA_TABLES)[number];

/**
 * Each counted student's points on each item of the form, one row per student and item: the
 * private tables' points read the long way, for checks and small queries (a statewide file has
 * some 44 million of these rows; the item results are computed from the lists).
 */
export const PRIVATE_STUDENT_ITEMS_VIEW = `
  CREATE OR REPLACE VIEW private_student_items AS
  SELECT s.year, s.org_code, s.grade, s.subject, s.student_key,
         unnest(f.items) AS item, unnest(s.points) AS points, s.source_file
  FROM private_students s
  JOIN private_student_forms f USING (source_file, year, grade, subject)
  WHERE s.points IS NOT NULL`;

/**
 * Organisations known to the warehouse, from the profile files: schools, their districts (code =
 * the first four digits of a school's code followed by 0000) and the state. The newest name wins.
 */
export const ORGANIZATIONS_VIEW = `
  CREATE OR REPLACE VIEW organizations AS
  WITH named AS (
    SELECT org_code, arg_max(org_name, year) AS org_name, arg_max(org_type, year) AS org_type,
           arg_max(district_code, year) AS district_code, arg_max(district_name, year) AS district_name
    FROM achievement
    GROUP BY org_code
  ),
  districts AS (
    SELECT district_code AS org_code, arg_max(district_name, org_code) AS org_name,
           'district' AS org_type, district_code, arg_max(district_name, org_code) AS district_name
    FROM named
    WHERE org_type = 'school' AND district_code IS NOT NULL
      AND district_code NOT IN (SELECT org_code FROM named)
    GROUP BY district_code
  ),
  school_counts AS (
    SELECT district_code, count(*)::INTEGER AS n_schools
    FROM named WHERE org_type = 'school' GROUP BY district_code
  )
  SELECT o.*, coalesce(c.n_schools, 0) AS district_school_count
  FROM (SELECT * FROM named UNION ALL SELECT * FROM districts) o
  LEFT JOIN school_counts c USING (district_code)`;

/**
 * Item formats, most trusted first. Several files may report the same item of the same test for
 * the same organisation (an Edwin workbook, an IT301 export and a statewide report of 2022
 * physics); all are kept as loaded, and the analysis reads one row per item from
 * `item_results_resolved`: published results before results computed from student rows, then by
 * this order, then by file name.
 */
export const ITEM_FORMAT_PRECEDENCE: readonly string[] = [
  "item-analysis-workbook",
  "item-analysis-template",
  "edwin-it301",
  "civics-item-csv",
  "statewide-item-report",
  "student-item-scores",
];

export function itemResultsResolvedView(): string {
  const rank = ITEM_FORMAT_PRECEDENCE.map((format, index) => `WHEN '${format}' THEN ${index}`);
  return `
  CREATE OR REPLACE VIEW item_results_resolved AS
  SELECT * EXCLUDE (precedence) FROM (
    SELECT i.*, row_number() OVER (
             PARTITION BY i.year, i.org_code, i.test, i.student_group, i.item
             ORDER BY CASE i.basis WHEN 'published' THEN 0 ELSE 1 END,
                      CASE s.format ${rank.join(" ")} ELSE 99 END,
                      i.source_file) AS precedence
    FROM item_results i
    LEFT JOIN sources s ON s.file = i.source_file
  ) WHERE precedence = 1`;
}
