import { createViews, Views } from '../web/views';

/**
 * E-mails are rendered by the same Handlebars set-up as the pages (server/web/views.ts), from
 * views/emails/NAME.html.hbs and NAME.txt.hbs, each inside its layout (_layout.html/_layout.txt).
 * One instance per process: templates are compiled once.
 */
let views: Views | null = null;

function instance(): Views {
  return (views ??= createViews());
}

export interface RenderedEmail {
  html: string;
  testo: string;
}

export function renderEmail(name: string, data: Record<string, unknown>): RenderedEmail {
  const v = instance();
  const html = v.render('emails/_layout.html', { ...data, body: v.render(`emails/${name}.html`, data) });
  const testo = v.render('emails/_layout.txt', { ...data, body: v.render(`emails/${name}.txt`, data).trim() });
  return { html, testo: testo.replace(/\n{3,}/g, '\n\n').trim() + '\n' };
}
