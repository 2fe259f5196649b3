// Applies a session's live stream (Server-Sent Events) to the room's pages: the questions on a
// phone and on the room's screen, and the poll's counts where they are shown. Without it (or
// without JavaScript) the pages work as plain forms and links; nothing here is needed to take
// part. Keeps focus and reading position; announces news politely to screen readers.
(function () {
  "use strict";
  var root = document.getElementById("salle");
  if (!root || !root.dataset.stream || !window.EventSource) return;
  var list = document.getElementById("questions");
  var announcer = document.getElementById("annonces");
  var screen = root.dataset.screen === "1";
  var top = list && list.dataset.top ? parseInt(list.dataset.top, 10) : 0;
  var csrfInput = root.querySelector("input[name=csrf]");
  var formAction = root.querySelector("form.ask-form, form.vote-form");
  var pendingSort = false;

  function announce(text) {
    if (announcer) announcer.textContent = text;
  }

  function votesText(n) {
    if (n === 0) return "aucun soutien";
    return n === 1 ? "1 soutien" : n + " soutiens";
  }

  // The element first visible in the window and its place, to keep the reader where they were.
  function anchor() {
    var items = list ? list.children : [];
    for (var i = 0; i < items.length; i++) {
      var top = items[i].getBoundingClientRect().top;
      if (top >= 0) return { el: items[i], top: top };
    }
    return null;
  }
  function restore(a) {
    if (!a || !a.el.isConnected) return;
    var moved = a.el.getBoundingClientRect().top - a.top;
    if (moved !== 0 && window.scrollY > 0) window.scrollBy(0, moved);
  }

  function sort() {
    if (!list) return;
    // Moving a node takes focus away from it: wait until focus leaves the list.
    if (list.contains(document.activeElement)) {
      pendingSort = true;
      return;
    }
    pendingSort = false;
    var items = Array.prototype.slice.call(list.children);
    items.sort(function (a, b) {
      var dv = parseInt(b.dataset.votes, 10) - parseInt(a.dataset.votes, 10);
      if (dv !== 0) return dv;
      return parseInt(a.id.slice(9), 10) - parseInt(b.id.slice(9), 10);
    });
    items.forEach(function (li) { list.appendChild(li); });
    if (top > 0) items.slice(top).forEach(function (li) { li.remove(); });
  }
  if (list) list.addEventListener("focusout", function () {
    window.setTimeout(function () { if (pendingSort) sort(); }, 0);
  });

  function voteForm(q) {
    if (screen || !csrfInput || !formAction) return null;
    var form = document.createElement("form");
    form.method = "post";
    form.action = formAction.getAttribute("action");
    form.className = "vote-form";
    [["csrf", csrfInput.value], ["action", "vote"], ["question_id", q.id]].forEach(function (f) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = f[0];
      input.value = f[1];
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "button-secondary";
    button.textContent = "Soutenir";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " la question : " + q.text;
    button.appendChild(hidden);
    form.appendChild(button);
    return form;
  }

  function build(q) {
    var li = document.createElement("li");
    li.id = "question-" + q.id;
    var text = document.createElement("p");
    text.className = "floor-text";
    text.textContent = q.text;
    var meta = document.createElement("p");
    meta.className = "floor-meta";
    var author = document.createElement("span");
    author.className = "floor-author";
    author.textContent = q.author_name;
    var votes = document.createElement("span");
    votes.className = "floor-votes";
    meta.appendChild(author);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(votes);
    li.appendChild(text);
    li.appendChild(meta);
    var form = voteForm(q);
    if (form) li.appendChild(form);
    return li;
  }

  function applyQuestion(q) {
    if (!list) return;
    var li = document.getElementById("question-" + q.id);
    if (q.status === "hidden" || q.status === "pending") {
      if (li && !li.contains(document.activeElement)) li.remove();
      return;
    }
    var fresh = !li;
    if (fresh) {
      li = build(q);
      list.appendChild(li);
      var none = document.getElementById("sans-questions");
      if (none) none.remove();
      announce("Nouvelle question : " + q.text);
    }
    li.dataset.votes = String(q.votes);
    li.querySelector(".floor-votes").textContent = votesText(q.votes);
    if (q.status === "answered" && !li.classList.contains("answered")) {
      li.classList.add("answered");
      var badge = document.createElement("strong");
      badge.textContent = "Répondue";
      var meta = li.querySelector(".floor-meta");
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(badge);
      var form = li.querySelector("form");
      if (form && !form.contains(document.activeElement)) form.remove();
      if (!fresh) announce("Question répondue : " + q.text);
    }
  }

  function applyPoll(p) {
    var shown = document.getElementById("resultats-" + p.id);
    var showsCounts = screen || root.dataset.counts === "1";
    if (!shown || (p.status !== "open" && !document.querySelector(".poll-results")) ||
        shown.dataset.status === undefined && p.status === "closed" && !screen) {
      // A poll this page does not show yet: the screen shows it at once; a phone offers it.
      if (screen) {
        window.location.reload();
        return;
      }
      if (!shown && p.status === "open") offerReload("Un sondage est ouvert : " + p.question);
      if (!shown) return;
    }
    if (!showsCounts) return;
    var most = 1;
    p.options.forEach(function (o) { most = Math.max(most, o.votes || 0); });
    p.options.forEach(function (o) {
      var n = o.votes || 0;
      var row = document.querySelector("tr[data-option='" + o.id + "']");
      if (row) {
        row.querySelector(".poll-count").textContent = String(n);
        row.querySelector(".poll-share").textContent =
          (p.respondents > 0 ? Math.round(100 * n / p.respondents) : 0) + " %";
      }
      var bar = document.querySelector("rect[data-option='" + o.id + "']");
      var width = n === 0 ? 2 : Math.max(2, Math.floor(330 * n / most));
      if (bar) bar.setAttribute("width", String(width));
      var label = document.querySelector("text[data-option-count='" + o.id + "']");
      if (label) {
        label.textContent = String(n);
        label.setAttribute("x", String(width + 8));
      }
    });
    var caption = shown.querySelector("figcaption");
    if (caption) caption.textContent = p.respondents === 1 ? "1 personne a répondu." :
      p.respondents + " personnes ont répondu.";
    if (p.status === "closed" && screen) window.location.reload();
  }

  var offered = null;
  function offerReload(text) {
    if (offered) return;
    offered = document.createElement("p");
    offered.className = "notice";
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = text + " — afficher";
    offered.appendChild(link);
    root.insertBefore(offered, root.firstChild);
    announce(text);
  }

  var source = new EventSource(root.dataset.stream);
  source.addEventListener("question", function (event) {
    var a = anchor();
    applyQuestion(JSON.parse(event.data));
    sort();
    restore(a);
  });
  source.addEventListener("poll", function (event) {
    applyPoll(JSON.parse(event.data));
  });
})();
