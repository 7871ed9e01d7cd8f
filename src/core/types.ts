/**
 * Channel-neutral contracts shared by the core (knowledge, text, search, eligibility, dialogue)
 * and the channel adapters (web, terminal, LINE, Slack, Teams). Nothing here knows a platform.
 */

/** What a user sent: free text, or a choice they pressed (its `value`). */
export type Incoming =
  | { type: 'text'; text: string }
  | { type: 'choice'; value: string; label?: string };

/** A button a user can press. `value` comes back as `{type:'choice', value}`. */
export interface Choice {
  label: string;
  value: string;
  /** what the user's own chat line shows when pressed (default `label`), e.g. 「製造業」 for 「製造業（該当12件）」 */
  display?: string;
}

/** One key term line of a card, e.g. {label: '補助率', value: '1/2'}. */
export interface CardField {
  label: string;
  value: string;
}

/** One number a 電話する button dials (read from a printed phone field by src/text/phone.ts). */
export interface DialNumber {
  /** the number with its printed grouping, e.g. 「083-222-6225」 */
  number: string;
  /** RFC 3966 URI, e.g. `tel:083-222-6225` */
  tel: string;
  /** 内線 (extension) printed with the number, digits only; the link dials the main line */
  ext?: string;
}

/**
 * A programme or desk card, as a business owner reads it: nothing repeated (a desk card has no
 * 相談先 naming itself; `text` does not restate the title or the address) and no internal reference
 * (line ranges stay in `sourceRef`, which only the 詳しく card and the CLI show).
 * `phone` is the phone field as printed (「083-933-3180」, 「(083) ①222-6225 ②223-2251」); `dial` the
 * numbers it holds, one 電話する button each.
 */
export interface Card {
  id: string;
  kind: 'program' | 'desk' | 'definition' | 'measure' | 'area';
  title: string;
  subtitle?: string;
  text?: string;
  fields: CardField[];
  phone?: string;
  /** the numbers of `phone`, in order (empty or absent: nothing to dial) */
  dial?: DialNumber[];
  /** the 相談先 of a programme (absent on a desk's own card) */
  deskName?: string;
  /** 「出典: 令和6年度 産業労働部事業概要、2024年度」 */
  sourceLabel?: string;
  /** where the record is printed, for staff: 「001 L1530-1531」 (shown on the 詳しく card and by the CLI) */
  sourceRef?: string;
  /**
   * short notes shown under the card, one line each, in order: e.g. the credit a data source's terms
   * of use require, 「最新の公募状況は公式サイト・窓口でご確認ください」, 「受付は終了しています」
   */
  notes?: string[];
  /** buttons under the card, e.g. 「詳しく」「相談先」 */
  actions?: Choice[];
}

/** Replies the engine produces; each adapter renders them in its platform's form. */
export type OutgoingMessage =
  | { type: 'text'; text: string }
  | { type: 'choices'; text: string; choices: Choice[] }
  /** `heading`: a short title over the cards (「相談先」), shown with them rather than as a message of its own */
  | { type: 'cards'; cards: Card[]; heading?: string }
  | { type: 'link'; text: string; url: string };

/** A suggestion the turn makes (programme or desk), for the chat JSON contract and logs. */
export interface Suggestion {
  id: string;
  kind: string;
  name: string;
}

/** The result of one turn. */
export interface TurnResult {
  replies: OutgoingMessage[];
  /** slot the dialogue waits for, or null */
  awaiting: string | null;
  /** labels of the choices offered in this turn (flattened) */
  choices: string[];
  suggestions: Suggestion[];
  /** whether a free-text question was answered (false → routed to a general desk) */
  answered?: boolean;
  /** normalised text of the question, for the unanswered log */
  normalizedText?: string;
  /**
   * set when the turn was refused by the per-user message limit (RATE_LIMIT_PER_MINUTE): the web
   * chat answers HTTP 429 with Retry-After; platform channels show the reply in the chat
   */
  rateLimited?: { retryAfterSeconds: number };
}

/** Per-user conversation state; JSON-serialisable (it is stored in Redis). */
export interface ConversationState {
  version: number;
  mode: 'idle' | 'diagnosis';
  slots: Record<string, unknown>;
  /** slot names in the order they were asked, for 「戻る」 */
  history: string[];
  awaiting: string | null;
  /** ids of the last results, for follow-ups (「その補助率は？」) */
  lastResults: string[];
  /** the user's last free-text question (for 「違う」 logging) */
  lastQuestion?: string;
  lastAnswered?: boolean;
  updatedAt: number;
}

/**
 * Where conversation state lives. Implementations: in-memory (default), Redis (REDIS_URL).
 * `update` runs `fn` on the current state and stores the result atomically per key
 * (serialised per user), so two instances never lose an answer.
 */
export interface ConversationStore {
  get(key: string): Promise<ConversationState | null>;
  update<T>(key: string, fn: (state: ConversationState | null) => Promise<{ state: ConversationState | null; result: T }>): Promise<T>;
  delete(key: string): Promise<void>;
  /** Returns true the first time `id` is seen within `ttlSeconds` (redelivery de-duplication). */
  markOnce(id: string, ttlSeconds: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The conversation engine: one call per user message. Never throws for any input. */
export interface Engine {
  handle(userKey: string, incoming: Incoming, meta?: { channel?: string }): Promise<TurnResult>;
}
