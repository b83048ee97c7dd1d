import { ProblemList } from "../errors.ts";
import type { CsvRecord } from "../text.ts";
import { parseCount, parseDecimal, parseOrgCode, parsePercent100, readDelimited } from "../text.ts";
import { testId } from "../tests.ts";
import { gradeCode } from "../years.ts";
import { MOST_MISSING_OF_A_RESEMBLING_HEADER, describeMissingColumns } from "./detect.ts";
import type { FileFormat, ItemRow, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * The civics item analysis CSV (MCAS2023_Civics_Item_Analysis_<school code>.csv, the grade 8
 * pilot): one row per item with the school's number tested and percent of possible points (0 to
 * 100), the state's, the reporting category, the standard, the points and, last, the item's
 * description. The descriptions hold commas the file does not quote; because the description is
 * the last column, the extra fields of such a row are its description's pieces and are joined
 * back together.
 */

const COLUMNS = {
  year: ["adminyear"],
  code: ["school_code", "district_code"],
  grade: ["grade"],
  item: ["question_number"],
  tested: ["number_tested_school", "number_tested_district"],
  pctOrg: ["percent_possible_points_school", "percent_possible_points_district"],
  pctState: ["percent_possible_points_state"],
  category: ["reporting_category"],
  standard: ["civics_standard"],
  points: ["points"],
  description: ["item_description"],
} as const;

type Column = keyof typeof COLUMNS;

/**
 * Where each column is in a header (-1 when absent), the columns it lacks, and the header cells
 * that name no column of the format.
 */
function mapColumns(header: readonly string[]): {
  index: Record<Column, number>;
  missing: Column[];
  unknown: string[];
} {
  const lower = header.map((name) => name.toLowerCase());
  const index = {} as Record<Column, number>;
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    index[column] = lower.findIndex((name) => names.includes(name));
  }
  const missing = (Object.keys(COLUMNS) as Column[]).filter((column) => index[column] < 0);
  const known = new Set(Object.values(index));
  const unknown = header.filter((name, at) => name !== "" && !known.has(at));
  return { index, missing, unknown };
}

/** "23CV" is the 2023 civics administration; a four-digit year is read as it is. */
function yearOfAdmin(raw: string): number | undefined {
  const match = /^(?:(\d{2})[a-z]*|((?:19|20)\d\d))$/i.exec(raw.trim());
  if (!match) return undefined;
  return match[2] ? Number(match[2]) : 2000 + Number(match[1]);
}

export const civicsItemCsv: FileFormat = {
  id: "civics-item-csv",
  description:
    "MCAS civics item analysis CSV: adminyear, school_code, Grade, question_number, " +
    "Percent_Possible_Points_School and _State, Reporting_Category, Civics_Standard, Points, " +
    "Item_Description",
  order: 20,

  async detect(file) {
    if (!/\.(csv|txt)$/i.test(file.name)) return false;
    const header = file.firstLine().toLowerCase();
    return (
      header.includes("question_number") &&
      header.includes("percent_possible_points_state") &&
      header.includes("item_description")
    );
  },

  async resembles(file) {
    if (!/\.(csv|txt)$/i.test(file.name)) return undefined;
    const { missing, unknown } = mapColumns(readDelimited(file.firstLine()).header);
    // All but a few columns present: a civics item file whose signature column was renamed.
    if (missing.length === 0 || missing.length > MOST_MISSING_OF_A_RESEMBLING_HEADER) {
      return undefined;
    }
    const names = missing.map((column) => COLUMNS[column][0]);
    return describeMissingColumns(names, unknown, "a civics item CSV");
  },

  async parse(file, context): Promise<ParsedFile> {
    const problems = new ProblemList(file.name);
    const { header, records } = readDelimited(file.text());
    const { index, missing } = mapColumns(header);
    for (const column of missing) {
      problems.add(`the header lacks the column "${COLUMNS[column][0]}"`, { row: 1 });
    }
    problems.throwIfAny();
    const orgType = header[index.code]!.toLowerCase() === "district_code" ? "district" : "school";
    const descriptionIsLast = index.description === header.length - 1;

    const rows = emptyRows();
    const years = new Set<number>();
    const seen = new Map<string, number>();
    let recovered = 0;
    for (const record of records) {
      const fields = fieldsOf(record, header.length, descriptionIsLast, problems);
      if (!fields) continue;
      if (fields.length < record.fields.length) recovered += 1;
      const row = readRow(record.line, fields, index, header, problems);
      if (!row) continue;
      const key = `${row.org_code} ${row.grade} ${row.item}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.add(`repeats item ${row.item} of row ${earlier}`, {
          row: record.line,
          column: header[index.item],
          value: fields[index.item],
        });
      }
      seen.set(key, record.line);
      years.add(row.year);
      rows.item_results.push({ ...row, org_type: orgType, source_file: file.name });
    }
    problems.throwIfAny();
    if (rows.item_results.length === 0) {
      problems.add("the file holds no item rows");
      problems.throwIfAny();
    }

    const warnings: string[] = [];
    if (recovered > 0) {
      warnings.push(
        `${file.name}: ${recovered} row(s) had unquoted commas in the item description, the ` +
          "last column; their extra fields were joined back into the description",
      );
    }
    context.log.info(`${file.name}: year ${[...years].join(", ")}, from the adminyear column`);
    return {
      rows,
      records: records.length,
      years: [...years].sort(),
      yearOrigin: "column",
      warnings,
    };
  },
};

/**
 * A record's fields, one per column: the extra fields of a record are pieces of its description
 * when the description is the last column. A record with too few fields cannot be matched to the
 * columns and is refused.
 */
function fieldsOf(
  record: CsvRecord,
  width: number,
  descriptionIsLast: boolean,
  problems: ProblemList,
): string[] | undefined {
  const { fields, line } = record;
  if (fields.length === width) return fields;
  if (fields.length > width && descriptionIsLast) {
    return [...fields.slice(0, width - 1), fields.slice(width - 1).join(",")];
  }
  problems.add(
    `the row has ${fields.length} fields where the header has ${width}: ` +
      (fields.length < width
        ? "a field is missing, so its values cannot be matched to the columns"
        : "the extra fields cannot be joined into the description, which is not the last column"),
    { row: line },
  );
  return undefined;
}

type CivicsRow = Omit<ItemRow, "org_type" | "source_file">;

function readRow(
  line: number,
  fields: string[],
  index: Record<Column, number>,
  header: string[],
  problems: ProblemList,
): CivicsRow | undefined {
  const raw = (column: Column) => fields[index[column]] ?? "";
  const where = (column: Column) => ({
    row: line,
    column: header[index[column]],
    value: raw(column),
  });
  let ok = true;
  const fail = (column: Column, expected: string) => {
    problems.add(`expected ${expected}`, where(column));
    ok = false;
  };

  const year = yearOfAdmin(raw("year"));
  if (year === undefined) fail("year", 'an administration such as "23CV" (2023 civics)');
  const code = parseOrgCode(raw("code"));
  if (!code.ok) fail("code", code.expected);
  const grade = raw("grade").trim();
  if (!/^\d{1,2}$/.test(grade) || Number(grade) < 3 || Number(grade) > 12) {
    fail("grade", "a grade from 03 to 12");
  }
  const item = raw("item").trim();
  if (!/^\d+$/.test(item)) fail("item", "the item's number");
  const tested = parseCount(raw("tested"));
  if (!tested.ok) fail("tested", tested.expected);
  const points = parseDecimal(raw("points"));
  if (!points.ok || points.value === null || points.value <= 0) {
    fail("points", "the item's possible points, a positive number");
  }
  const pctOrg = parsePercent100(raw("pctOrg"));
  if (!pctOrg.ok) fail("pctOrg", pctOrg.expected);
  const pctState = parsePercent100(raw("pctState"));
  if (!pctState.ok) fail("pctState", pctState.expected);
  if (!ok || !code.ok || !tested.ok || !points.ok || !pctOrg.ok || !pctState.ok) return undefined;

  const withheld = (["tested", "pctOrg", "pctState"] as const)
    .filter((column) => ({ tested, pctOrg, pctState })[column].withheld)
    .map((column) => header[index[column]]!);
  const category = raw("category").trim();
  const standard = raw("standard").trim();
  return {
    year: year!,
    org_code: code.value,
    grade: gradeCode(Number(grade)),
    subject: "CIVICS",
    test: testId("CIVICS", gradeCode(Number(grade))),
    student_group: "all",
    item: String(Number(item)),
    item_role: "item",
    essay: null,
    item_type: null,
    reporting_category: category === "" || category === "-" ? null : category,
    standards: standard === "" || standard === "-" ? [] : standard.split(/[\s;]+/),
    description: raw("description").trim() || null,
    max_points: points.value,
    n_tested: tested.value,
    pct_possible_org: pctOrg.value,
    pct_possible_state: pctState.value,
    diff_published: null,
    source_row: line,
    withheld,
    // "23CV": the file's own name for the administration (2023 civics).
    source_test: raw("year").trim(),
    basis: "published",
  };
}
