/**
 * Installs the LINE rich menu (deploy/line/richmenu.json + richmenu.png) as the default menu of the
 * channel: creates it, uploads the picture, sets it as default for every user.
 *
 *   LINE_CHANNEL_ACCESS_TOKEN=… npx tsx deploy/line/richmenu.ts
 *
 * LINE_API_BASE_URL / LINE_API_DATA_BASE_URL override https://api.line.me / https://api-data.line.me
 * (proxies, tests). Prints the new rich menu id; exit 1 with the API's message on failure.
 */
import { readFileSync } from 'node:fs';
import { messagingApi } from '@line/bot-sdk';

const token = process.env.LINE_CHANNEL_ACCESS_TOKEN;
if (!token) {
  console.error('richmenu: LINE_CHANNEL_ACCESS_TOKEN: missing');
  process.exit(1);
}
const menu = JSON.parse(readFileSync(new URL('./richmenu.json', import.meta.url), 'utf8')) as messagingApi.RichMenuRequest;
const image = new Blob([readFileSync(new URL('./richmenu.png', import.meta.url))], { type: 'image/png' });
const api = new messagingApi.MessagingApiClient({ channelAccessToken: token, baseURL: process.env.LINE_API_BASE_URL });
const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: token, baseURL: process.env.LINE_API_DATA_BASE_URL ?? process.env.LINE_API_BASE_URL });

try {
  const { richMenuId } = await api.createRichMenu(menu);
  await blob.setRichMenuImage(richMenuId, image);
  await api.setDefaultRichMenu(richMenuId);
  console.log(`rich menu ${richMenuId} created and set as default`);
} catch (err) {
  console.error(`richmenu: ${(err as Error).message}`);
  process.exit(1);
}
