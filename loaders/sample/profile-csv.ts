import { DISTRICT, STATE, SUBJECTS, profileName } from "./district.ts";
import type { ProfileRow } from "./profile.ts";
import { LEVELS, percentOf } from "./profile.ts";

/**
 * Profile rows written byte for byte as the state's profile downloads write them. Two variants
 * exist (see /work/shared/data/real): the comma file of all students, without a byte-order mark,
 * with LF line ends, codes without leading zeros and the State as 0; and the semicolon files of
 * subgroups and single grades, with a byte-order mark, CRLF, 8-digit codes and year, grade and
 * student_group columns. Both pad counts to 12 characters with thousands separators.
 */

const COMMON_HEADER = [
  "School Name",
  "School Code",
  "Subject",
  "M+E #",
  "M+E %",
  "E #",
  "E %",
  "M #",
  "M %",
  "PM #",
  "PM %",
  "NM #",
  "NM %",
  "No. of Students Included",
  "Part. Rate %",
  "Avg. Scaled Score",
  "SGP",
  "Included In SGP",
  "Ach. PCTL",
];

const COUNT_WIDTH = 12;
// The semicolon files also pad the average scaled score and the SGP.
const SCORE_WIDTH = 10;
const SGP_WIDTH = 14;

/** The comma file of all students, grades 3-8 (ma_mcas_<year>_gr3-8_schools_all_students.csv). */
export function formatCommaFile(rows: readonly ProfileRow[]): string {
  const lines = [[...COMMON_HEADER, "Year"].join(",")];
  for (const row of sortRows(rows)) {
    const code = row.org.code === STATE.code ? "0" : String(Number(row.org.code));
    const fields = [
      profileName(row.org),
      code,
      row.subject,
      ...levelFields(row),
      formatTenths(row.scoreTenths),
      row.sgpTenths === null ? "" : formatTenths(row.sgpTenths),
      row.sgpIncluded === null ? "" : formatCount(row.sgpIncluded),
      // The comma file writes the percentile with one decimal ("35.0").
      row.percentile === null ? "" : `${row.percentile}.0`,
      String(row.year),
    ];
    lines.push(fields.map(quoteComma).join(","));
  }
  return lines.map((line) => `${line}\n`).join("");
}

/**
 * A semicolon file: subgroups of grades 3-8 (grade ALL) or all students of one grade
 * (student_group ALL). `groupLabel` is the group as the state spells it ("low-income").
 */
export function formatSemicolonFile(rows: readonly ProfileRow[], groupLabel: string): string {
  const lines = [[...COMMON_HEADER, "year", "grade", "student_group"].join(";")];
  for (const row of sortRows(rows)) {
    const fields = [
      profileName(row.org),
      row.org.code,
      row.subject,
      ...levelFields(row),
      formatTenths(row.scoreTenths).padStart(SCORE_WIDTH),
      row.sgpTenths === null ? "" : formatTenths(row.sgpTenths).padStart(SGP_WIDTH),
      row.sgpIncluded === null ? "" : formatCount(row.sgpIncluded),
      row.percentile === null ? "" : String(row.percentile),
      String(row.year),
      row.grade === null ? "ALL" : String(row.grade),
      groupLabel,
    ];
    lines.push(fields.join(";"));
  }
  return `\uFEFF${lines.map((line) => `${line}\r\n`).join("")}`;
}

/** M+E, E, M, PM and NM as count and percent pairs, then students included and participation. */
function levelFields(row: ProfileRow): string[] {
  const meetingOrAbove = row.levels.E + row.levels.M;
  return [
    formatCount(meetingOrAbove),
    String(percentOf(meetingOrAbove, row.n)),
    ...LEVELS.flatMap((level) => [
      formatCount(row.levels[level]),
      String(percentOf(row.levels[level], row.n)),
    ]),
    formatCount(row.n),
    String(row.participation),
  ];
}

/** Schools by name, then the State; ELA before MATH within each, as the state sorts them. */
function sortRows(rows: readonly ProfileRow[]): ProfileRow[] {
  const subjectOrder = (row: ProfileRow) => SUBJECTS.indexOf(row.subject);
  const nameOf = (row: ProfileRow) =>
    row.org.code === STATE.code ? "\uffff" : `${DISTRICT.name} - ${row.org.name}`;
  return [...rows].sort((a, b) => {
    const byName = nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
    return byName || subjectOrder(a) - subjectOrder(b);
  });
}

/** "     165,044": right-aligned in 12 characters, with thousands separators. */
export function formatCount(count: number): string {
  return String(count)
    .replace(/\B(?=(\d{3})+$)/g, ",")
    .padStart(COUNT_WIDTH);
}

function formatTenths(tenths: number): string {
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** Quotes a comma-file field that holds a comma or a quote (a padded count with a separator). */
function quoteComma(field: string): string {
  return /[",\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
