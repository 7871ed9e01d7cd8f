/**
 * Microsoft Teams (Bot Framework) channel: `POST /api/messages`, handled by botbuilder's
 * CloudAdapter and the ShienTeamsBot ActivityHandler; replies go to the activity's serviceUrl.
 * With MICROSOFT_APP_ID set, the SDK verifies the inbound JWT (missing or invalid → 401) and
 * authenticates outbound calls; without it the adapter runs unauthenticated for the Bot Framework
 * Emulator — allowed only when NODE_ENV is not 'production'.
 */
import express from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { ChannelDeps } from '../turn.ts';
import { ShienTeamsBot } from './bot.ts';

export const TEAMS_PATH = '/api/messages';

/** Mounts the Teams endpoint on `app`. */
export function mountTeams(app: express.Express, deps: ChannelDeps): void {
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
    await adapter.process(req, res, (context) => bot.run(context));
  });
  app.use(router);
}
