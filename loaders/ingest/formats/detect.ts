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
