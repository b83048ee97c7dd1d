// Record signatures of the zip format.
const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/**
 * Sets the modification time of every entry of a zip archive (an .xlsx file) to one date.
 * exceljs zips a workbook with JSZip, which stamps each entry with the current time and offers no
 * option to fix it; patching the stamps makes the same workbook give the same bytes on every run.
 * The stamps sit outside the compressed data and its checksums, so nothing else changes.
 */
export function stampZipEntries(zip: Buffer, date: Date): Buffer {
  const stamped = Buffer.from(zip);
  const time =
    (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day =
    ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();

  // The end-of-central-directory record closes the file; a comment of up to 64 KiB may follow.
  let end = stamped.length - 22;
  while (end >= 0 && stamped.readUInt32LE(end) !== END_SIGNATURE) end--;
  if (end < 0) throw new Error("stampZipEntries: not a zip archive");
  const entries = stamped.readUInt16LE(end + 10);
  let at = stamped.readUInt32LE(end + 16);

  // Each central directory entry has the stamp and points at its local header, which repeats it.
  for (let i = 0; i < entries; i++) {
    if (stamped.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new Error(`stampZipEntries: bad entry ${i}`);
    }
    stamped.writeUInt16LE(time, at + 12);
    stamped.writeUInt16LE(day, at + 14);
    const local = stamped.readUInt32LE(at + 42);
    if (stamped.readUInt32LE(local) !== LOCAL_SIGNATURE) {
      throw new Error(`stampZipEntries: bad local header ${i}`);
    }
    stamped.writeUInt16LE(time, local + 10);
    stamped.writeUInt16LE(day, local + 12);
    at +=
      46 +
      stamped.readUInt16LE(at + 28) +
      stamped.readUInt16LE(at + 30) +
      stamped.readUInt16LE(at + 32);
  }
  return stamped;
}
