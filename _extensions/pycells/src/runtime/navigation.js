// With the site setting `keep-engine`, a link to another page of the site in the same folder is
// followed without leaving this document: the new page's content replaces this one's, its cells
// start on this page's engine (a fresh namespace; the packages already loaded stay loaded), and
// the address, history, title, sidebar and focus follow. Anything else is an ordinary
// navigation: another folder, a page whose head needs other scripts or styles, an engine that
// is busy or not ready, a page that cannot be fetched.
import { Page } from "./page.js";

const SWAPPED = ["#quarto-document-content", "#quarto-margin-sidebar", "#quarto-header .quarto-page-breadcrumbs",
  "nav.page-navigation"];
let currentPage = null;   // the page this document shows
let shownPath = location.pathname;

const folderOf = (path) => path.slice(0, path.lastIndexOf("/") + 1);
const headAssets = (doc) => Array.from(doc.querySelectorAll("head script[src], head link[rel=stylesheet]"),
  (node) => node.getAttribute("src") || node.getAttribute("href"));

function markCurrentInSidebar() {
  for (const link of document.querySelectorAll("#quarto-sidebar a[href]")) {
    const current = new URL(link.href).pathname === location.pathname;
    link.classList.toggle("active", current);
    if (current) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
}

/** Show the page at `url` on this document's engine; resolves false when it cannot (see above). */
async function showPageInPlace(url, { push }) {
  const target = new URL(url, location.href);
  if (!currentPage?.config.keepEngine || !currentPage.engine.isIdle() || folderOf(target.pathname) !== folderOf(shownPath)) return false;
  let doc;
  try {
    const response = await fetch(target.href);
    if (!response.ok) return false;
    doc = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch {
    return false;
  }
  const mine = new Set(headAssets(document));
  const source = doc.getElementById("pycells-config");
  if (!source || !currentPage.engine.isIdle() || headAssets(doc).some((asset) => !mine.has(asset))) return false;
  const parts = SWAPPED.filter((selector) => document.querySelector(selector) && doc.querySelector(selector));
  if (!parts.includes(SWAPPED[0])) return false;
  currentPage.dispose();
  for (const selector of parts) document.querySelector(selector).replaceWith(document.adoptNode(doc.querySelector(selector)));
  document.title = doc.title;
  if (push) history.pushState(null, "", target.href);
  shownPath = location.pathname;
  markCurrentInSidebar();
  currentPage = new Page(JSON.parse(source.textContent), currentPage.engine);
  currentPage.start();
  const main = document.querySelector(SWAPPED[0]);
  window.MathJax?.typesetPromise?.([main]);
  document.dispatchEvent(new CustomEvent("pycells:page"));
  const anchor = target.hash && document.getElementById(decodeURIComponent(target.hash.slice(1)));
  if (anchor) anchor.scrollIntoView(); else window.scrollTo(0, 0);
  const heading = main.querySelector("h1") || main;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
  return true;
}

/** From now on, links to pages of the folder of `firstPage` show them in place of it. */
export function followLinksInPlace(firstPage) {
  currentPage = firstPage;
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest?.("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin || url.pathname === location.pathname || !url.pathname.endsWith(".html")) return;
    if (!currentPage?.config.keepEngine || folderOf(url.pathname) !== folderOf(location.pathname)) return;
    event.preventDefault();
    showPageInPlace(url.href, { push: true }).then((shown) => { if (!shown) location.assign(url.href); });
  });
  window.addEventListener("popstate", () => {
    if (location.pathname === shownPath) return;   // a link within the page
    showPageInPlace(location.href, { push: false }).then((shown) => { if (!shown) location.reload(); });
  });
}
