/**
 * The unanswered-question log: every question that ended `answered: false`, or that the user
 * rejected (「違う」「わからない」 right after an answer), as one JSON line
 * `{"time","channel","reason","text"}` in an append-only file rotated by size
 * (rotating-file-stream). Phone numbers, e-mail addresses and personal names are redacted
 * before anything is written.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { Tokenizer } from '../text/tokenizer.ts';

/** Why a question is in the log. */
export type UnansweredReason = 'unanswered' | 'rejected';

/** One line of the log. `time` is ISO 8601 (UTC). */
export interface UnansweredEntry {
  time: string;
  channel: string;
  reason: UnansweredReason;
  text: string;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// 083-933-3180, 09012345678, +81 90 1234 5678, (083)933-3180, 083(933)3180, 0120-123-456:
// a number starting with 0 (or +81) in up to three groups; replaced when it has 10–12 digits
const PHONE = /(?<![\d+])(?:\+81[-\s]?\(?0?|\(?0)\d{1,4}\)?[-\s]?\(?\d{1,4}\)?[-\s]?\d{3,4}(?!\d)/g;
const HONORIFICS = new Set(['さん', '様', 'さま', '君', 'くん', 'ちゃん', '氏', '殿']);

/**
 * Redacts personal data from a question: e-mail → ＜メール＞, phone numbers → ＜電話番号＞,
 * personal names (kuromoji 固有名詞/人名, and a noun right before さん・様・氏 …) → ＜氏名＞.
 * @param text NFKC-normalised question text
 */
export function redact(text: string, tokenizer: Tokenizer): string {
  const masked = text.replace(EMAIL, '＜メール＞').replace(PHONE, (m) => (/^\d{10,12}$/.test(m.replace(/\D/g, '')) ? '＜電話番号＞' : m));
  const tokens = tokenizer.tokenize(masked);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    const isName = t.pos_detail_1 === '固有名詞' && t.pos_detail_2 === '人名';
    const beforeHonorific = t.pos === '名詞' && next && HONORIFICS.has(next.surface_form) && t.pos_detail_1 !== '代名詞';
    if (isName || beforeHonorific) {
      if (out[out.length - 1] !== '＜氏名＞') out.push('＜氏名＞');
    } else out.push(t.surface_form);
  }
  return out.join('');
}

/** Appends entries to the log file, rotating it when it grows past `maxBytes`. */
export class UnansweredLog {
  private stream: RotatingFileStream;

  /**
   * @param path log file, e.g. var/unanswered.jsonl; rotated files are `<name>.<n>.jsonl` beside it
   * @param maxBytes rotate when the file would exceed this size (default 10 MiB)
   * @param tokenizer the shared kuromoji tokenizer (for name redaction)
   */
  constructor(
    readonly path: string,
    private readonly tokenizer: Tokenizer,
    maxBytes = 10 * 1024 * 1024,
    maxFiles = 10,
  ) {
    const name = basename(path).replace(/\.jsonl$/, '');
    this.stream = createStream((time, index) => (time ? `${name}.${index}.jsonl` : `${name}.jsonl`), {
      path: dirname(path),
      size: `${Math.max(1, Math.ceil(maxBytes / 1024))}K`,
      maxFiles,
    });
    this.stream.on('error', () => undefined);
  }

  /** Redacts and appends one question. */
  record(channel: string, reason: UnansweredReason, text: string, now = new Date()): UnansweredEntry {
    const entry: UnansweredEntry = { time: now.toISOString(), channel, reason, text: redact(text, this.tokenizer) };
    this.stream.write(JSON.stringify(entry) + '\n');
    return entry;
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

/** Reads the log and its rotated files (oldest first); malformed lines are skipped. */
export function readUnanswered(path: string): UnansweredEntry[] {
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  const name = basename(path).replace(/\.jsonl$/, '');
  const rotated = readdirSync(dir)
    .map((f) => ({ f, m: f.match(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.jsonl$`)) }))
    .filter((x) => x.m)
    .sort((a, b) => Number(b.m![1]) - Number(a.m![1]))
    .map((x) => join(dir, x.f));
  const files = [...rotated, ...(existsSync(path) ? [path] : [])];
  const out: UnansweredEntry[] = [];
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as UnansweredEntry);
      } catch {
        // a torn last line after a crash: skip
      }
    }
  }
  return out;
}

/** A group of identical normalised questions, most frequent first. */
export interface UnansweredGroup {
  text: string;
  count: number;
  channels: string[];
  reasons: UnansweredReason[];
  lastSeen: string;
}

/** Groups entries (optionally since a date) by text; sorted by count, then most recent. */
export function groupUnanswered(entries: UnansweredEntry[], since?: Date): UnansweredGroup[] {
  const groups = new Map<string, UnansweredGroup>();
  for (const e of entries) {
    if (since && new Date(e.time) < since) continue;
    const key = e.text.replace(/[\s。、！？!?.]+$/u, '');
    const g = groups.get(key) ?? { text: key, count: 0, channels: [], reasons: [], lastSeen: e.time };
    g.count++;
    if (!g.channels.includes(e.channel)) g.channels.push(e.channel);
    if (!g.reasons.includes(e.reason)) g.reasons.push(e.reason);
    if (e.time > g.lastSeen) g.lastSeen = e.time;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen));
}
