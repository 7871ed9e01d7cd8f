/**
 * Renders engine replies as Bot Framework activities for Microsoft Teams.
 * Choices: hero cards (≤ 6 buttons each) whose buttons are messageBack actions carrying `{shienChoice, label}` —
 * card buttons work in personal chats, group chats and channels alike (Teams shows
 * suggestedActions only in personal chats, imBack-only and at most 3, so they are not used).
 * Programme / desk cards: Adaptive Cards 1.4 (FactSet of key terms, desk, phone, notes, source,
 * 電話する as an Action.OpenUrl `tel:` link per number, the card's own buttons as Action.Submit with
 * the same value shape).
 * A turn is at most 3 activities (Teams throttles a burst of messages to one conversation): texts
 * ride on the activity of the cards that follow them, a result is 「texts + programme carousel」,
 * 「相談先 + desk carousel」 and 「the next-step question with its buttons」.
 */
import { ActionTypes, CardFactory, MessageFactory, type Activity, type Attachment, type CardAction } from 'botbuilder';
import type { Card, Choice, Incoming, OutgoingMessage } from '../../core/types.ts';
import { callLabel, cardPlain, dialNumbers, phoneLine } from '../cards.ts';

/** The value a button press carries back (message `value`, Action.Submit data or invoke value). */
export interface ChoiceValue {
  shienChoice: string;
  label?: string;
}

function messageBack(c: Choice): CardAction {
  const value: ChoiceValue = { shienChoice: c.value, label: c.label };
  return { type: ActionTypes.MessageBack, title: c.label, text: c.label, displayText: c.display ?? c.label, value };
}

/** Teams shows at most 6 buttons on a hero card. */
const HERO_BUTTONS = 6;

/** The question and its choices: hero cards of ≤ 6 buttons, stacked (list layout), the text on the first (hero cards show no Markdown). */
function choiceCards(text: string, choices: Choice[]): Partial<Activity> {
  const cards: Attachment[] = [];
  for (let i = 0; i < Math.max(choices.length, 1); i += HERO_BUTTONS) {
    cards.push(CardFactory.heroCard('', i === 0 ? text : '', undefined, choices.slice(i, i + HERO_BUTTONS).map(messageBack)));
  }
  return cards.length === 1 ? MessageFactory.attachment(cards[0]!) : MessageFactory.list(cards);
}

/** Teams' limit of activities a turn sends (more are throttled as a burst). */
export const TEAMS_MAX_ACTIVITIES = 3;

/**
 * Escapes the Markdown Teams would interpret in a text message (text the user typed is echoed
 * as typed: 「*急ぎ*」 stays with its asterisks, 「[x](y)」 is not a link, 「<at>」 is not a tag).
 */
export function escapeTeamsMarkdown(s: string): string {
  return s.replace(/[\\`*_~[\]<>]/g, '\\$&').replace(/^([ \t]*)(#|[-+]|\d+\.)([ \t])/gm, '$1\\$2$3');
}

/** Lines as Teams shows them: Markdown needs a blank line between lines (a single \n is joined). */
function paragraphs(s: string): string {
  return s.split(/\n+/).join('\n\n');
}

/** A programme / desk card as an Adaptive Card attachment. */
export function adaptiveCard(card: Card, heading?: string): Attachment {
  const body: Record<string, unknown>[] = [];
  if (heading) body.push({ type: 'TextBlock', text: heading, size: 'Small', weight: 'Bolder', color: 'Accent', wrap: true });
  body.push({ type: 'TextBlock', text: card.title, weight: 'Bolder', size: 'Medium', wrap: true, spacing: heading ? 'None' : 'Default' });
  if (card.subtitle) body.push({ type: 'TextBlock', text: card.subtitle, isSubtle: true, spacing: 'None', wrap: true });
  if (card.text) body.push({ type: 'TextBlock', text: paragraphs(card.text), wrap: true });
  if (card.fields.length) body.push({ type: 'FactSet', facts: card.fields.map((f) => ({ title: f.label, value: f.value })) });
  const phone = phoneLine(card);
  const desk = [card.deskName && `相談先: ${card.deskName}`, phone && `電話: ${phone}`].filter(Boolean);
  if (desk.length) body.push({ type: 'TextBlock', text: desk.join('\n\n'), wrap: true, separator: true });
  for (const n of card.notes ?? []) body.push({ type: 'TextBlock', text: n, size: 'Small', isSubtle: true, wrap: true, spacing: 'Small' });
  if (card.sourceLabel) body.push({ type: 'TextBlock', text: card.sourceLabel, size: 'Small', isSubtle: true, wrap: true });
  const actions: Record<string, unknown>[] = [];
  const dial = dialNumbers(card);
  for (const n of dial) actions.push({ type: 'Action.OpenUrl', title: callLabel(n, dial), url: n.tel });
  for (const a of card.actions ?? []) {
    const data: ChoiceValue = { shienChoice: a.value, label: a.label };
    actions.push({ type: 'Action.Submit', title: a.label, data });
  }
  return CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body, actions });
}

/** One activity in the making: text paragraphs and attachments in one layout. */
interface Draft {
  texts: string[];
  attachments: Attachment[];
  layout?: 'carousel' | 'list';
  summaries: string[];
}

function toActivity(d: Draft): Partial<Activity> {
  const text = d.texts.length ? paragraphs(d.texts.map(escapeTeamsMarkdown).join('\n')) : undefined;
  if (!d.attachments.length) return MessageFactory.text(text ?? ' ');
  const msg = d.layout === 'list' ? MessageFactory.list(d.attachments, text) : MessageFactory.carousel(d.attachments, text);
  if (d.attachments.length === 1) delete msg.attachmentLayout;
  if (d.summaries.length) msg.summary = d.summaries.join('\n\n');
  return msg;
}

/**
 * Engine replies → at most 3 activities, in order, nothing dropped. Texts join the activity of the
 * cards or question that follows them (a trailing text joins the last activity); each group of cards
 * is a carousel; a question is its hero cards (≤ 6 buttons each) stacked as a list. Should more
 * than 3 remain, neighbouring carousels are merged, then the rest joins the last activity.
 */
export function renderTeams(replies: OutgoingMessage[]): Partial<Activity>[] {
  const drafts: Draft[] = [];
  let pending: string[] = [];
  for (const r of replies) {
    if (r.type === 'text') pending.push(r.text);
    else if (r.type === 'link') pending.push(`${r.text}\n${r.url}`);
    else if (r.type === 'choices') {
      const cards = choiceCards(r.text, r.choices);
      drafts.push({ texts: pending, attachments: cards.attachments!, layout: 'list', summaries: [r.text] });
      pending = [];
    } else if (r.cards.length) {
      drafts.push({ texts: pending, attachments: r.cards.map((c) => adaptiveCard(c, r.heading)), layout: 'carousel', summaries: r.cards.map(cardPlain) });
      pending = [];
    }
  }
  if (pending.length) {
    const last = drafts[drafts.length - 1];
    if (last && last.layout === 'carousel') drafts.push({ texts: pending, attachments: [], summaries: [] });
    else if (last) last.texts.push(...pending);
    else drafts.push({ texts: pending, attachments: [], summaries: [] });
  }
  // more than 3: merge neighbouring carousels (texts go first), then everything after the 2nd into the 3rd
  for (let i = drafts.length - 2; drafts.length > TEAMS_MAX_ACTIVITIES && i >= 0; i--) {
    const a = drafts[i]!;
    const b = drafts[i + 1]!;
    if ((a.layout ?? 'carousel') === 'carousel' && (b.layout ?? 'carousel') === 'carousel') {
      drafts.splice(i, 2, { texts: [...a.texts, ...b.texts], attachments: [...a.attachments, ...b.attachments], layout: 'carousel', summaries: [...a.summaries, ...b.summaries] });
    }
  }
  while (drafts.length > TEAMS_MAX_ACTIVITIES) {
    const b = drafts.pop()!;
    const a = drafts[drafts.length - 1]!;
    drafts[drafts.length - 1] = { texts: [...a.texts, ...b.texts], attachments: [...a.attachments, ...b.attachments], layout: 'list', summaries: [...a.summaries, ...b.summaries] };
  }
  return drafts.map(toActivity);
}

/**
 * The choice a button press carries: `{shienChoice}` as a message value (messageBack, Action.Submit)
 * or inside an invoke value (`action.data` of adaptiveCard/action). Null when it is not a choice.
 */
export function choiceFrom(value: unknown): Extract<Incoming, { type: 'choice' }> | null {
  const v = value as { action?: { data?: unknown } } | null | undefined;
  const data = (v?.action?.data ?? v) as Partial<ChoiceValue> | null | undefined;
  if (!data || typeof data.shienChoice !== 'string') return null;
  return { type: 'choice', value: data.shienChoice, label: typeof data.label === 'string' ? data.label : undefined };
}
