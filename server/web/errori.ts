import { AppError } from '../shared/errori';

/**
 * An error whose message is safe to show: a bad parameter (400), forbidden (403), not found (404),
 * conflict (409). It lives here, below every feature, so that routes can throw it without
 * importing the app that mounts them (server/app.ts turns it into the page or the JSON answer).
 */
export class HttpError extends AppError {
  constructor(status: number, message: string) {
    super(message, { status, mostrabile: true });
  }
}
