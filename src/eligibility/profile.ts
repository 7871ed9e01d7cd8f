/**
 * The business profile the eligibility code reasons about: what the guided dialogue (or the CLI)
 * knows about a business. Every field is optional — an unknown field never filters anything.
 * JSON-serialisable (it lives in the conversation state).
 */
import type { IndustryGroup, Purpose } from '../knowledge/schema.ts';

/** 従業員数 as an exact count or an inclusive range (人); `max: null` = no upper bound (「301人以上」). */
export type Headcount = number | { min: number; max: number | null };

/** 創業段階 (schema `Stage`). */
export type StageValue = 'pre-startup' | 'startup' | 'established';

/** 申請者の形態 the dialogue asks for. */
export type CorporationValue = '法人' | '個人事業主';

export interface Profile {
  /** the industry as the user typed or chose it (「飲食店」「金属加工」) */
  industry?: string | null;
  /** 従業員数 (人) */
  employees?: Headcount | null;
  /** 資本金 (円); null = none / unknown (個人事業) */
  capital?: number | null;
  /** 市町 name as in knowledge/areas (「山口市」) */
  municipality?: string | null;
  /** locality inside the 市町 (「阿知須」「熊毛」) */
  area?: string | null;
  purpose?: Purpose | null;
  stage?: StageValue | null;
  corporation?: CorporationValue | null;
  /**
   * 技術・産業分野 of the business (labels of knowledge/fields.yaml); null = unknown,
   * [] = none of the listed fields (「その他の分野」).
   */
  fields?: string[] | null;
  /**
   * the user's own words about the business and the wish (the one-shot message, clauses that deny
   * something dropped): they declare situations (knowledge/situations.yaml `keywords`); null = none
   */
  words?: string | null;
}

/** Lower and upper bound of a headcount (人); upper null = unbounded; both null when unknown. */
export function headcountBounds(h: Headcount | null | undefined): { min: number | null; max: number | null } {
  if (h === null || h === undefined) return { min: null, max: null };
  if (typeof h === 'number') return { min: h, max: h };
  return { min: h.min, max: h.max };
}

/** 「25人」 or 「21〜50人」 or 「301人以上」. */
export function formatHeadcount(h: Headcount): string {
  if (typeof h === 'number') return `${h}人`;
  if (h.max === null) return `${h.min}人以上`;
  return h.min === h.max ? `${h.min}人` : `${h.min}〜${h.max}人`;
}

/** 円 → 「3億円」「5,000万円」「300万円」「1,234円」. */
export function formatYen(yen: number): string {
  if (yen >= 1e8 && yen % 1e8 === 0) return `${yen / 1e8}億円`;
  if (yen >= 1e8) {
    const oku = Math.floor(yen / 1e8);
    const man = Math.round((yen % 1e8) / 1e4);
    return `${oku}億${man.toLocaleString('ja-JP')}万円`;
  }
  if (yen >= 1e4 && yen % 1e4 === 0) return `${(yen / 1e4).toLocaleString('ja-JP')}万円`;
  return `${yen.toLocaleString('ja-JP')}円`;
}

export type { IndustryGroup, Purpose };
