import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { decimale, giorno } from '../shared/formato';
import { asset } from './statici';

export const VIEWS_DIR = path.resolve(__dirname, '..', '..', 'views');

/**
 * One Handlebars instance renders pages and emails. Templates are compiled once and cached;
 * partials are every file of views/partials.
 */
export function createViews() {
  const hbs = Handlebars.create();
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const partialsDir = path.join(VIEWS_DIR, 'partials');
  for (const f of fs.existsSync(partialsDir) ? fs.readdirSync(partialsDir) : []) {
    if (f.endsWith('.hbs')) hbs.registerPartial(f.replace(/\.hbs$/, ''), fs.readFileSync(path.join(partialsDir, f), 'utf8'));
  }
  registerHelpers(hbs);

  function template(name: string): Handlebars.TemplateDelegate {
    let t = cache.get(name);
    if (!t) {
      t = hbs.compile(fs.readFileSync(path.join(VIEWS_DIR, `${name}.hbs`), 'utf8'));
      cache.set(name, t);
    }
    return t;
  }

  return {
    hbs,
    /** Renders `pages/<page>` inside `layouts/<layout>`. */
    page(page: string, data: Record<string, unknown>, layout = 'main'): string {
      const body = template(`pages/${page}`)(data);
      return template(`layouts/${layout}`)({ ...data, body });
    },
    render(name: string, data: Record<string, unknown>): string {
      return template(name)(data);
    },
  };
}

export type Views = ReturnType<typeof createViews>;

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('num', (v: unknown) => (typeof v === 'number' ? decimale(v) : v == null ? '–' : String(v)));
  hbs.registerHelper('pct', (v: unknown) => (typeof v === 'number' ? `${decimale(v)}%` : v == null ? '–' : String(v)));
  hbs.registerHelper('asset', (p: unknown) => asset(String(p)));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('json', (v: unknown) => new hbs.SafeString(JSON.stringify(v).replace(/</g, '\\u003c')));
  hbs.registerHelper('dataIt', (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? giorno(v) : v ?? '–'));
}
