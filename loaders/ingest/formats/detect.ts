import type { Worksheet } from "exceljs";
import type { FileFormat } from "./types.ts";

/**
 * The `detect` of a workbook format: an .xlsx file with at least one sheet in the format's
 * layout. The workbook is opened once per file and shared by every format that asks.
 */
export function detectWorkbook(readLayout: (sheet: Worksheet) => unknown): FileFormat["detect"] {
  return async (file) => {
    if (!/\.xlsx$/i.test(file.name)) return false;
    const workbook = await file.workbook();
    return workbook.worksheets.some((sheet) => readLayout(sheet) !== undefined);
  };
}

/**
 * A header with at most this many of a format's required columns missing, and the rest present,
 * is that format's with columns renamed or deleted (by hand, in Excel), not another file's.
 */
export const MOST_MISSING_OF_A_RESEMBLING_HEADER = 3;

/** Unexpected columns are named as the likely renamed ones only when they are this few. */
const MOST_UNEXPECTED_NAMED = 5;

/**
 * What a header lacks of a format's columns (each by its first, documented name), and the
 * columns it has that the format does not know: "lacks "M+E %" ..., and has "ME %" instead".
 */
export function describeMissingColumns(
  missing: readonly string[],
  unexpected: readonly string[],
  formatNoun: string,
): string {
  const list = (names: readonly string[]) => names.map((name) => `"${name}"`).join(", ");
  const instead =
    unexpected.length > 0 && unexpected.length <= MOST_UNEXPECTED_NAMED
      ? `, and has ${list(unexpected)} instead`
      : "";
  return `the header lacks the column(s) ${list(missing)} that ${formatNoun} has${instead}`;
}
