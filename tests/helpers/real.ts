import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The real public files, read where they live (../shared beside the repository), never copied. */
export const REAL_DIR = resolve(import.meta.dirname, "../../../shared/data/real");

export function realFile(name: string): string {
  const path = join(REAL_DIR, name);
  if (!existsSync(path))
    throw new Error(`missing real data file ${path}: is ../shared beside the repo?`);
  return path;
}
