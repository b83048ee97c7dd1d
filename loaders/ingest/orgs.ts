import type { Warehouse } from "../warehouse/db.ts";
import { normalizeName } from "./text.ts";

export interface KnownOrg {
  org_code: string;
  /**
   * Null for a district no loaded file names: the organizations view makes a district row for
   * every school's district code, and a school row may not carry its district's name.
   */
  org_name: string | null;
  org_type: "school" | "district" | "state";
  district_code: string | null;
  district_name: string | null;
  district_school_count: number;
}

export type Resolution =
  | { ok: true; org: KnownOrg }
  | { ok: false; reason: "unknown" }
  | { ok: false; reason: "ambiguous"; candidates: KnownOrg[] };

/**
 * The schools and districts the warehouse knows, looked up by name. Item workbooks name their
 * organisation only in a column header ("RISING TIDE CHARTER PUBLIC SCHOOL"), so names are
 * compared without case or punctuation.
 */
export class OrgDirectory {
  private readonly byName = new Map<string, KnownOrg[]>();
  private readonly byCode = new Map<string, KnownOrg>();

  constructor(orgs: readonly KnownOrg[]) {
    for (const org of orgs) {
      this.byCode.set(org.org_code, org);
      // An organisation without a name is known by its code only: no header can name it.
      if (org.org_name === null) continue;
      const key = normalizeName(org.org_name);
      this.byName.set(key, [...(this.byName.get(key) ?? []), org]);
    }
  }

  static async load(warehouse: Warehouse): Promise<OrgDirectory> {
    return new OrgDirectory(
      await warehouse.all<KnownOrg>(
        `SELECT org_code, org_name, org_type, district_code, district_name,
                district_school_count::INTEGER AS district_school_count
         FROM organizations`,
      ),
    );
  }

  get size(): number {
    return this.byCode.size;
  }

  get(code: string): KnownOrg | undefined {
    return this.byCode.get(code);
  }

  /** Finds the one organisation of that name, preferring the type the file's header suggests. */
  resolve(name: string, preferredType?: KnownOrg["org_type"]): Resolution {
    const matches = this.byName.get(normalizeName(name)) ?? [];
    const preferred = matches.filter((org) => org.org_type === preferredType);
    const candidates = preferred.length > 0 ? preferred : matches;
    if (candidates.length === 1) return { ok: true, org: candidates[0]! };
    if (candidates.length === 0) return { ok: false, reason: "unknown" };
    return { ok: false, reason: "ambiguous", candidates };
  }
}
