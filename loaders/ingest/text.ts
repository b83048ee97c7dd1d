import iconv from "iconv-lite";
import { parse } from "csv-parse/sync";

export type Encoding = "utf-8" | "utf-8 with BOM" | "windows-1252";

/**
 * Decodes a text file in Node rather than in DuckDB: DuckDB's reader would need its encodings
 * extension for Windows-1252, and that extension is downloaded on first use.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Encoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8 with BOM" };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not valid UTF-8: state exports saved by Excel on Windows are Windows-1252.
    return { text: decodeWindows1252(bytes), encoding: "windows-1252" };
  }
}

/**
 * Decodes Windows-1252 with iconv-lite rather than TextDecoder: Node 20.18.3 and later (and
 * 22.13.0 and later) decode "windows-1252" as Latin-1, so an en dash (0x96) became U+0096, a
 * control character (nodejs/node#56542, #60888). The five bytes the code page leaves unassigned
 * read as U+FFFD.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "win1252");
}

/** The delimiter of a delimited text file: whichever of , ; and tab its header line has most of. */
export function detectDelimiter(headerLine: string): "," | ";" | "\t" {
  const counts = ([",", ";", "\t"] as const).map((d) => [d, headerLine.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

export function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

export interface CsvRecord {
  /** The line of the file the record starts on, counting the header as line 1. */
  line: number;
  fields: string[];
}

/**
 * Parses delimited text into a header and records, keeping each record's line number for error
 * messages. Records of the wrong width are kept (their width is checked by the format, which knows
 * whether an extra field can be recovered).
 */
export function readDelimited(text: string): { header: string[]; records: CsvRecord[] } {
  const delimiter = detectDelimiter(firstLine(text));
  const rows = parse(text, {
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...rest] = rows;
  return {
    header: (head?.record ?? []).map((name) => name.trim()),
    records: rest.map(({ record, info }) => ({ line: info.lines, fields: record })),
  };
}

/**
 * A parsed cell: its value, or what was expected instead. A cell the state marked as suppressed
 * ("*", "Insufficient data") is a null value with `withheld` set, kept apart from a cell that is
 * simply empty: neither is ever turned into 0.
 */
export type Parsed<T> = { ok: true; value: T; withheld?: true } | { ok: false; expected: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (expected: string): Parsed<never> => ({ ok: false, expected });
const withheld: Parsed<null> = { ok: true, value: null, withheld: true };

/** Markers of a value that does not exist: blank, a single space, NA, -- (compared trimmed). */
export const MISSING_MARKERS: readonly string[] = ["", "na", "n/a", "-", "--"];
/** Markers of a value the state has but withheld, for privacy or too few students. */
export const SUPPRESSED_MARKERS: readonly string[] = ["*", "insufficient data"];

/** Whether a cell is a marker of a missing or a suppressed value, rather than a value. */
export function markerOf(raw: string | null | undefined): "missing" | "suppressed" | undefined {
  const text = (raw ?? "").trim().toLowerCase();
  if (MISSING_MARKERS.includes(text)) return "missing";
  if (SUPPRESSED_MARKERS.includes(text)) return "suppressed";
  return undefined;
}

/** Cells that mean "no value": kept as null, never turned into 0. */
export function isBlank(raw: string | null | undefined): boolean {
  return markerOf(raw) === "missing";
}

/** The parse of a marker cell, or undefined when the cell holds a value to parse. */
function parseMarker(raw: string): Parsed<null> | undefined {
  const marker = markerOf(raw);
  return marker === "missing" ? ok(null) : marker === "suppressed" ? withheld : undefined;
}

/**
 * A count as the state writes it: padding spaces and thousands separators allowed ("  165,044").
 * A blank cell is null (missing).
 */
export function parseCount(raw: string): Parsed<number | null> {
  const marker = parseMarker(raw);
  if (marker) return marker;
  const cleaned = raw.trim().replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^\d+$/.test(cleaned)) return fail("a whole number of students (blank if missing)");
  return ok(Number(cleaned));
}

/** A decimal number with optional padding and thousands separators; blank is null. */
export function parseDecimal(raw: string): Parsed<number | null> {
  const marker = parseMarker(raw);
  if (marker) return marker;
  const cleaned = raw.trim().replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) return fail("a number (blank if missing)");
  return ok(Number(cleaned));
}

/** A percent on the 0 to 100 scale, as the profile exports write it; blank is null. */
export function parsePercent100(raw: string): Parsed<number | null> {
  const marker = parseMarker(raw);
  if (marker) return marker;
  const parsed = parseDecimal(raw.replace(/%\s*$/, ""));
  if (!parsed.ok) return fail("a percent from 0 to 100 (blank if missing)");
  if (parsed.value !== null && (parsed.value < 0 || parsed.value > 100)) {
    return fail("a percent from 0 to 100");
  }
  return parsed;
}

export const STATE_CODE = "00000000";

/**
 * An organisation code with its leading zeros restored: DESE writes 04830305 in some files and
 * 4830305 in others, and the state as 0 or 00000000.
 */
export function parseOrgCode(raw: string): Parsed<string> {
  const cleaned = raw.trim();
  if (!/^\d{1,8}$/.test(cleaned)) return fail("an organisation code of up to 8 digits");
  return ok(cleaned.padStart(8, "0"));
}

/** The district of a school: the first four digits of its code followed by 0000. */
export function districtCodeOf(orgCode: string): string {
  return `${orgCode.slice(0, 4)}0000`;
}

/** Lower case, punctuation dropped, spaces collapsed: how organisation names are compared. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replaceAll("&", " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
