/*
 * The script of every page (built by server/web/statici.ts, loaded with `defer`): the design
 * system's collapsible navbar (the menu button on narrow screens, keyboard included) and the
 * small behaviours of our pages. No inline script anywhere: the CSP forbids them.
 */
import NavBarCollapsible from 'bootstrap-italia/dist/plugins/navbar-collapsible.js';
import { comportamenti } from './comportamenti.js';

// bootstrap-italia's package says it has no side effects, so a bare import would be dropped:
// creating the instances also registers the menu button's handlers.
document.querySelectorAll('.navbar-collapsable').forEach(function (el) {
  NavBarCollapsible.getOrCreateInstance(el);
});
comportamenti(document);
