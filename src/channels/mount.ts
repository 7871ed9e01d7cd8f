/**
 * Mounts the platform channels (LINE, Slack, Teams) on the server's express app. Each channel
 * parses its own body (raw for signature checks), so this must run before any global body parser.
 * A channel whose credentials are absent — or whose start-up check fails (Slack auth.test) — is
 * off; the result says why and the caller logs it. The web chat and /api/chat are not mounted here.
 * Body errors (400 malformed, 413 over BODY_LIMIT) are passed on with their `status` to the app's
 * error handler (src/server/app.ts answers them with a JSON error).
 */
import type express from 'express';
import type { ChannelDeps } from './turn.ts';

/** Which channels are on, and why the others are off (for the startup log and /healthz). */
export interface MountResult {
  enabled: string[];
  disabled: { channel: string; reason: string }[];
}

/**
 * Mounts every channel whose credentials are set in `deps.config`:
 * LINE (LINE_CHANNEL_SECRET + LINE_CHANNEL_ACCESS_TOKEN) at POST /webhooks/line,
 * Slack (SLACK_SIGNING_SECRET + SLACK_BOT_TOKEN) at POST /slack/events,
 * Teams (MICROSOFT_APP_ID …, or TEAMS_EMULATOR=1 outside NODE_ENV=production: Emulator mode) at POST /api/messages.
 * A channel failing its start-up check is reported in `disabled` and logged; programming errors propagate.
 * A channel's module (and its platform SDK: botbuilder, bolt …) is imported only when the channel is on.
 */
export async function mountChannels(app: express.Express, deps: ChannelDeps): Promise<MountResult> {
  const { config, logger } = deps;
  const result: MountResult = { enabled: [], disabled: [] };
  const off = (channel: string, reason: string) => {
    result.disabled.push({ channel, reason });
    logger.info({ channel, reason }, `channel ${channel} off: ${reason}`);
  };
  const on = (channel: string, note?: string) => {
    result.enabled.push(channel);
    logger.info({ channel }, `channel ${channel} on${note ? ` (${note})` : ''}`);
  };

  if (config.LINE_CHANNEL_SECRET && config.LINE_CHANNEL_ACCESS_TOKEN) {
    const { mountLine } = await import('./line/index.ts');
    mountLine(app, deps);
    on('line', 'POST /webhooks/line');
  } else off('line', 'LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN not set');

  if (config.SLACK_SIGNING_SECRET && config.SLACK_BOT_TOKEN) {
    const { mountSlack, SlackStartupError } = await import('./slack/index.ts');
    try {
      await mountSlack(app, deps);
      on('slack', 'POST /slack/events');
    } catch (err) {
      if (!(err instanceof SlackStartupError)) throw err;
      logger.error({ err }, 'Slack start-up check failed');
      off('slack', `SLACK_BOT_TOKEN rejected or Slack unreachable (${err.message})`);
    }
  } else off('slack', 'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN not set');

  const teams = async (emulator: boolean) => (await import('./teams/index.ts')).mountTeams(app, deps, { emulator });
  if (config.MICROSOFT_APP_ID) {
    await teams(false);
    on('teams', 'POST /api/messages, Bot Framework JWT verified');
  } else if (config.TEAMS_EMULATOR === '1' && config.NODE_ENV !== 'production') {
    await teams(true);
    on('teams', 'POST /api/messages, Bot Framework Emulator mode: no authentication, replies only to a loopback serviceUrl');
    logger.warn('Teams endpoint runs without authentication (TEAMS_EMULATOR=1): for local testing with the Bot Framework Emulator only');
  } else if (config.TEAMS_EMULATOR === '1') off('teams', 'TEAMS_EMULATOR=1 is refused when NODE_ENV=production; set MICROSOFT_APP_ID');
  else off('teams', 'MICROSOFT_APP_ID not set (TEAMS_EMULATOR=1 turns on the unauthenticated Emulator mode for local testing)');

  return result;
}
