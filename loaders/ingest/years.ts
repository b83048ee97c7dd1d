/**
 * Years and grades that a file states only in its name. DESE's exports are named by people, so
 * these read the conventions of the real files (ma_mcas_2022_gr3-8_...), and the caller logs
 * where each value came from.
 */

/** A four-digit school year standing alone in a file name (not part of an 8-digit code). */
export function yearFromFileName(name: string): number | undefined {
  const match = /(?:^|\D)((?:19|20)\d\d)(?=\D|$)/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export interface ChosenYear {
  year: number;
  origin: "file name" | "--year";
  warning?: string;
}

/** --year wins over the file name; a disagreement between them is worth a warning. */
export function chooseYear(name: string, option: number | undefined): ChosenYear | undefined {
  const fromName = yearFromFileName(name);
  if (option !== undefined) {
    const warning =
      fromName !== undefined && fromName !== option
        ? `${name}: --year ${option} used, although the file name says ${fromName}`
        : undefined;
    return { year: option, origin: "--year", ...(warning ? { warning } : {}) };
  }
  return fromName === undefined ? undefined : { year: fromName, origin: "file name" };
}

/** Formats a grade or a span of grades as the warehouse stores it: '05', '03-08'. */
export function gradeCode(first: number, last = first): string {
  const pad = (grade: number) => String(grade).padStart(2, "0");
  return first === last ? pad(first) : `${pad(first)}-${pad(last)}`;
}

/** The grade or span a file name states: "gr3-8" is '03-08', "gr5" is '05'. */
export function gradeFromFileName(name: string): string | undefined {
  const match = /(?:^|[^a-z])gr(?:ades?)?[ _-]?(\d{1,2})(?:\s*-\s*(\d{1,2}))?(?=\D|$)/i.exec(name);
  if (!match) return undefined;
  const first = Number(match[1]);
  return gradeCode(first, match[2] === undefined ? first : Number(match[2]));
}
