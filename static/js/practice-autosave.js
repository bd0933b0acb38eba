// Practice notes save themselves while the candidate types, so an answer drafted for twenty
// minutes is never lost to a closed tab or a dropped connection.
//
// - Typing saves after a pause of a second; choosing a status saves at once.
// - The form is posted as it is (same address, same CSRF token) with X-Prep-Autosave: 1, and the
//   server answers JSON instead of a page: the form is never swapped under the caret.
// - A failed save (offline, server down) is retried with back-off and again as soon as the
//   browser is back online; until a save succeeds, leaving the page asks first.
// - Without JavaScript none of this runs and the form's own "Save practice" button posts it.
(function () {
  "use strict";
  if (window.prepAutosave) return;
  window.prepAutosave = true;

  var PAUSE_MS = 1000;
  var RETRY_MS = [2000, 5000, 15000, 30000];
  var states = new Map();

  function stateOf(form) {
    var state = states.get(form);
    if (!state) {
      state = { timer: null, dirty: false, inFlight: false, failures: 0 };
      states.set(form, state);
    }
    return state;
  }

  function show(form, text, kind) {
    var status = form.querySelector("[data-autosave-status]");
    if (!status) return;
    status.textContent = text;
    status.setAttribute("data-state", kind);
  }

  function schedule(form, delay) {
    var state = stateOf(form);
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { save(form); }, delay);
  }

  function failed(form, text) {
    var state = stateOf(form);
    state.dirty = true;
    state.failures += 1;
    show(form, text, "error");
    var wait = RETRY_MS[Math.min(state.failures, RETRY_MS.length) - 1];
    schedule(form, wait);
  }

  function save(form) {
    var state = stateOf(form);
    if (!document.contains(form)) { states.delete(form); return; }
    if (state.inFlight || !state.dirty) return;
    state.inFlight = true;
    state.dirty = false;
    show(form, "Saving…", "saving");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Prep-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        state.inFlight = false;
        if (state.pendingSubmitter !== undefined) {
          // The post that waited for this save goes now, with the form as it is.
          var submitter = state.pendingSubmitter;
          delete state.pendingSubmitter;
          if (submitter && form.requestSubmit) form.requestSubmit(submitter);
          else if (form.requestSubmit) form.requestSubmit();
          else form.submit();
          return;
        }
        // Redirected (to the login page) is not saved, whatever its status says.
        if (response.ok && !response.redirected && body.saved === true) {
          state.failures = 0;
          if (state.dirty) { schedule(form, PAUSE_MS); return; }
          show(form, body.message || "Saved.", "saved");
          var last = form.querySelector("[data-last-practised]");
          // Server-rendered and escaped: "Last practised just now (…)" after a new status.
          if (last && typeof body.last_practised === "string") last.innerHTML = body.last_practised;
          releaseHeld();
          return;
        }
        if (response.status === 400 || response.status === 409) {
          // The text itself is refused (too long, question withdrawn): retrying cannot help,
          // and the unsaved text stays on the page, guarded by the leave warning.
          state.dirty = true;
          show(form, body.message || "Not saved.", "error");
          return;
        }
        if (response.status === 403 || response.status === 401 || response.redirected) {
          state.dirty = true;
          show(form, "Not saved: your session has ended. Copy your text, then log in again.", "error");
          return;
        }
        failed(form, "Not saved yet: Prep will try again in a moment.");
      });
    }).catch(function () {
      state.inFlight = false;
      if (state.pendingSubmitter !== undefined) {
        // Offline or failing: the post that waited goes anyway, and says so itself.
        var submitter = state.pendingSubmitter;
        delete state.pendingSubmitter;
        if (submitter && form.requestSubmit) form.requestSubmit(submitter);
        else form.submit();
        return;
      }
      failed(form, navigator.onLine === false
        ? "Offline: not saved yet. Prep saves as soon as you are back online."
        : "Not saved yet: Prep will try again in a moment.");
    });
  }

  // Another form on the page ("Use this story", "Unlink") leaves the page: notes typed a moment
  // before it were not saved yet, and the browser asked "Leave site?". The form waits while
  // the notes are saved, then goes; if they cannot be saved it stays, and the status says why.
  var held = null;

  function unsavedForms() {
    var waiting = [];
    states.forEach(function (state, form) {
      if (document.contains(form) && (state.dirty || state.inFlight)) waiting.push(form);
    });
    return waiting;
  }

  function holdForNotes(event) {
    var waiting = unsavedForms();
    if (!waiting.length) return;
    event.preventDefault();
    event.stopPropagation();
    held = { form: event.target, submitter: event.submitter || null };
    waiting.forEach(function (form) {
      var state = stateOf(form);
      if (!state.inFlight) { clearTimeout(state.timer); save(form); }
    });
  }

  function releaseHeld() {
    if (!held || unsavedForms().length) return;
    var go = held;
    held = null;
    if (go.submitter && go.form.requestSubmit) go.form.requestSubmit(go.submitter);
    else go.form.submit();
  }

  // The status (radio buttons, or a select) is a choice, not typing: it saves at once.
  function savesAtOnce(field) {
    return field.tagName === "SELECT" || field.type === "radio" || field.type === "checkbox";
  }

  function formOf(target) {
    return target && target.closest ? target.closest("form[data-autosave]") : null;
  }

  document.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (!form || savesAtOnce(event.target)) return;
    stateOf(form).dirty = true;
    show(form, "Unsaved changes", "dirty");
    schedule(form, PAUSE_MS);
  });

  document.addEventListener("change", function (event) {
    var form = formOf(event.target);
    if (!form || !savesAtOnce(event.target)) return;
    stateOf(form).dirty = true;
    schedule(form, 0);
  });

  // "Save practice" (or a rating) posts the whole form itself; nothing is left for the autosave
  // to do. But an autosave still on its way carries the form as it was when it left (a status
  // chosen before the notes were typed): arriving after this post it would overwrite the notes.
  // So the post waits for it. In the capture phase, before htmx sees the submit.
  document.addEventListener("submit", function (event) {
    var form = formOf(event.target);
    if (!form) {
      holdForNotes(event);
      return;
    }
    var state = stateOf(form);
    clearTimeout(state.timer);
    state.dirty = false;
    if (state.inFlight) {
      event.preventDefault();
      event.stopPropagation();
      state.pendingSubmitter = event.submitter || null;
    }
  }, true);

  // Notes posted after the session had ended, filled in again after the login: save them now.
  document.querySelectorAll("form[data-autosave][data-autosave-pending]").forEach(function (form) {
    stateOf(form).dirty = true;
    schedule(form, 0);
  });

  window.addEventListener("online", function () {
    states.forEach(function (state, form) {
      if (state.dirty) { state.failures = 0; schedule(form, 0); }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = false;
    states.forEach(function (state, form) {
      if ((state.dirty || state.inFlight) && document.contains(form)) unsaved = true;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
