/* The field page: choose an enterprise, say what was found at the door, answer a checklist,
   record hazards, and send it all through the API (/api/v1/photos, then /api/v1/visits).

   Every create carries a UUID made here once (the visit when the page loads, a hazard when its
   row is added, a photo when it is chosen) and kept across retries, so pressing Submit again
   after a lost answer returns what was recorded the first time instead of a second copy.

   A submitted visit is first kept on the phone (IndexedDB, photos included, keyed by the
   visit's UUID) and dropped from there only once the server has answered. Without signal it
   waits there, shown as "waiting to upload", and is sent when the phone is back online, when
   the page is opened again, or from the "Send now" button. */
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("field-config").textContent);
  var T = cfg.text;
  var csrf = document.getElementById("csrf").value;
  var form = document.getElementById("visit-form");
  var button = document.getElementById("submit-visit");
  var hazardsBox = document.getElementById("hazards");
  var itemsBox = document.getElementById("items");
  var state = {
    visitUuid: uuid4(),
    startedAt: new Date().toISOString(),
    enterprise: null,
    position: null,
    version: null,
    entry: null, // the form's submission as kept in the outbox
    photoInputs: {}, // photo UUID -> the file input it was chosen in (to mark a refused one)
    busy: false,
  };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // crypto.randomUUID needs a secure context; a zone's intranet may serve plain HTTP.
  function uuid4() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function setStatus(text, bad) {
    var el = document.getElementById("status");
    el.textContent = text || "";
    el.className = "status" + (bad ? " bad" : "");
  }

  function showError(root, name, message) {
    var slot = $('[data-error="' + name + '"]', root);
    if (!slot) return false;
    slot.textContent = slot.textContent ? slot.textContent + " " + message : message;
    return true;
  }

  function clearErrors() {
    $$("[data-error]").forEach(function (el) { el.textContent = ""; });
    $$(".invalid").forEach(function (el) { el.classList.remove("invalid"); });
    setStatus("");
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); });
  }

  function send(url, body, isJson) {
    var headers = { "X-CSRFToken": csrf, Accept: "application/json" };
    if (isJson) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: "POST", credentials: "same-origin", headers: headers,
      body: isJson ? JSON.stringify(body) : body,
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { status: r.status, data: data };
      });
    });
  }

  // --- the position ---------------------------------------------------------------------
  function locate(then) {
    if (!navigator.geolocation) { then(null); return; }
    navigator.geolocation.getCurrentPosition(
      function (p) {
        state.position = { lat: p.coords.latitude, lon: p.coords.longitude };
        then(state.position);
      },
      function () { then(null); },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
    );
  }

  // --- 1. the enterprise ----------------------------------------------------------------
  var results = document.getElementById("enterprise-results");

  function showChoices(items) {
    results.textContent = "";
    if (!items.length) {
      var none = document.createElement("li");
      none.className = "small";
      none.textContent = T.noMatch;
      results.appendChild(none);
    }
    items.forEach(function (e) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      var meta = document.createElement("span");
      b.type = "button";
      b.dataset.enterprise = e.id;
      if (e.distance_m !== null) b.dataset.distance = e.distance_m;
      b.textContent = e.name;
      meta.className = "meta";
      meta.textContent = [
        e.distance_m === null ? "" : fmt(T.away, { d: e.distance_m }),
        e.grid, e.address, e.operating ? "" : T.closedHint,
      ].filter(Boolean).join(" · ");
      b.appendChild(meta);
      b.addEventListener("click", function () { choose({ id: e.id, name: e.name }); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }

  // Only the latest look-up may fill the list: a slow search must not overwrite "Nearest".
  var lookup = 0;
  function findEnterprises(query) {
    var mine = ++lookup;
    getJSON(cfg.urls.enterprises + query)
      .then(function (d) { if (mine === lookup) showChoices(d.items); })
      .catch(function () { setStatus(T.network, true); });
  }

  function search(q) { findEnterprises("?q=" + encodeURIComponent(q)); }

  function choose(e) {
    state.enterprise = e;
    $("#chosen-name").textContent = e.name;
    $("#chosen").hidden = false;
    $("#picker").hidden = true;
    $('[data-error="enterprise"]').textContent = "";
    loadChecklists(e.id);
  }

  var timer = null;
  $("#enterprise-search").addEventListener("input", function () {
    var q = this.value.trim();
    clearTimeout(timer);
    timer = setTimeout(function () { search(q); }, 250);
  });
  $("#nearest").addEventListener("click", function () {
    setStatus(T.locating);
    locate(function (pos) {
      if (!pos) { setStatus(T.noPosition, true); return; }
      setStatus("");
      findEnterprises("?lat=" + pos.lat.toFixed(6) + "&lon=" + pos.lon.toFixed(6));
    });
  });
  var change = document.getElementById("change-enterprise");
  if (change) {
    change.addEventListener("click", function () {
      state.enterprise = null;
      $("#chosen").hidden = true;
      $("#picker").hidden = false;
      renderItems(null);
      $("#checklist").length = 1;
    });
  }

  // --- 2. the outcome -------------------------------------------------------------------
  function outcome() {
    var checked = $('input[name="outcome"]:checked');
    return checked ? checked.value : "";
  }
  function showInspected() {
    var inspected = outcome() === "inspected";
    $$("[data-inspected]").forEach(function (el) { el.hidden = !inspected; });
  }
  $$('input[name="outcome"]').forEach(function (r) { r.addEventListener("change", showInspected); });

  // --- 3. the checklist -----------------------------------------------------------------
  var versions = {};

  function loadChecklists(enterpriseId) {
    var select = $("#checklist");
    select.length = 1;
    renderItems(null);
    getJSON(cfg.urls.checklists.replace("/0/", "/" + enterpriseId + "/"))
      .then(function (d) {
        d.items.forEach(function (v) {
          versions[v.id] = v;
          select.add(new Option(v.title + " v" + v.number, v.id));
        });
      })
      .catch(function () { setStatus(T.network, true); });
  }

  function renderItems(version) {
    state.version = version;
    $$("fieldset.hazard[data-item]").forEach(function (h) { h.remove(); });
    renumber();
    itemsBox.textContent = "";
    if (!version) return;
    version.items.forEach(function (item) {
      var li = $("#item-template").content.firstElementChild.cloneNode(true);
      li.dataset.item = item.id;
      li.item = item;
      $(".code", li).textContent = item.code;
      $(".text", li).textContent = item.text;
      $(".clause", li).textContent = item.clause;
      $(".major", li).hidden = !item.major;
      $$('input[type="radio"]', li).forEach(function (r) {
        r.name = "item-" + item.id;
        r.addEventListener("change", function () { answered(li, r.value); });
      });
      itemsBox.appendChild(li);
    });
  }
  $("#checklist").addEventListener("change", function () {
    renderItems(versions[this.value] || null);
  });

  function answered(li, result) {
    $(".answer-extra", li).hidden = false;
    if (result === "non_compliant" && !li.hazard) {
      li.hazard = addHazard(li.item);
    } else if (result !== "non_compliant" && li.hazard) {
      li.hazard.remove();
      li.hazard = null;
      renumber();
    }
  }

  // --- 4. hazards -----------------------------------------------------------------------
  function renumber() {
    $$("fieldset.hazard", hazardsBox).forEach(function (h, i) {
      $(".h-title", h).textContent = T.hazardTitle + " " + (i + 1);
    });
  }

  // A major hazard is reported and confirmed first (RULES.md §3.2): no fix on the spot and
  // no deadline yet, so those inputs go away.
  function isMajor(h) { return $(".h-level", h).value === "1"; }
  function isImmediate(h) { return !isMajor(h) && $(".h-rectify", h).value === "0"; }

  function showRectify(h) {
    var major = isMajor(h);
    var immediate = isImmediate(h);
    $(".h-rectify-wrap", h).hidden = major;
    $(".h-when-deadline", h).hidden = major || immediate;
    $(".h-when-immediate", h).hidden = !immediate;
  }

  function addHazard(item) {
    var h = $("#hazard-template").content.firstElementChild.cloneNode(true);
    h.dataset.uuid = uuid4();
    $(".h-deadline", h).min = cfg.today;
    $(".h-rectify", h).addEventListener("change", function () { showRectify(h); });
    $(".h-level", h).addEventListener("change", function () { showRectify(h); });
    if (item) {
      // A non-compliant answer: prefilled from its item; its photos are the "before" photos.
      h.dataset.item = item.id;
      $(".h-name", h).value = item.text.slice(0, 200);
      $(".h-from", h).textContent = T.fromItem + " " + item.code;
      $(".h-from", h).hidden = false;
      $(".h-remove", h).hidden = true;
      $(".h-before-wrap", h).hidden = true;
      if (item.major) { $(".h-level", h).value = "1"; $(".h-level", h).disabled = true; }
    }
    $(".h-remove", h).addEventListener("click", function () { h.remove(); renumber(); });
    hazardsBox.appendChild(h);
    renumber();
    showRectify(h);
    return h;
  }
  $("#add-hazard").addEventListener("click", function () { $(".h-name", addHazard(null)).focus(); });

  // --- photos: a UUID for each file when it is chosen -----------------------------------
  form.addEventListener("change", function (ev) {
    var input = ev.target;
    if (input.type !== "file") return;
    input.photos = Array.prototype.map.call(input.files, function (f) {
      return { file: f, uuid: uuid4() };
    });
  });

  function chosenPhotos(input) { return (input && !input.closest("[hidden]") && input.photos) || []; }

  // --- the outbox: submissions kept on the phone until the server has answered ----------
  var outbox = (function () {
    var opened = null;
    function open() {
      if (!window.indexedDB) return Promise.reject(new Error("no IndexedDB"));
      opened = opened || new Promise(function (resolve, reject) {
        var req = indexedDB.open("anjian-field", 1);
        req.onupgradeneeded = function () { req.result.createObjectStore("outbox", { keyPath: "uuid" }); };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
      return opened;
    }
    function run(mode, work) {
      return open().then(function (db) {
        return new Promise(function (resolve, reject) {
          var tx = db.transaction("outbox", mode);
          var req = work(tx.objectStore("outbox"));
          tx.oncomplete = function () { resolve(req.result); };
          tx.onerror = tx.onabort = function () { reject(tx.error); };
        });
      });
    }
    return {
      put: function (entry) { return run("readwrite", function (s) { return s.put(entry); }); },
      remove: function (key) { return run("readwrite", function (s) { return s.delete(key); }); },
      // Only this person's: a shared phone must not send one person's visits as another's.
      mine: function () {
        return run("readonly", function (s) { return s.getAll(); }).then(function (all) {
          return all.filter(function (e) { return e.user === cfg.user; });
        });
      },
    };
  })();

  function renderOutbox(entries) {
    var list = document.getElementById("outbox-list");
    list.textContent = "";
    entries.forEach(function (e) {
      var li = document.createElement("li");
      li.dataset.uuid = e.uuid;
      li.textContent = e.enterprise + " · " + new Date(e.savedAt).toLocaleString(document.documentElement.lang || undefined);
      if (e.refused) {
        var why = document.createElement("span");
        why.className = "error";
        why.textContent = " " + T.refused + " " + e.refused;
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn link";
        drop.textContent = T.discard;
        drop.addEventListener("click", function () { outbox.remove(e.uuid).then(refreshOutbox); });
        li.appendChild(why);
        li.appendChild(drop);
      }
      list.appendChild(li);
    });
    document.getElementById("outbox-count").textContent = String(entries.length);
    document.getElementById("outbox").hidden = !entries.length;
  }

  function refreshOutbox() {
    return outbox.mine().then(renderOutbox, function () {});
  }

  // The server's answer: recorded (first time or again), refused for good, or not (yet) had.
  function verdict(status) {
    if (status === 200 || status === 201) return "done";
    // 413: a body (a photo) over the server's limit; sending it again would not help.
    if (status === 400 || status === 403 || status === 404 || status === 409 || status === 413 || status === 422) return "refused";
    return "retry";
  }

  function message(data) {
    return (data.errors && data.errors[0] && data.errors[0].message) || data.detail || T.problem;
  }

  // Photo UUIDs in the kept body become the ids the server gave the uploaded photos.
  function withIds(body, uploaded) {
    var b = JSON.parse(JSON.stringify(body));
    function ids(list) { return (list || []).map(function (u) { return uploaded[u]; }); }
    b.photos = ids(b.photos);
    b.answers.forEach(function (a) {
      a.photos = ids(a.photos);
      if (a.hazard) a.hazard.after_photos = ids(a.hazard.after_photos);
    });
    b.hazards.forEach(function (h) {
      h.before_photos = ids(h.before_photos);
      h.after_photos = ids(h.after_photos);
    });
    return b;
  }

  // Photos first (each once: a retried UUID returns the first upload), then the visit.
  // Resolves to {verdict, r, photo}; rejects when the network fails.
  function sendEntry(entry, foreground) {
    var pending = entry.photos.filter(function (p) { return !entry.uploaded[p.uuid]; });
    var total = pending.length;
    var done = 0;
    function next() {
      if (!pending.length) {
        if (foreground) setStatus(T.saving);
        return send(cfg.urls.visits, withIds(entry.body, entry.uploaded), true).then(function (r) {
          return { verdict: verdict(r.status), r: r };
        });
      }
      var photo = pending.shift();
      if (foreground) setStatus(fmt(T.uploading, { n: ++done, total: total }));
      var body = new FormData();
      body.append("file", photo.file, photo.name);
      body.append("client_uuid", photo.uuid);
      if (entry.position) {
        body.append("latitude", entry.position.lat.toFixed(6));
        body.append("longitude", entry.position.lon.toFixed(6));
      }
      return send(cfg.urls.photos, body, false).then(function (r) {
        if (r.status !== 200 && r.status !== 201) return { verdict: verdict(r.status), r: r, photo: photo.uuid };
        entry.uploaded[photo.uuid] = r.data.id;
        return next();
      });
    }
    return next();
  }

  // Send what waits on the phone, one after the other; stop at the first network failure.
  // What the server refused is tried again only when the person asks ("Send now"): after
  // signing in again, say; otherwise it waits to be discarded.
  var flushing = false;
  function flush(asked) {
    if (flushing) return Promise.resolve();
    flushing = true;
    return outbox.mine().then(function (entries) {
      var due = entries.filter(function (e) { return asked === true || !e.refused; });
      return due.reduce(function (chain, entry) {
        return chain.then(function () {
          return sendEntry(entry, false).then(function (result) { return settle(entry, result); });
        });
      }, Promise.resolve());
    }).catch(function () {}).then(function () {
      flushing = false;
      return refreshOutbox();
    });
  }

  function settle(entry, result) {
    var mine = state.entry && state.entry.uuid === entry.uuid;
    if (result.verdict === "done") {
      return outbox.remove(entry.uuid).then(function () {
        if (mine && !state.busy) finished(result.r, entry.names);
      });
    }
    if (result.r.status === 401) setStatus(T.signIn, true);
    entry.refused = result.verdict === "refused" ? message(result.r.data) : "";
    return outbox.put(entry);
  }

  document.getElementById("outbox-send").addEventListener("click", function () { flush(true); });
  window.addEventListener("online", flush);
  // A phone can be "online" with no way through (a weak signal, a captive portal): try again
  // every minute while something waits.
  setInterval(function () {
    if (navigator.onLine && !document.getElementById("outbox").hidden) flush();
  }, 60000);

  // --- submit ---------------------------------------------------------------------------
  function hazardRows(fromItems) {
    return $$("fieldset.hazard", hazardsBox).filter(function (h) {
      return Boolean(h.dataset.item) === fromItems;
    });
  }

  function answerRows() {
    return $$("li.item", itemsBox).filter(function (li) {
      return $('input[type="radio"]:checked', li);
    });
  }

  function hazardData(h, ref) {
    var data = {
      client_uuid: h.dataset.uuid,
      name: $(".h-name", h).value.trim(),
      location: $(".h-location", h).value.trim(),
      description: $(".h-description", h).value.trim(),
      level: $(".h-level", h).value,
      rectify_type: isImmediate(h) ? "0" : "1",
      after_photos: ref($(".h-after", h)),
    };
    if (!isMajor(h) && !isImmediate(h)) {
      data.deadline = $(".h-deadline", h).value || null;
      data.liable_person = $(".h-liable", h).value.trim();
    }
    return data;
  }

  // The visit as the API takes it, with photo UUIDs where the photo ids go (withIds).
  function payload(ref) {
    var body = {
      client_uuid: state.visitUuid,
      kind: cfg.kind,
      enterprise: state.enterprise.id,
      outcome: outcome(),
      started_at: state.startedAt,
      ended_at: new Date().toISOString(),
      note: $("#visit-note").value.trim(),
      photos: ref($("#visit-photos")),
      people: $$(".companion:checked").map(function (c) { return +c.value; }),
      answers: [],
      hazards: [],
    };
    if (cfg.drawItem) body.draw_item = cfg.drawItem;
    if (state.position) {
      body.latitude = state.position.lat.toFixed(6);
      body.longitude = state.position.lon.toFixed(6);
    }
    if (body.outcome !== "inspected") return body;
    var answers = state.version ? answerRows() : [];
    if (answers.length) body.checklist_version = state.version.id;
    body.answers = answers.map(function (li) {
      var answer = {
        item: li.item.id,
        result: $('input[type="radio"]:checked', li).value,
        note: $(".a-note", li).value.trim(),
        photos: ref($(".a-photos", li)),
      };
      if (li.hazard) answer.hazard = hazardData(li.hazard, ref);
      return answer;
    });
    body.hazards = hazardRows(false).map(function (h) {
      var data = hazardData(h, ref);
      data.before_photos = ref($(".h-before", h));
      return data;
    });
    return body;
  }

  function mark(root, name, message) {
    var field = $(".h-" + name, root);
    if (field) field.classList.add("invalid");
    return showError(root, name, message);
  }

  function validate() {
    var problems = 0;
    function fail(root, name, message) { problems += 1; mark(root, name, message); }
    if (!state.enterprise) fail(document, "enterprise", T.pickEnterprise);
    if (!outcome()) fail(document, "outcome", T.pickOutcome);
    if (outcome() !== "inspected") return problems === 0;
    $$("fieldset.hazard", hazardsBox).forEach(function (h) {
      var immediate = isImmediate(h);
      if (!$(".h-name", h).value.trim()) fail(h, "name", T.required);
      if (!immediate && !isMajor(h) && cfg.deadlineRequired && !$(".h-deadline", h).value) {
        fail(h, "deadline", T.needDeadline);
      }
      if (immediate && !chosenPhotos($(".h-after", h)).length) {
        fail(h, "after_photos", T.needAfterPhoto);
      }
    });
    return problems === 0;
  }

  var TOP_LEVEL = {
    enterprise: "enterprise", outcome: "outcome", photos: "photos",
    answers: "answers", checklist_version: "answers", hazards: "hazards",
    people: "people", started_at: "when", ended_at: "when",
  };

  // Server errors name fields like "hazards.1.deadline" or "answers.0.hazard.name".
  function showServerErrors(data) {
    var free = hazardRows(false);
    var answers = answerRows();
    var loose = [];
    (data.errors || []).forEach(function (e) {
      var parts = String(e.field).split(".");
      var shown = false;
      if (parts[0] === "hazards" && free[+parts[1]]) {
        shown = mark(free[+parts[1]], parts[2] || "name", e.message);
      } else if (parts[0] === "answers" && answers[+parts[1]]) {
        var li = answers[+parts[1]];
        shown = parts[2] === "hazard" && li.hazard
          ? mark(li.hazard, parts[3] || "name", e.message)
          : showError(li, "item", e.message);
      } else if (TOP_LEVEL[parts[0]]) {
        // Only the visit's own slots: a bare "deadline" could be any hazard's.
        shown = showError(form, TOP_LEVEL[parts[0]], e.message);
      }
      if (!shown) loose.push(e.message);
    });
    setStatus([data.detail || T.problem].concat(loose).join(" "), true);
  }

  function finished(r, names) {
    var done = document.getElementById("done");
    if (!done.hidden) return; // answered twice (Submit and the outbox): shown once
    form.hidden = true;
    document.getElementById("queued").hidden = true;
    $("#done-title").textContent = r.status === 201 ? T.saved : T.savedBefore;
    var list = $("#done-hazards");
    if (!r.data.hazard_ids.length) {
      var none = document.createElement("li");
      none.textContent = T.noHazards;
      list.appendChild(none);
    }
    // The API answers with ids in the order it recorded them: the answers' hazards, then
    // the others, which is the order of `names`.
    r.data.hazard_ids.forEach(function (id, i) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = cfg.urls.hazard.replace("/0/", "/" + id + "/");
      a.textContent = names[i] || T.hazardTitle + " " + (i + 1);
      li.appendChild(a);
      list.appendChild(li);
    });
    $("#done-visit").href = cfg.urls.visit.replace("/0/", "/" + r.data.id + "/");
    done.hidden = false;
    window.scrollTo(0, 0);
  }

  // The form's submission as kept on the phone: the body, the photos (Blobs), what to show.
  function entryFromForm() {
    var photos = [];
    state.photoInputs = {};
    function ref(input) {
      return chosenPhotos(input).map(function (p) {
        photos.push({ uuid: p.uuid, file: p.file, name: p.file.name || "photo.jpg" });
        state.photoInputs[p.uuid] = input;
        return p.uuid;
      });
    }
    var body = payload(ref);
    var names = body.answers.filter(function (a) { return a.hazard; })
      .map(function (a) { return a.hazard.name; })
      .concat(body.hazards.map(function (h) { return h.name; }));
    var before = state.entry && state.entry.uuid === body.client_uuid ? state.entry.uploaded : {};
    return {
      uuid: body.client_uuid, user: cfg.user, savedAt: new Date().toISOString(),
      enterprise: state.enterprise.name, position: state.position,
      body: body, photos: photos, uploaded: before, names: names, refused: "",
    };
  }

  function refusedHere(result) {
    if (result.photo) {
      var input = state.photoInputs[result.photo];
      var slot = input && input.closest("label") && input.closest("label").nextElementSibling;
      if (slot && slot.hasAttribute("data-error")) slot.textContent = message(result.r.data);
      if (input) input.classList.add("invalid");
      setStatus(message(result.r.data), true);
    } else {
      showServerErrors(result.r.data);
    }
  }

  function queued() {
    form.hidden = true;
    document.getElementById("queued").hidden = false;
    window.scrollTo(0, 0);
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (state.busy) return;
    clearErrors();
    if (!validate()) {
      setStatus(T.fix, true);
      var first = $(".invalid") || $("[data-error]:not(:empty)");
      if (first) first.scrollIntoView({ block: "center" });
      return;
    }
    state.busy = true;
    button.disabled = true;
    var entry = entryFromForm();
    state.entry = entry;
    // Kept before anything is sent: from here on a reload or a lost signal loses nothing.
    var kept = outbox.put(entry).then(function () { return true; }, function () { return false; });
    kept
      .then(function (safe) {
        if (!navigator.onLine && safe) return { verdict: "offline" };
        return sendEntry(entry, true);
      })
      .then(function (result) {
        if (result.verdict === "offline") { queued(); return refreshOutbox(); }
        if (result.verdict === "done") {
          finished(result.r, entry.names);
          return outbox.remove(entry.uuid).then(refreshOutbox, function () {});
        }
        if (result.verdict === "refused") {
          // The form is still here to correct: the phone need not keep this copy.
          refusedHere(result);
          return outbox.remove(entry.uuid).then(refreshOutbox, function () {});
        }
        setStatus(result.r.status === 401 ? T.signIn : T.kept, true);
        return outbox.put(entry).then(refreshOutbox, function () {});
      })
      .catch(function () {
        setStatus(T.kept, true);
        return outbox.put(entry).then(refreshOutbox, function () {});
      })
      .then(function () {
        state.busy = false;
        button.disabled = false;
      });
  });

  // --- start ----------------------------------------------------------------------------
  // The service worker keeps the page for a visit without signal (field-sw.js). It needs a
  // secure context: on plain HTTP the outbox still keeps the visits, only reopening the
  // page without signal fails.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(cfg.urls.sw).catch(function () {});
  }
  refreshOutbox().then(function () { if (navigator.onLine) flush(); });
  showInspected();
  if (cfg.enterprise) choose(cfg.enterprise);
  else search("");
  // Ask for the position once, for the visit's GPS and for "Nearest".
  locate(function () {});
})();
