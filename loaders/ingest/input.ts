import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import ExcelJS from "exceljs";
import type { InputFile } from "./formats/types.ts";
import { decodeText, firstLine } from "./text.ts";

/**
 * A state file being read. Its bytes are read when a format asks for them, and dropped by
 * `release`: a statewide student file (200 MB) is read by DuckDB from its path, and its bytes
 * need not stay in memory while it loads.
 */
export function openInput(path: string, name: string): InputFile & { release(): void } {
  let bytes: Buffer | undefined;
  let text: string | undefined;
  let workbook: Promise<ExcelJS.Workbook> | undefined;
  const input = {
    path,
    name,
    get bytes(): Buffer {
      return (bytes ??= readFileSync(path));
    },
    text: () => (text ??= decodeText(input.bytes).text),
    firstLine: () => {
      if (text !== undefined) return firstLine(text);
      // The bytes up to the first line break, when it comes early; else the whole text.
      const head = bytes ?? readHead(path, 1 << 20);
      const end = head.indexOf(0x0a);
      return firstLine(end === -1 ? input.text() : decodeText(head.subarray(0, end)).text);
    },
    workbook: () =>
      (workbook ??= (async () => {
        const book = new ExcelJS.Workbook();
        // exceljs's typings want a Node Buffer of its own Buffer type; the bytes are that.
        await book.xlsx.load(input.bytes as unknown as ExcelJS.Buffer);
        return book;
      })()),
    release: () => {
      bytes = undefined;
      text = undefined;
      workbook = undefined;
    },
  };
  return input;
}

/**
 * Reads a file in chunks of `size` bytes, each passed to `use` (a view valid during the call),
 * until the end or until `use` returns false.
 */
function readChunks(path: string, size: number, use: (chunk: Buffer) => boolean): void {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(size);
    for (;;) {
      const n = readSync(fd, buffer, 0, size, null);
      if (n === 0 || use(buffer.subarray(0, n)) === false) return;
    }
  } finally {
    closeSync(fd);
  }
}

function readHead(path: string, size: number): Buffer {
  let head = Buffer.alloc(0);
  readChunks(path, size, (chunk) => {
    head = Buffer.from(chunk);
    return false;
  });
  return head;
}

/** The file's sha256, in hex, read in chunks. */
export function sha256OfFile(path: string): string {
  const hash = createHash("sha256");
  readChunks(path, 1 << 22, (chunk) => {
    hash.update(chunk);
    return true;
  });
  return hash.digest("hex");
}

/** Whether the file is valid UTF-8, read in chunks: a character may span two of them. */
export function isUtf8File(path: string): boolean {
  let carry = Buffer.alloc(0);
  let valid = true;
  readChunks(path, 1 << 22, (chunk) => {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    // Hold back the bytes of a character the chunk cuts: up to 3 continuation bytes and a lead.
    let end = bytes.length;
    for (let back = 1; back <= 4 && back <= bytes.length; back++) {
      const byte = bytes[bytes.length - back]!;
      if ((byte & 0xc0) !== 0x80) {
        if (byte >= 0xc0) end = bytes.length - back;
        break;
      }
    }
    valid = isUtf8(bytes.subarray(0, end));
    carry = Buffer.from(bytes.subarray(end));
    return valid;
  });
  return valid && (carry.length === 0 || isUtf8(carry));
}
