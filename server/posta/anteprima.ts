/**
 * The outbox preview shows an e-mail as the comune receives it, inside a sandboxed iframe. The
 * e-mail carries inline `style="..."` attributes (mail clients need them), which the site's CSP
 * forbids; the preview moves them into a stylesheet of generated classes served from the same
 * origin, so the strict CSP stays as it is. The one-click acknowledgement link is disabled: the
 * office opening a preview must not acknowledge in the comune's name.
 */
export function anteprima(html: string, cssHref: string): { html: string; css: string } {
  const classes = new Map<string, string>();
  let body = html.replace(/\sstyle="([^"]*)"/g, (_m, decl: string) => {
    let c = classes.get(decl);
    if (!c) {
      c = `s${classes.size + 1}`;
      classes.set(decl, c);
    }
    return ` class="${c}"`;
  });
  // An element that also had a class attribute now has two: merge them.
  body = body.replace(/class="([^"]*)"(\s[^>]*?)\sclass="([^"]*)"/g, 'class="$1 $3"$2');
  body = body.replace(/href="[^"]*\/presa-visione\/[^"]*"/g, 'href="#" aria-disabled="true" title="Link disattivato nell\'anteprima"');
  const link = `<link rel="stylesheet" href="${cssHref}">`;
  body = /<\/head>/i.test(body) ? body.replace(/<\/head>/i, `${link}</head>`) : link + body;
  const css = [...classes].map(([decl, c]) => `.${c}{${decl}}`).join('\n') + '\n';
  return { html: body, css };
}

/** The preview document's policy: nothing but same-origin styles and images, framed by us only. */
export const CSP_ANTEPRIMA = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');
