import type { Workbook } from "exceljs";
import type { Log } from "../../log.ts";
import type { Warehouse } from "../../warehouse/db.ts";
import type { DataTable } from "../../warehouse/schema.ts";
import type { OrgDirectory } from "../orgs.ts";

/** One row of the achievement table; see loaders/warehouse/schema.ts. */
export interface AchievementRow {
  year: number;
  org_code: string;
  org_name: string;
  org_type: "school" | "district" | "state";
  district_code: string | null;
  district_name: string | null;
  grade: string;
  subject: string;
  student_group: string;
  n_students: number | null;
  n_meeting_or_above: number | null;
  pct_meeting_or_above: number | null;
  avg_scaled_score: number | null;
  sgp: number | null;
  n_included_sgp: number | null;
  participation_rate: number | null;
  achievement_percentile: number | null;
  source_file: string;
  /** Composite Performance Index as published (legacy MCAS); null for next-generation results. */
  cpi: number | null;
  /** Columns whose cells the file marks as suppressed ("*", "Insufficient data"). */
  withheld: string[];
}

export interface LevelRow {
  year: number;
  org_code: string;
  grade: string;
  subject: string;
  student_group: string;
  level: string;
  n: number | null;
  pct: number | null;
  source_file: string;
  /** The file marks this level's count and percent as suppressed. */
  withheld: boolean;
}

export interface ItemRow {
  year: number;
  org_code: string;
  org_type: "school" | "district";
  grade: string;
  subject: string;
  test: string;
  student_group: string;
  item: string;
  item_role: "item" | "essay" | "essay_trait";
  essay: string | null;
  item_type: string | null;
  reporting_category: string | null;
  standards: string[];
  description: string | null;
  max_points: number | null;
  n_tested: number | null;
  pct_possible_org: number | null;
  pct_possible_state: number | null;
  diff_published: number | null;
  source_file: string;
  source_row: number;
  withheld: string[];
  /** The file's own name for the test (a sheet name such as MG5); `test` is the shared name. */
  source_test: string | null;
  basis: "published" | "students";
}

/** One student's result in one subject. Private: see private_students in the schema. */
export interface StudentRow {
  year: number;
  org_code: string;
  grade: string;
  subject: string;
  student_key: string;
  attempt: string | null;
  raw_score: number | null;
  scaled_score: number | null;
  performance_level: string | null;
  sgp: number | null;
  groups: string[];
  /** Points per item of the form, in the order of its StudentFormRow's items. */
  points: (number | null)[] | null;
  source_file: string;
  source_row: number;
}

/** The items of one year's and grade's form in a student file, in the order of their points. */
export interface StudentFormRow {
  year: number;
  grade: string;
  subject: string;
  items: string[];
  source_file: string;
}

export interface TableRows {
  achievement: AchievementRow[];
  achievement_levels: LevelRow[];
  item_results: ItemRow[];
  private_students: StudentRow[];
  private_student_forms: StudentFormRow[];
}

/** What a format makes of one file, before anything is written to the warehouse. */
export interface ParsedFile {
  rows: TableRows;
  /** Data records read from the file (rows of a CSV, items of a workbook). */
  records: number;
  years: number[];
  yearOrigin: "column" | "title row" | "report banner" | "file name" | "--year" | "format default";
  /** Things the coach should know that did not stop the load: listed in the run's summary. */
  warnings: string[];
  /**
   * For formats that read large files with DuckDB: a table's rows as a query over the format's
   * temporary tables instead of `rows`. The transaction that loads the file reads it once, so
   * that millions of rows are written to the warehouse without a staging copy.
   */
  queries?: Partial<Record<DataTable, string>>;
  /** Drops the format's temporary tables; called once the file is loaded or refused. */
  cleanUp?: () => Promise<void>;
}

/** A file being read, with its text and workbook decoded at most once. */
export interface InputFile {
  path: string;
  /** The base name: the file's identity in the warehouse. */
  name: string;
  bytes: Uint8Array;
  text(): string;
  /** The first line of the text, decoded alone: detection need not decode a large file. */
  firstLine(): string;
  workbook(): Promise<Workbook>;
}

export interface ParseContext {
  org?: string;
  year?: number;
  orgs: OrgDirectory;
  log: Log;
  /** The warehouse being loaded, for formats that read with DuckDB or need loaded rows. */
  warehouse: Warehouse;
  /**
   * Codes of closed or merged schools and the codes to load them under. Rows returned in `rows`
   * are mapped by the caller; a format that stages rows in SQL applies it itself.
   */
  crosswalk: Readonly<Record<string, string>>;
}

/**
 * A family of state files. Each format recognises its files by their header signature, never by
 * their name, and maps them to warehouse rows. Adding a state format means adding one of these.
 */
export interface FileFormat {
  id: string;
  description: string;
  /**
   * Formats that name organisations load first within a run, so that formats which only name an
   * organisation in a header (the item workbooks) can resolve it against them.
   */
  order: number;
  detect(file: InputFile): Promise<boolean>;
  /**
   * For a file no format detects: what keeps it from this format when its header is nearly this
   * format's (a column renamed by hand), so that the refusal says what to fix rather than only
   * that the file matches no format. Undefined when the file is not like this format's.
   */
  resembles?(file: InputFile): Promise<string | undefined>;
  parse(file: InputFile, context: ParseContext): Promise<ParsedFile>;
}

export function emptyRows(): TableRows {
  return {
    achievement: [],
    achievement_levels: [],
    item_results: [],
    private_students: [],
    private_student_forms: [],
  };
}
