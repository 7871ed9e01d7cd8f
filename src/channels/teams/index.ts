/**
 * Microsoft Teams (Bot Framework) channel: `POST /api/messages`, handled by botbuilder's
 * CloudAdapter and the ShienTeamsBot ActivityHandler; replies go to the activity's serviceUrl.
 * With MICROSOFT_APP_ID set, the SDK verifies the inbound JWT (missing or invalid → 401) and
 * authenticates outbound calls. Without it Teams is off, unless TEAMS_EMULATOR=1 (never in
 * production): then the adapter runs unauthenticated for the Bot Framework Emulator and an activity
 * whose serviceUrl is not a loopback address (localhost, 127.0.0.0/8, ::1) is refused with 403 —
 * the server never POSTs its reply wherever an unauthenticated caller says.
 * Every activity body is validated (zod) before the SDK sees it: malformed → 400, logged.
 */
import express from 'express';
import { z } from 'zod';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { ChannelDeps } from '../turn.ts';
import { ShienTeamsBot } from './bot.ts';

export const TEAMS_PATH = '/api/messages';

/** The fields of an activity the bot and the SDK rely on (Bot Framework Activity schema). */
const Activity = z.looseObject({
  type: z.string().min(1).max(64),
  serviceUrl: z.string().min(1).max(2048),
  id: z.string().max(256).optional(),
  text: z.string().max(40_000).optional(),
  from: z.looseObject({ id: z.string().min(1).max(256) }).optional(),
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
  recipient: z.looseObject({ id: z.string().min(1).max(256) }).optional(),
});

/** true when `url` is http(s) on a loopback host: localhost, 127.0.0.0/8 or [::1]. */
export function isLoopbackUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const host = u.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Mounts the Teams endpoint on `app`. `emulator`: no authentication, loopback serviceUrl only
 * (mountChannels passes it for TEAMS_EMULATOR=1 outside production).
 */
export function mountTeams(app: express.Express, deps: ChannelDeps, opts: { emulator?: boolean } = {}): void {
  const { config } = deps;
  const log = deps.logger.child({ channel: 'teams' });
  const credentials = {
    MicrosoftAppId: config.MICROSOFT_APP_ID,
    MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
    MicrosoftAppType: config.MICROSOFT_APP_TYPE,
    MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
  };
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(credentials, new ConfigurationServiceClientCredentialFactory(credentials)),
  );
  adapter.onTurnError = async (context, err) => {
    log.error({ err, activityType: context.activity.type }, 'Teams turn failed');
  };
  const bot = new ShienTeamsBot(deps);

  const router = express.Router();
  router.post(TEAMS_PATH, express.json({ limit: config.BODY_LIMIT }), async (req, res) => {
    const act = Activity.safeParse(req.body);
    if (!act.success) {
      log.warn({ issues: act.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'malformed Teams activity refused');
      res.status(400).json({ error: 'malformed activity' });
      return;
    }
    if (opts.emulator && !isLoopbackUrl(act.data.serviceUrl)) {
      log.warn({ serviceUrl: act.data.serviceUrl.slice(0, 200) }, 'Emulator mode: activity with a non-loopback serviceUrl refused');
      res.status(403).json({ error: 'serviceUrl must be a loopback address in Emulator mode' });
      return;
    }
    await adapter.process(req, res, (context) => bot.run(context));
  });
  app.use(router);
}
