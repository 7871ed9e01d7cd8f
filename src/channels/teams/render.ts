/**
 * Renders engine replies as Bot Framework activities for Microsoft Teams.
 * Choices: hero cards (≤ 6 buttons each) whose buttons are messageBack actions carrying `{shienChoice, label}` —
 * card buttons work in personal chats, group chats and channels alike (Teams shows
 * suggestedActions only in personal chats, imBack-only and at most 3, so they are not used).
 * Programme / desk cards: Adaptive Cards 1.4 (FactSet of key terms, desk, phone, 電話する as an
 * Action.OpenUrl `tel:` link, the card's own buttons as Action.Submit with the same value shape).
 */
import { ActionTypes, CardFactory, MessageFactory, type Activity, type Attachment, type CardAction } from 'botbuilder';
import type { Card, Choice, Incoming, OutgoingMessage } from '../../core/types.ts';
import { cardPlainText, telUri } from '../turn.ts';

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

/** The question and its choices: hero cards of ≤ 6 buttons, stacked (list layout), the text on the first. */
function choiceCards(text: string, choices: Choice[]): Partial<Activity> {
  const cards: Attachment[] = [];
  for (let i = 0; i < Math.max(choices.length, 1); i += HERO_BUTTONS) {
    cards.push(CardFactory.heroCard('', i === 0 ? text : '', undefined, choices.slice(i, i + HERO_BUTTONS).map(messageBack)));
  }
  return cards.length === 1 ? MessageFactory.attachment(cards[0]!) : MessageFactory.list(cards);
}

/** A programme / desk card as an Adaptive Card attachment. */
export function adaptiveCard(card: Card): Attachment {
  const body: Record<string, unknown>[] = [{ type: 'TextBlock', text: card.title, weight: 'Bolder', size: 'Medium', wrap: true }];
  if (card.subtitle) body.push({ type: 'TextBlock', text: card.subtitle, isSubtle: true, spacing: 'None', wrap: true });
  if (card.text) body.push({ type: 'TextBlock', text: card.text, wrap: true });
  if (card.fields.length) body.push({ type: 'FactSet', facts: card.fields.map((f) => ({ title: f.label, value: f.value })) });
  const desk = [card.deskName && `相談先: ${card.deskName}`, card.phone && `電話: ${card.phone}`].filter(Boolean);
  if (desk.length) body.push({ type: 'TextBlock', text: desk.join('\n\n'), wrap: true, separator: true });
  if (card.sourceLabel) body.push({ type: 'TextBlock', text: card.sourceLabel, size: 'Small', isSubtle: true, wrap: true });
  const actions: Record<string, unknown>[] = [];
  if (card.phone) actions.push({ type: 'Action.OpenUrl', title: '電話する', url: telUri(card.phone) });
  for (const a of card.actions ?? []) {
    const data: ChoiceValue = { shienChoice: a.value, label: a.label };
    actions.push({ type: 'Action.Submit', title: a.label, data });
  }
  return CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body, actions });
}

/** Engine replies → activities to send in order (text, hero card with choice buttons, card carousel). */
export function renderTeams(replies: OutgoingMessage[]): Partial<Activity>[] {
  return replies.flatMap((r): Partial<Activity>[] => {
    if (r.type === 'text') return [MessageFactory.text(r.text)];
    if (r.type === 'link') return [MessageFactory.text(`${r.text}\n\n${r.url}`)];
    if (r.type === 'choices') return [choiceCards(r.text, r.choices)];
    if (!r.cards.length) return [];
    const msg = MessageFactory.carousel(r.cards.map(adaptiveCard));
    msg.summary = r.cards.map(cardPlainText).join('\n\n');
    return [msg];
  });
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
