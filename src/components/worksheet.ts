// Step 3's worksheets: what a planning team fills in during its session, prefilled with the
// evidence the files give and with the team's own columns left blank. The PIM handbook's worksheet
// wording is not in our sources (domain.md, unconfirmed), so the column names are ours; the page
// says so.
import type ExcelJSModule from "exceljs";

import type { WorksheetRow } from "./goal.js";

/** A ranked standard of the skills table (src/data/skills.parquet), as the page reads it. */
export interface RankedStandard {
  rank: number;
  grade: string;
  standard: string;
  domain: string | null;
  reporting_category: string | null;
  n_items: number;
  points_possible: number;
  pct_org: number | null;
  pct_state: number | null;
  diff: number | null;
  z: number | null;
  n_flagged: number | null;
  other_years: string | null;
  domain_other_grades: string | null;
}

/** An item of the items table (src/data/items.parquet), as the page reads it. */
export interface StudyItem {
  grade: string;
  item: string;
  item_type: string | null;
  max_points: number | null;
  reporting_category: string | null;
  standards: string | null;
  pct_org: number | null;
  pct_state: number | null;
  diff: number | null;
  diff_published: number | null;
  flagged: boolean | null;
  flagged_ratio: boolean | null;
  description: string | null;
}

/** One worksheet: a sheet of the workbook, and a CSV of its rows. */
export interface Worksheet {
  id: string;
  title: string;
  notes: string[];
  rows: WorksheetRow[];
}

// Blank columns the team fills in; an empty string, not null, so that CSV and Excel show an empty
// cell and Excel keeps the column's width.
const blank = (names: string[]): WorksheetRow => Object.fromEntries(names.map((n) => [n, ""]));

const difference = (d: StudyItem): number | null => d.diff_published ?? d.diff;

/**
 * One decimal, as the standards are given: a worksheet is read, not computed with. Halves round
 * away from zero, the same for a gap behind as for a lead.
 */
const tenths = (value: number | null): number | null =>
  value === null ? null : (Math.sign(value) * Math.round(Math.abs(value) * 10)) / 10 || 0;

/** Behind, ahead or level with the state, as the difference reads to one decimal. */
export function comparedWithState(diff: number | null): string {
  const rounded = tenths(diff);
  if (rounded === null) return "";
  return rounded < 0 ? "behind" : rounded > 0 ? "ahead" : "level";
}

/** Whether an item measures the standard: an item may list several, separated by spaces. */
export function measures(item: StudyItem, standard: string): boolean {
  return (item.standards ?? "").split(/[\s,;]+/).includes(standard);
}

/**
 * The items a team studies for each of the weakest standards: the flagged items that measure the
 * standard in its grade, worst first. An item that measures two listed standards appears once,
 * under the weaker; a standard left without a flagged item of its own contributes its weakest
 * unlisted item, so that every standard on the list has a question to look at.
 */
export function itemsToStudy(
  ranked: RankedStandard[],
  items: StudyItem[],
): Array<{ standard: RankedStandard; item: StudyItem }> {
  const seen = new Set<string>();
  const chosen: Array<{ standard: RankedStandard; item: StudyItem }> = [];
  const key = (d: StudyItem) => `${d.grade}|${d.item}`;
  for (const standard of [...ranked].sort((a, b) => a.rank - b.rank)) {
    const unlisted = items
      .filter(
        (d) =>
          d.grade === standard.grade &&
          measures(d, standard.standard) &&
          difference(d) !== null &&
          !seen.has(key(d)),
      )
      .sort((a, b) => difference(a)! - difference(b)!);
    const flagged = unlisted.filter((d) => d.flagged || d.flagged_ratio);
    for (const item of flagged.length > 0 ? flagged : unlisted.slice(0, 1)) {
      seen.add(key(item));
      chosen.push({ standard, item });
    }
  }
  return chosen;
}

/** Which flag rules an item meets, in words: "10+ points below the state; below 0.9 x the state". */
export function flagText(
  item: Pick<StudyItem, "flagged" | "flagged_ratio">,
  { flagPoints, flagRatio }: FlagRules,
): string {
  return [
    item.flagged ? `${flagPoints}+ points below the state` : "",
    item.flagged_ratio ? `below ${flagRatio} x the state` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** The two item flag settings (itemFlagPoints, itemFlagRatio). */
export interface FlagRules {
  flagPoints: number;
  flagRatio: number;
}

/** 3-A, items to study: the evidence for each chosen item and a blank for the team's reason. */
export function worksheet3A(
  chosen: ReturnType<typeof itemsToStudy>,
  rules: FlagRules,
): WorksheetRow[] {
  return chosen.map(({ standard, item }) => ({
    standard_rank: standard.rank,
    standard: standard.standard,
    grade: item.grade,
    item: item.item,
    item_type: item.item_type,
    points: item.max_points,
    reporting_category: item.reporting_category,
    school_pct: tenths(item.pct_org),
    state_pct: tenths(item.pct_state),
    school_minus_state: tenths(difference(item)),
    compared_with_state: comparedWithState(difference(item)),
    flagged: flagText(item, rules),
    description: item.description,
    ...blank(["team_why_study_this_item"]),
  }));
}

/** 3-B, questions analysed: one row per item, with the team's analysis left blank. */
export function worksheet3B(chosen: ReturnType<typeof itemsToStudy>): WorksheetRow[] {
  return chosen.map(({ standard, item }) => ({
    grade: item.grade,
    item: item.item,
    standard: standard.standard,
    item_type: item.item_type,
    school_minus_state: tenths(difference(item)),
    compared_with_state: comparedWithState(difference(item)),
    description: item.description,
    ...blank([
      "team_what_the_question_asks",
      "team_what_a_correct_answer_needs",
      "team_likely_errors_or_misconceptions",
      "team_rationale",
    ]),
  }));
}

/** 3-C, skills and knowledge lacking: one row per ranked standard, the team's words blank. */
export function worksheet3C(ranked: RankedStandard[], zLimit: number): WorksheetRow[] {
  return [...ranked]
    .sort((a, b) => a.rank - b.rank)
    .map((d) => ({
      rank: d.rank,
      grade: d.grade,
      standard: d.standard,
      domain: d.domain,
      reporting_category: d.reporting_category,
      items: d.n_items,
      points_possible: d.points_possible,
      school_pct: d.pct_org,
      state_pct: d.pct_state,
      school_minus_state: d.diff,
      compared_with_state: comparedWithState(d.diff),
      certainty: certaintyOf(d.z, zLimit),
      flagged_items: d.n_flagged,
      other_years: d.other_years,
      domain_in_other_grades: d.domain_other_grades,
      ...blank([
        "team_skill_or_knowledge_lacking",
        "team_other_evidence",
        "team_which_students",
        "team_rationale",
      ]),
    }));
}

/** Whether a gap is more than chance for the students behind it (domain.md section 5). */
export function certaintyOf(z: number | null | undefined, zLimit: number): string {
  if (z === null || z === undefined || Number.isNaN(z)) return "significance not available";
  return Math.abs(z) >= zLimit ? "clear" : "uncertain";
}

/**
 * Worksheets as one .xlsx file (a Blob), one sheet each: a title block saying what the sheet is
 * and where its numbers come from, then the table with its header row frozen. Team columns get a
 * pale fill so that they stand out on a projector and on paper. `ExcelJS` is passed in so that
 * the page loads the library only when someone downloads.
 */
export async function workbookOf(
  ExcelJS: typeof ExcelJSModule,
  sheets: Worksheet[],
): Promise<Blob> {
  const book = new ExcelJS.Workbook();
  book.creator = "pim-evidence";
  for (const { id, title, notes, rows } of sheets) {
    // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
    const sheet = book.addWorksheet(id.replace(/[[\]:*?/\\]/g, " ").slice(0, 31));
    sheet.addRow([title]).font = { bold: true, size: 14 };
    for (const note of notes) sheet.addRow([note]);
    sheet.addRow([]);
    const columns = Object.keys(rows[0] ?? {});
    const header = sheet.addRow(columns);
    header.font = { bold: true };
    for (const row of rows) sheet.addRow(columns.map((c) => row[c]));
    columns.forEach((name, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = name === "description" || name.startsWith("team_") ? 40 : 14;
      if (name.startsWith("team_")) {
        column.eachCell({ includeEmpty: true }, (cell, rowNumber) => {
          if (rowNumber >= header.number) {
            cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF8DC" } };
            cell.alignment = { wrapText: true, vertical: "top" };
          }
        });
      }
    });
    sheet.views = [{ state: "frozen", ySplit: header.number }];
  }
  const buffer = await book.xlsx.writeBuffer();
  return new Blob([buffer], {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
}
