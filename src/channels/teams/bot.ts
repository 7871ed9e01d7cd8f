/**
 * The Teams bot logic (botbuilder ActivityHandler): messages and button presses → engine turn,
 * welcome on conversationUpdate. Rendering is in render.ts; HTTP wiring in index.ts.
 */
import { ActivityHandler, TurnContext, type InvokeResponse } from 'botbuilder';
import type { Incoming } from '../../core/types.ts';
import { GREETING, runTurn, type ChannelDeps } from '../turn.ts';
import { choiceFrom, renderTeams } from './render.ts';

/**
 * `teams:<tenant id>:<AAD object id or channel user id>` (tenant '-' outside Teams, e.g. the Emulator).
 */
export function teamsUserKey(activity: TurnContext['activity']): string {
  const tenant = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const user = activity.from?.aadObjectId ?? activity.from?.id ?? 'anonymous';
  return `teams:${tenant ?? '-'}:${user}`;
}

/** ActivityHandler answering every message, card button press and welcome with an engine turn. */
export class ShienTeamsBot extends ActivityHandler {
  constructor(private readonly deps: ChannelDeps) {
    super();
    this.onMessage(async (context, next) => {
      const choice = choiceFrom(context.activity.value);
      const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
      await this.reply(context, choice ?? { type: 'text', text: text.trim() });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const { activity } = context;
      const added = activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === activity.recipient.id);
      const personal = !activity.conversation.conversationType || activity.conversation.conversationType === 'personal';
      // Greet once: when the bot joins a conversation, or when a user opens a 1:1 chat (Emulator).
      if (botAdded || (personal && added.some((m) => m.id !== activity.recipient.id))) await this.reply(context, GREETING);
      await next();
    });
  }

  /** A button press sent as an invoke (card `invoke` action, Action.Execute) is handled as the choice. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const choice = choiceFrom(context.activity.value);
    if (!choice) return super.onInvokeActivity(context);
    await this.reply(context, choice);
    const body = context.activity.name === 'adaptiveCard/action'
      ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: choice.label ?? choice.value }
      : undefined;
    return { status: 200, body };
  }

  private async reply(context: TurnContext, incoming: Incoming): Promise<void> {
    const replies = await runTurn(this.deps, 'teams', teamsUserKey(context.activity), incoming);
    await context.sendActivities(renderTeams(replies));
  }
}
