/**
 * The conversation engine (`Engine` of src/core/types.ts): one call per user message, state per user
 * in a {@link ConversationStore} (all turns of one user go through `store.update`, so they are
 * serialised). Routes a message to a control intent (intents/intents.yaml), the guided eligibility
 * dialogue (intents/flow.yaml), a desk lookup, a follow-up on the last result, a one-shot diagnosis
 * or the free-text search. Wording lives in intents/replies.yaml. Never throws for any input.
 */
import type pino from 'pino';
import type { Choice, ConversationState, ConversationStore, Engine, Incoming, OutgoingMessage, TurnResult } from '../core/types.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { SearchService } from '../search/service.ts';
import { findPlace } from '../eligibility/desks.ts';
import { MAX_NUMBER_DIGITS, matchKey, normalize, overlongDigitRuns, sentencePrefix } from '../text/normalize.ts';
import { getTokenizer, withTokenMemo, type Tokenizer } from '../text/tokenizer.ts';
import { loadDialogueData, say, wording, wordingChoices, type DialogueData, type SlotDef } from './data.ts';
import { CHOICE_PREFIX, nextSlot, profileOf, questionChoices, questionText, slotDef } from './flow.ts';
import { IntentClassifier, wellFormed, type IntentMatch } from './intents.ts';
import type { Purpose } from '../knowledge/schema.ts';
import {
  consultAnswer,
  definitionAnswer,
  deskAnswer,
  diagnosisResult,
  followupAnswer,
  followupField,
  missesAnswer,
  profileSummary,
  searchAnswer,
  type Answer,
} from './results.ts';
import { extractSlots, parseSlot, type SlotAnswer } from './slots.ts';

/** Characters of a message that are read; the rest is ignored (a 10,000-character paste still gets a reply). */
export const MAX_MESSAGE_CHARS = 2000;
/**
 * Characters of a message that are analysed (searched, read for answers): a longer paste is cut at
 * the last sentence end before this many characters and the reply says so (replies.yaml `tooLong`).
 */
export const MAX_READ_CHARS = 500;
/** Version of {@link ConversationState} this engine writes; older states are discarded. */
export const STATE_VERSION = 1;

/** What the engine needs. `search` may be a getter so a live knowledge reload can swap it. */
export interface EngineDeps {
  search: SearchService | (() => SearchService);
  store: ConversationStore;
  /** default: intents/ (INTENTS_DIR) */
  data?: DialogueData;
  /** default: the shared kuromoji tokenizer */
  tokenizer?: Tokenizer;
  logger?: pino.Logger;
  now?: () => number;
}

/** Reserved keys of `state.slots` (answers use the slot names of flow.yaml). */
interface Extra {
  _labels?: Record<string, string>;
  /** a lookup waiting for its 市町 */
  _task?: 'desk';
  /** the one-shot message, re-used to rank programmes by the user's own words */
  _query?: string;
  /** a diagnosis result was shown (「対象外は？」 applies) */
  _diagnosed?: boolean;
  /** label → value of the buttons offered last turn: a channel that sends the label as text still picks the choice */
  _choices?: Record<string, string>;
}

type Slots = Record<string, unknown> & Extra;

/** Intents that act on the dialogue itself; others answer and then repeat the pending question. */
const CONTROL = new Set(['back', 'restart', 'quit', 'change', 'misses', 'diagnosis']);

/** Intents a button (`intent:<name>`) may name; any other `intent:` value is read as text. */
const CHOICE_INTENTS = new Set(['diagnosis', 'desk', 'definition', 'followup', 'misses', 'change', 'back', 'restart', 'quit', 'help', 'greeting', 'thanks']);

/**
 * The value of the button labelled `label` offered last turn, or undefined. Own properties only:
 * user text is never looked up on a plain object's prototype (「constructor」「__proto__」 are just text).
 */
function offeredValue(slots: Slots, label: string): string | undefined {
  const c = slots._choices;
  if (!c || typeof c !== 'object' || !Object.hasOwn(c, label)) return undefined;
  const v = (c as Record<string, unknown>)[label];
  return typeof v === 'string' ? v : undefined;
}

/**
 * A state read back from the store is used only when it has this engine's shape (a state written by
 * another version, or edited in Redis, starts a fresh conversation instead of failing the turn).
 */
function usableState(s: unknown): s is ConversationState {
  if (!s || typeof s !== 'object') return false;
  const st = s as Partial<ConversationState>;
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  return (
    st.version === STATE_VERSION &&
    (st.mode === 'idle' || st.mode === 'diagnosis') &&
    !!st.slots && typeof st.slots === 'object' && !Array.isArray(st.slots) &&
    strings(st.history) && strings(st.lastResults) &&
    (st.awaiting === null || typeof st.awaiting === 'string')
  );
}

/** Creates the engine with the shared tokenizer and the intents/ data. @throws when intents/*.yaml are invalid. */
export async function createEngine(deps: EngineDeps): Promise<DialogueEngine> {
  const tokenizer = deps.tokenizer ?? (await getTokenizer());
  return new DialogueEngine({ ...deps, tokenizer, data: deps.data ?? loadDialogueData() });
}

/** The engine. Construct with {@link createEngine}. */
export class DialogueEngine implements Engine {
  private readonly data: DialogueData;
  private readonly classifier: IntentClassifier;
  private readonly now: () => number;

  constructor(private readonly deps: EngineDeps & { tokenizer: Tokenizer; data: DialogueData }) {
    this.data = deps.data;
    this.classifier = new IntentClassifier(deps.tokenizer, deps.data.intents);
    this.now = deps.now ?? Date.now;
  }

  private get search(): SearchService {
    return typeof this.deps.search === 'function' ? this.deps.search() : this.deps.search;
  }

  /** One turn. Never throws: an internal error is logged and answered with replies.yaml `error`. */
  async handle(userKey: string, incoming: Incoming, meta?: { channel?: string }): Promise<TurnResult> {
    try {
      return await this.deps.store.update(String(userKey), async (prev) => {
        const state = usableState(prev) ? prev : this.fresh();
        // one turn's components share the tokens of its message (text/tokenizer.ts withTokenMemo)
        const result = withTokenMemo(() => this.turn(state, incoming));
        state.updatedAt = this.now();
        return { state, result };
      });
    } catch (err) {
      this.deps.logger?.error({ err, userKey, channel: meta?.channel }, 'dialogue turn failed');
      return { replies: [{ type: 'text', text: wording(this.data, 'error') }], awaiting: null, choices: [], suggestions: [] };
    }
  }

  /**
   * Runs the turns a long paste costs once, on throwaway conversations (nothing is stored): pastes
   * of the catalogue's programme names and of its place names, with punctuation and run together
   * (the run-together ones last names first), each as a new message and as the answer to the
   * diagnosis' first question. The first such paste in a process otherwise
   * pays for building the search's posting lists and memos and for compiling the code on the way
   * (≈ 2× a later one). Call once per catalogue, before the engine serves; the turns run one at a
   * time with the event loop served between them.
   * @returns the milliseconds it took (wall time, turns and the waits between them)
   */
  async warmUp(): Promise<number> {
    const t0 = performance.now();
    const kb = this.search.kb;
    const fill = (names: string[], sep = '、') => {
      const joined = names.join(sep);
      return joined ? joined.repeat(Math.ceil(MAX_MESSAGE_CHARS / joined.length)).slice(0, MAX_MESSAGE_CHARS) : '';
    };
    const programmes = kb.records.filter((r) => r.kind === 'program').map((r) => r.name);
    const places = kb.areas.flatMap((a) => [a.name, ...a.localities.map((l) => l.name)]);
    // run together too (a paste without punctuation is segmented otherwise), last names first
    const back = [...programmes].reverse();
    const texts = [fill(programmes), fill(back, ''), fill(places), fill(places.map((p, i) => p + (back[i] ?? '')), '')].filter(Boolean);
    const start = this.data.intents.intents.find((i) => i.name === 'diagnosis')?.examples[0];
    // one turn at a time, the event loop served between them: a live reload warms up while serving
    const turns: (() => void)[] = [];
    for (const text of texts) {
      turns.push(() => void this.turn(this.fresh(), { type: 'text', text }));
      const state = this.fresh();
      if (start) turns.push(() => void this.turn(state, { type: 'text', text: start }));
      turns.push(() => void this.turn(state, { type: 'text', text }));
    }
    try {
      for (const t of turns) {
        withTokenMemo(t);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      // a warm-up is an optimisation: the engine serves without it
      this.deps.logger?.warn({ err }, 'engine warm-up failed');
    }
    return performance.now() - t0;
  }

  private fresh(): ConversationState {
    return { version: STATE_VERSION, mode: 'idle', slots: {}, history: [], awaiting: null, lastResults: [], updatedAt: this.now() };
  }

  // ---- routing -------------------------------------------------------------------------------

  private turn(state: ConversationState, incoming: Incoming): TurnResult {
    const raw = incoming && typeof incoming === 'object' ? (incoming.type === 'choice' ? incoming.value : incoming.text) : '';
    // lone surrogates (malformed UTF-16) crash kuromoji: drop them
    const whole = wellFormed((typeof raw === 'string' ? raw : '').slice(0, MAX_MESSAGE_CHARS));
    // a long paste is read up to a sentence end within MAX_READ_CHARS: the work per message is bounded
    const isText = incoming?.type !== 'choice';
    const msg = isText ? sentencePrefix(whole, MAX_READ_CHARS) : whole;
    const res = this.route(state, incoming, msg);
    const notes: string[] = [];
    if ((msg.length < whole.length || (typeof raw === 'string' && raw.length > MAX_MESSAGE_CHARS)) && matchKey(msg)) notes.push(say(this.data, 'tooLong', { chars: [...msg].length }) ?? '');
    // say what was not read: a number with more digits than any real figure (text/numbers.ts)
    const overlong = isText ? overlongDigitRuns(normalize(msg)) : [];
    if (overlong.length) notes.push(say(this.data, 'numberTooLong', { digits: Math.max(...overlong), max: MAX_NUMBER_DIGITS }) ?? '');
    if (notes.some(Boolean)) res.replies = [...notes.filter(Boolean).map((text) => ({ type: 'text' as const, text })), ...res.replies];
    return res;
  }

  private route(state: ConversationState, incoming: Incoming, msg: string): TurnResult {
    const offered = offeredValue(state.slots as Slots, msg.trim());
    if (incoming?.type === 'choice' || offered) {
      const r = this.choice(state, offered ?? msg);
      if (r) return r;
    }
    if (!matchKey(msg)) return this.greeting(state);
    const ctx = { lastResults: state.lastResults.length > 0, lastDiagnosis: !!(state.slots as Slots)._diagnosed, diagnosis: state.mode === 'diagnosis' };
    const intent = this.classifier.classify(msg, ctx);
    if (state.mode === 'diagnosis' && state.awaiting && slotDef(this.data, state.awaiting)) return this.answerAwaited(state, msg, intent);
    return this.idle(state, msg, intent);
  }

  /** A button's value; null when it names nothing this engine offers (the caller reads it as text). */
  private choice(state: ConversationState, value: string): TurnResult | null {
    if (value.startsWith(CHOICE_PREFIX.intent)) {
      const name = value.slice(CHOICE_PREFIX.intent.length);
      if (CHOICE_INTENTS.has(name)) return this.intent(state, name, '');
    }
    if (value.startsWith(CHOICE_PREFIX.slot)) {
      const rest = value.slice(CHOICE_PREFIX.slot.length);
      const i = rest.indexOf(':');
      const slot = slotDef(this.data, i > 0 ? rest.slice(0, i) : '');
      if (slot) return this.answer(state, slot, rest.slice(i + 1), []);
    }
    if (value.startsWith(CHOICE_PREFIX.detail)) {
      const id = value.slice(CHOICE_PREFIX.detail.length);
      const rec = this.kb.byId.get(id);
      if (rec) {
        state.lastResults = [id, ...state.lastResults.filter((x) => x !== id)];
        return this.finish(state, followupAnswer(this.data, this.kb, rec, 'detail'), false);
      }
      // a button from before a knowledge reload that removed the record
      if (id) return this.noLongerListed(state, [id]);
    }
    if (value.startsWith(CHOICE_PREFIX.change)) {
      const slot = slotDef(this.data, value.slice(CHOICE_PREFIX.change.length));
      if (slot) return this.ask(state, slot, []);
    }
    return null;
  }

  private get kb(): KnowledgeBase {
    return this.search.kb;
  }

  private idle(state: ConversationState, msg: string, intent: IntentMatch | null): TurnResult {
    const slots = state.slots as Slots;
    if (slots._task === 'desk' && state.awaiting === 'municipality') {
      delete slots._task;
      state.awaiting = null;
      const place = findPlace(this.kb, msg);
      // 「周南市で知財の相談先」: a new topic with the place
      if (place && this.topicOf(msg)) return this.intent(state, 'desk', msg);
      if (place) return this.finish(state, deskAnswer(this.data, this.kb, place.municipality, place.area), false);
    }
    if (intent) return this.intent(state, intent.name, msg);
    const place = findPlace(this.kb, msg);
    const key = matchKey(msg);
    const cue = (words: string[]) => words.some((c) => key.includes(matchKey(c)));
    const found = extractSlots(this.slotCtx({ ...state, slots: {} }), msg);
    const oneShot = this.isOneShot(found);
    const local = () => this.finish(state, deskAnswer(this.data, this.kb, place!.municipality, place!.area), false);
    if (place && cue(this.data.intents.deskCues)) return local();
    // 「再生の相談はどこ？」: the topic's desk (and the local one when a place is named)
    if (!oneShot && cue(this.data.intents.consultCues) && this.topicOf(msg)) return this.intent(state, 'desk', msg);
    if (place && !oneShot && cue(this.data.intents.deskCuesWeak)) return local();
    if (oneShot) return this.startDiagnosis(state, found, msg);
    return this.searchTurn(state, msg);
  }

  private isOneShot(found: Record<string, SlotAnswer>): boolean {
    const o = this.data.flow.oneShot;
    const names = Object.keys(found).filter((n) => !o.uncounted.includes(n));
    return names.length >= o.minSlots || (names.length >= o.minSlotsWithProfile && names.some((n) => o.profileSlots.includes(n)));
  }

  private intent(state: ConversationState, name: string, msg: string): TurnResult {
    const slots = state.slots as Slots;
    switch (name) {
      case 'diagnosis':
        return this.startDiagnosis(state, extractSlots(this.slotCtx({ ...state, slots: {} }), msg), undefined);
      case 'desk': {
        const place = msg ? findPlace(this.kb, msg) : null;
        const topic = this.topicOf(msg);
        if (place && !topic) return this.finish(state, deskAnswer(this.data, this.kb, place.municipality, place.area), false);
        const focus = state.lastResults[0] ? this.kb.byId.get(state.lastResults[0]) : undefined;
        if (!topic && !place && focus?.kind === 'program' && msg) return this.finish(state, followupAnswer(this.data, this.kb, focus, 'phone'), false);
        // the desk for the topic (or the general one) at once; the local desk when the place is known, else 市町 buttons
        const a = consultAnswer(this.data, this.kb, this.search, topic, place, msg);
        state.mode = 'idle';
        state.awaiting = a.askPlace ? 'municipality' : null;
        if (a.askPlace) slots._task = 'desk';
        else delete slots._task;
        return this.finish(state, a, true);
      }
      case 'definition': {
        const found = extractSlots(this.slotCtx({ ...state, slots: {} }), msg);
        return this.finish(state, definitionAnswer(this.data, this.kb, profileOf(Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.value])))), false);
      }
      case 'followup': {
        const rec = state.lastResults[0] ? this.kb.byId.get(state.lastResults[0]) : undefined;
        if (!rec && state.lastResults.length) return this.noLongerListed(state, state.lastResults.filter((id) => !this.kb.byId.has(id)));
        if (!rec) return this.result(state, [{ type: 'text', text: wording(this.data, 'followup.noContext') }]);
        return this.finish(state, followupAnswer(this.data, this.kb, rec, followupField(this.data, msg)), false, true);
      }
      case 'misses': {
        if (!slots._diagnosed) return this.result(state, [{ type: 'text', text: wording(this.data, 'misses.noDiagnosis') }]);
        return this.finish(state, missesAnswer(this.data, this.kb, this.search, profileOf(this.answers(state)), slots._query), false);
      }
      case 'change':
        return this.change(state, msg);
      case 'back':
        return this.back(state);
      case 'restart':
        return this.startDiagnosis(state, {}, undefined, [{ type: 'text', text: wording(this.data, 'restart') }]);
      case 'quit': {
        const was = state.mode === 'diagnosis';
        state.mode = 'idle';
        state.awaiting = null;
        delete slots._task;
        return this.result(state, [{ type: 'text', text: wording(this.data, was ? 'quit' : 'quitIdle') }]);
      }
      case 'help':
        return this.result(state, [{ type: 'choices', text: wording(this.data, 'help'), choices: wordingChoices(this.data, 'menuChoices') }]);
      case 'greeting':
        return this.greeting(state);
      case 'thanks':
        return this.result(state, [{ type: 'text', text: wording(this.data, 'thanks') }]);
      default:
        return this.searchTurn(state, msg);
    }
  }

  /** The topic of a consultation question: the purpose (flow.yaml `purpose` words) the message names, or null. */
  private topicOf(msg: string): Purpose | null {
    const slot = slotDef(this.data, 'purpose');
    if (!slot || !msg) return null;
    const r = parseSlot(this.slotCtx({ ...this.fresh(), slots: {} }), slot, msg, false);
    return r.status === 'ok' && typeof r.answer.value === 'string' ? (r.answer.value as Purpose) : null;
  }

  // ---- the guided dialogue -------------------------------------------------------------------

  /** The answers, with the one-shot message as `_query` (its words declare situations, flow.ts profileOf). */
  private answers(state: ConversationState): Record<string, unknown> {
    return Object.fromEntries(Object.entries(state.slots).filter(([k]) => !k.startsWith('_') || k === '_query'));
  }

  private labels(state: ConversationState): Record<string, string> {
    const s = state.slots as Slots;
    // a stored state may carry anything here (it is read back from Redis)
    if (!s._labels || typeof s._labels !== 'object' || Array.isArray(s._labels)) s._labels = {};
    return s._labels;
  }

  private slotCtx(state: ConversationState) {
    return { kb: this.kb, flow: this.data.flow, answers: this.answers(state), tokenizer: this.deps.tokenizer };
  }

  private set(state: ConversationState, name: string, a: SlotAnswer): void {
    if (name === 'municipality' && state.slots.municipality !== a.value) {
      delete state.slots.area;
      delete this.labels(state).area;
    }
    state.slots[name] = a.value;
    this.labels(state)[name] = a.value === null ? wording(this.data, 'unknownChoice') : a.label;
  }

  private startDiagnosis(state: ConversationState, found: Record<string, SlotAnswer>, query: string | undefined, pre: OutgoingMessage[] = []): TurnResult {
    state.slots = {};
    state.history = [];
    state.mode = 'diagnosis';
    state.awaiting = null;
    if (query) (state.slots as Slots)._query = query;
    for (const [k, v] of Object.entries(found)) this.set(state, k, v);
    this.remember(state, Object.keys(found));
    // a message that already answers every question goes straight to the result, whose header repeats the profile
    if (!nextSlot(this.kb, this.data, this.answers(state))) return this.advance(state, pre);
    const lines = [wording(this.data, 'diagnosisStart')];
    if (Object.keys(found).length) lines.push(say(this.data, 'oneShotUnderstood', { summary: profileSummary(this.data, this.labels(state)) }) ?? '');
    return this.advance(state, [...pre, { type: 'text', text: lines.filter(Boolean).join('\n') }]);
  }

  /** Reads an answer to `slot` (typed or chosen); fills other slots the message names too. */
  private answer(state: ConversationState, slot: SlotDef, msg: string, pre: OutgoingMessage[]): TurnResult {
    const r = parseSlot(this.slotCtx(state), slot, msg, true);
    if (r.status === 'invalid') return this.ask(state, slot, [...pre, { type: 'text', text: say(this.data, 'reprompt', { expected: slot.expected }) ?? slot.expected }]);
    state.mode = 'diagnosis';
    const notes: string[] = [];
    if (r.status === 'unknown') {
      this.set(state, slot.name, { value: null, label: '' });
      notes.push(say(this.data, 'unknownSlot', { label: slot.label }) ?? '');
    } else {
      this.set(state, slot.name, r.answer);
      for (const [k, v] of Object.entries(r.also ?? {})) this.set(state, k, v);
      // more in the same message (「飲食店で従業員4人」): fill what is still open
      const more = Object.entries(extractSlots(this.slotCtx(state), msg)).filter(([k]) => !(k in state.slots));
      for (const [k, v] of more) this.set(state, k, v);
      this.remember(state, [...Object.keys(r.also ?? {}), ...more.map(([k]) => k)]);
    }
    return this.advance(state, [...pre, ...notes.filter(Boolean).map((t) => ({ type: 'text' as const, text: t }))]);
  }

  private answerAwaited(state: ConversationState, msg: string, intent: IntentMatch | null): TurnResult {
    const slot = slotDef(this.data, state.awaiting)!;
    if (intent && CONTROL.has(intent.name)) return this.intent(state, intent.name, msg);
    const r = parseSlot(this.slotCtx(state), slot, msg, true);
    if (r.status !== 'invalid') return this.answer(state, slot, msg, []);
    if (intent && intent.name !== 'search') return this.withQuestion(state, this.intent(state, intent.name, msg), slot);
    // another slot's value (「やっぱり従業員は30人」) changes that answer
    const other = Object.entries(extractSlots(this.slotCtx(state), msg)).filter(([k]) => k !== slot.name);
    if (other.length) {
      const lines: string[] = [];
      for (const [k, v] of other) {
        this.set(state, k, v);
        lines.push(say(this.data, 'changed', { label: slotDef(this.data, k)?.label ?? k, value: v.label }) ?? '');
      }
      return this.advance(state, [{ type: 'text', text: lines.join('\n') }]);
    }
    if ([...msg].length > 20) {
      const found = searchAnswer(this.search, msg, this.data);
      if (found.answered) return this.withQuestion(state, this.finish(state, found, true), slot);
    }
    return this.ask(state, slot, [{ type: 'text', text: say(this.data, 'reprompt', { expected: slot.expected }) ?? slot.expected }]);
  }

  /** Appends the pending question to another turn's replies (the dialogue goes on). */
  private withQuestion(state: ConversationState, res: TurnResult, slot: SlotDef): TurnResult {
    delete (state.slots as Slots)._task;
    const q = this.ask(state, slot, []);
    return { ...res, replies: [...res.replies, ...q.replies], awaiting: q.awaiting, choices: [...res.choices, ...q.choices] };
  }

  private advance(state: ConversationState, pre: OutgoingMessage[]): TurnResult {
    const next = nextSlot(this.kb, this.data, this.answers(state));
    if (next) return this.ask(state, next, pre);
    const slots = state.slots as Slots;
    const res = diagnosisResult(this.data, this.kb, this.search, profileOf(this.answers(state)), this.labels(state), slots._query);
    state.mode = 'idle';
    state.awaiting = null;
    slots._diagnosed = true;
    const out = this.finish(state, res, false);
    return { ...out, replies: [...pre, ...out.replies] };
  }

  /** Slots filled without being asked (one shot, extra answers) join the history in flow order, so 「戻る」 reaches them. */
  private remember(state: ConversationState, names: string[]): void {
    for (const s of this.data.flow.slots) {
      if (names.includes(s.name) && state.history[state.history.length - 1] !== s.name) state.history.push(s.name);
    }
  }

  private ask(state: ConversationState, slot: SlotDef, pre: OutgoingMessage[]): TurnResult {
    state.mode = 'diagnosis';
    state.awaiting = slot.name;
    if (state.history[state.history.length - 1] !== slot.name) state.history.push(slot.name);
    const answers = this.answers(state);
    delete answers[slot.name];
    const choices = questionChoices(this.kb, this.data, slot, answers, state.history.length > 1);
    return this.result(state, [...pre, { type: 'choices', text: questionText(slot, answers), choices }], slot.name);
  }

  private back(state: ConversationState): TurnResult {
    const h = state.history;
    if (state.mode === 'diagnosis' && state.awaiting) {
      const current = slotDef(this.data, state.awaiting);
      if (h[h.length - 1] === state.awaiting) h.pop();
      const prev = slotDef(this.data, h[h.length - 1]);
      if (!prev) return current ? this.ask(state, current, [{ type: 'text', text: wording(this.data, 'backAtStart') }]) : this.greeting(state);
      h.pop();
      return this.ask(state, prev, []);
    }
    const last = slotDef(this.data, h[h.length - 1]);
    if (!last) return this.greeting(state);
    h.pop();
    return this.ask(state, last, []);
  }

  private change(state: ConversationState, msg: string): TurnResult {
    const key = matchKey(msg);
    const named = this.data.flow.slots.find((s) => key.includes(matchKey(s.label)));
    if (named) return this.ask(state, named, []);
    const labels = this.labels(state);
    const choices: Choice[] = this.data.flow.slots
      .filter((s) => s.name in state.slots)
      .map((s) => ({ label: `${s.label}（${labels[s.name] ?? ''}）`, value: `${CHOICE_PREFIX.change}${s.name}` }));
    if (!choices.length) return this.startDiagnosis(state, {}, undefined);
    return this.result(state, [{ type: 'choices', text: wording(this.data, 'changeAsk'), choices }]);
  }

  // ---- other turns ---------------------------------------------------------------------------

  /** Records removed by a knowledge reload since they were shown: say so and forget them (replies.yaml `noLongerListed`). */
  private noLongerListed(state: ConversationState, gone: string[]): TurnResult {
    state.lastResults = state.lastResults.filter((id) => !gone.includes(id) && this.kb.byId.has(id));
    return this.result(state, [{ type: 'text', text: wording(this.data, 'noLongerListed') }], state.awaiting);
  }

  private greeting(state: ConversationState): TurnResult {
    const text = [wording(this.data, 'greeting'), wording(this.data, 'menu')].join('\n');
    return this.result(state, [{ type: 'choices', text, choices: wordingChoices(this.data, 'menuChoices') }]);
  }

  private searchTurn(state: ConversationState, msg: string): TurnResult {
    const res = searchAnswer(this.search, msg, this.data);
    state.lastQuestion = res.normalized;
    state.lastAnswered = res.answered;
    return { ...this.finish(state, res, true), answered: res.answered, normalizedText: res.normalized };
  }

  /** Records the answer's results for follow-ups (unless `keepFocus`) and builds the turn result. */
  private finish(state: ConversationState, a: Answer, replaceResults: boolean, keepFocus = false): TurnResult {
    if (!keepFocus && a.results.length && (replaceResults || !state.lastResults.includes(a.results[0]) || a.results.length > 1)) state.lastResults = a.results.slice(0, 20);
    return { ...this.result(state, a.replies, state.awaiting), suggestions: a.suggestions };
  }

  private result(state: ConversationState, replies: OutgoingMessage[], awaiting: string | null = null): TurnResult {
    state.awaiting = awaiting;
    const offered = replies.flatMap((r) => (r.type === 'choices' ? r.choices : []));
    const slots = state.slots as Slots;
    if (offered.length) slots._choices = Object.fromEntries(offered.flatMap((c) => [[c.label, c.value], ...(c.display ? [[c.display, c.value]] : [])]));
    else delete slots._choices;
    return { replies, awaiting, choices: offered.map((c) => c.label), suggestions: [] };
  }
}
