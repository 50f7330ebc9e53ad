/* Rekindle's quick exit and neutral tab title, for the whole page.
 *
 * - A click on any "Leave this page quickly" link (a.rk-quick-exit) replaces
 *   this page in the browser's history (location.replace), so Back does not
 *   return to it. The page is hidden at once, before the next one loads.
 * - Shift pressed three times (as GOV.UK's "Exit this page": a Shift that is
 *   part of a capital letter does not count, any other key starts again, the
 *   count lapses after 5 seconds), or Escape pressed twice within 1.5 seconds,
 *   does the same. Escape in a code editor (JupyterLab) does not count.
 * - In Voila (the template's script tag has data-rk-title) the tab's title is "Notes" or the one the
 *   person chose in the app (an input inside .rk-tab-title), kept in this
 *   browser's localStorage; JupyterLab keeps its own title.
 *
 * Loaded by the Voila template "rekindle" and, in JupyterLab, by the
 * quick-exit widget (rekindle_widgets.widgets.safety); it installs itself once.
 * The exit address is the link's own href; REKINDLE_EXIT_URL sets it.
 * - Served by `rekindle app` (the script tag's data-rk-lock), leaving also locks
 *   the app: a beacon asks the server to refuse every login cookie and the old
 *   token from now on and to stop its kernels, so neither Back, nor a reopened
 *   browser, nor the bare address shows anything of the journal.
 * - The app's hidden field .rk-browser gets this browser's time zone,
 *   languages and width (JSON), once: the helplines' region follows them
 *   until the person chooses one, and charts are drawn for a phone's width
 *   on a narrow screen (rekindle_widgets/app.py).
 * - A result just drawn (a widget with the class rk-reveal: "See my result",
 *   the safety panel before it) is scrolled into view below the sticky help
 *   bar and takes the focus, so a phone shows it and a screen reader reads it.
 */
(function () {
  "use strict";
  if (window.rekindleQuickExit) {
    return;
  }
  var TITLE_KEY = "notes.tab-title";
  var exiting = false;
  var script = document.currentScript;
  var lockUrl = script ? script.getAttribute("data-rk-lock") : null;

  function lock() {
    if (!lockUrl) {
      return;
    }
    try {
      // a beacon is sent even as the page goes away; same origin, so the login cookie goes with it
      if (!(navigator.sendBeacon && navigator.sendBeacon(lockUrl))) {
        fetch(lockUrl, { method: "POST", keepalive: true, credentials: "same-origin" });
      }
    } catch (e) { /* leaving matters more than locking */ }
  }

  function exitUrl() {
    var link = document.querySelector("a.rk-quick-exit");
    return link ? link.href : "about:blank";
  }

  function leave(url) {
    if (exiting) {
      return;
    }
    exiting = true;
    var target = url || exitUrl();
    try {
      document.documentElement.style.visibility = "hidden";
      document.title = "";
    } catch (e) { /* leaving matters more than hiding */ }
    lock();
    // Only this page's entry is replaced. Voila has just that one; JupyterLab adds
    // entries of its own (history.pushState) as it opens a notebook, and a page
    // cannot remove them: there, Back leads to JupyterLab again (a traversal back
    // over them before leaving was tried: it cancels the exit in Chromium).
    window.location.replace(target);
  }

  // JupyterLab asks "leave this page?" when a notebook has unsaved changes; a
  // capturing listener runs before the page's own ones and stops them.
  window.addEventListener("beforeunload", function (event) {
    if (exiting) {
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a.rk-quick-exit") : null;
    if (link) {
      event.preventDefault();
      event.stopPropagation();
      leave(link.href);
    }
  }, true);

  var shifts = 0;
  var lastKeyWasModified = false;
  var shiftTimer = null;
  var lastEscape = 0;

  function resetShifts() {
    shifts = 0;
    if (shiftTimer) {
      window.clearTimeout(shiftTimer);
      shiftTimer = null;
    }
  }

  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && !lastKeyWasModified) {
      shifts += 1;
      if (shifts >= 3) {
        resetShifts();
        leave();
      } else {
        if (shiftTimer) {
          window.clearTimeout(shiftTimer);
        }
        shiftTimer = window.setTimeout(resetShifts, 5000);
      }
    } else if (event.key !== "Shift") {
      resetShifts();
    }
    lastKeyWasModified = event.shiftKey;
    if (event.key === "Escape") {
      var inEditor = event.target && event.target.closest && event.target.closest(".cm-editor, .CodeMirror");
      var now = Date.now();
      if (!inEditor && now - lastEscape < 1500) {
        lastEscape = 0;
        leave();
      } else {
        lastEscape = inEditor ? 0 : now;
      }
    }
  }, true);

  // Back to a page kept in the browser's memory (bfcache): show it again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    exiting = false;
    document.documentElement.style.visibility = "";
  });

  function storedTitle() {
    try {
      return window.localStorage.getItem(TITLE_KEY) || "";
    } catch (e) {
      return "";
    }
  }

  if (script && script.hasAttribute("data-rk-title")) {
    var neutral = document.title || "Notes";
    var applyTitle = function () {
      var wanted = storedTitle() || neutral;
      if (!exiting && document.title !== wanted) {
        document.title = wanted;
      }
    };
    applyTitle();
    document.addEventListener("input", function (event) {
      var field = event.target && event.target.closest ? event.target.closest(".rk-tab-title") : null;
      if (field && event.target.value !== undefined) {
        var chosen = event.target.value.trim().slice(0, 60);
        try {
          if (chosen) {
            window.localStorage.setItem(TITLE_KEY, chosen);
          } else {
            window.localStorage.removeItem(TITLE_KEY);
          }
        } catch (e) { /* private windows may refuse storage: the title still changes */ }
        document.title = chosen || neutral;
      }
    }, true);
    // Fill the title field with the stored title once the app has drawn it.
    new MutationObserver(function () {
      var input = document.querySelector(".rk-tab-title input:not([data-rk-filled])");
      if (input) {
        input.setAttribute("data-rk-filled", "");
        if (!input.value) {
          input.value = storedTitle();
        }
      }
      applyTitle();
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  // Results: each rk-reveal element once, the first on the page when several come at once (the safety panel
  // before the result it goes with); one in a hidden tab waits until it is shown.
  var revealed = new WeakSet();
  var revealTimer = null;

  function reveal() {
    revealTimer = null;
    var found = document.querySelectorAll(".rk-reveal");
    var first = null;
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      if (revealed.has(el) || !el.getClientRects().length) {
        continue;
      }
      revealed.add(el);
      if (!first) {
        first = el;
      }
    }
    if (first && !exiting) {
      first.setAttribute("tabindex", "-1");
      first.scrollIntoView({ block: "start" });
      first.focus({ preventScroll: true });
    }
  }

  function tellTheApp() {
    var field = document.querySelector(".rk-browser input:not([data-rk-told])");
    if (!field) {
      return;
    }
    field.setAttribute("data-rk-told", "");
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) { /* no Intl: the languages still say something */ }
    field.value = JSON.stringify({ timeZone: zone, languages: navigator.languages || [navigator.language],
                                   width: window.innerWidth });
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // One question a screen: a first answer goes on to the next question (rekindle_widgets.widgets.questionnaire),
  // which hides the one that had the focus; the focus goes to the new question's first choice, so the Tab
  // key and a screen reader carry on from there instead of from the top of the page.
  var lastInQuestion = null;
  document.addEventListener("focusin", function (event) {
    var t = event.target;
    lastInQuestion = t && t.closest && t.closest(".rk-questionnaire .rk-item") ? t : null;
  }, true);

  function followQuestion() {
    var was = lastInQuestion;
    var active = document.activeElement;
    if (!was || was.getClientRects().length) {
      return;  // no question had the focus, or it is still shown
    }
    if (active && active !== document.body && active !== was && active.getClientRects().length) {
      return;  // the person has moved on by themselves
    }
    var form = was.closest(".rk-questionnaire");
    var items = form ? form.querySelectorAll(".rk-item") : [];
    for (var i = 0; i < items.length; i++) {
      if (items[i].getClientRects().length) {
        var next = items[i].querySelector("input, select, textarea");
        if (next) {
          lastInQuestion = next;
          next.focus({ preventScroll: true });
        }
        return;
      }
    }
  }

  new MutationObserver(function () {
    tellTheApp();
    followQuestion();
    if (!revealTimer) {  // the widgets of one result are drawn within a few frames: wait for all of them
      revealTimer = window.setTimeout(reveal, 80);
    }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
                                         attributeFilter: ["style", "class"] });  // shown, hidden

  window.rekindleQuickExit = { leave: leave };
})();
