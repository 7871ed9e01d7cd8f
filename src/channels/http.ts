/**
 * Express error middleware for routes that parse their own bodies: body-parser failures keep their
 * status (400 malformed JSON, 413 body over BODY_LIMIT, 415 unsupported encoding) with a short JSON
 * body, instead of express's HTML error page. Anything else goes to the next error handler.
 * (Used by the web chat route; the platform webhooks rely on the app's final error handler.)
 */
import type express from 'express';

export function bodyErrorHandler(): express.ErrorRequestHandler {
  return (err, _req, res, next) => {
    const status = (err as { status?: number; type?: string }).status;
    if (status === 400 || status === 413 || status === 415) {
      res.status(status).json({ error: status === 413 ? 'request body too large' : 'malformed request body' });
      return;
    }
    next(err);
  };
}
