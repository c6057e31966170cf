/* Cluster Benchmark: page behaviour.
 *
 * Loaded as a classic script by assets/scripts.html (declared in _quarto.yml, used by Quarto and
 * the wheel-only engine alike), after the Vega bundle, so it also runs from file://. It marks the
 * page as scripted, then wires the navigation menu, the charts, the search box, the "On this page"
 * highlight, keyboard access to wide tables and the edition menu. No framework, no inline handlers.
 */
(function () {
  "use strict";

  var html = document.documentElement;
  html.classList.remove("no-js");
  html.classList.add("js");
  var root = html.getAttribute("data-root") || "";

  /* ------------------------------------------------------------ the page's language */

  /* Every word this script writes comes from the table of the page's language (its <html lang>);
   * English is the default. Russian numbers and plural forms follow CLDR's rules through Intl. */
  var LANG = /^ru\b/i.test(html.lang || "") ? "ru" : "en";
  var pluralRules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(LANG) : null;

  function fmt(n) {
    if (LANG === "en" || !window.Intl) return String(n);
    return new Intl.NumberFormat("ru-RU").format(n);
  }

  /* `n` with the form of a word that agrees with it: forms are {one, few, many} (Russian) or {one, other}. */
  function counted(n, forms) {
    var rule = pluralRules ? pluralRules.select(n) : (n === 1 ? "one" : "other");
    return fmt(n) + " " + (forms[rule] || forms.many || forms.other);
  }

  /* A day given as 2026-11-23: so in English, «23 ноября 2026 г.» in Russian. */
  function day(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (LANG === "en" || !m || !window.Intl) return iso;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return new Intl.DateTimeFormat("ru-RU", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(d);
  }

  var WORDS = {
    en: {
      chartActions: "Chart actions: save as SVG or PNG",
      fullSize: "Show at full size", fit: "Fit to the page",
      chartShows: " The chart shows: ",
      chartUnreadable: "This chart could not be shown: its specification is missing or unreadable.",
      chartNoLibrary: "This interactive chart could not be shown because the chart library (assets/vega-bundle.js) did not load.",
      chartFailed: "This chart could not be drawn.",
      searchOff: "Search is not available: the search index (assets/search-index.js) did not load.",
      searchLoading: "Loading the search index\u2026",
      noResults: function (q) { return "No results for \u201c" + q + "\u201d."; },
      results: function (n, max) {
        return n + (n === 1 ? " result" : " results") + (n > max ? ", showing the first " + max : "") + ".";
      },
      tableScroll: "Table, scrolls sideways",
      edition: function (e) { return "Edition " + e; },
      editionMenu: function (e) { return "Edition: " + (e === "draft" ? "draft" : e) + ". Choose another edition"; },
      draftEntry: "Draft (unreleased)", latestMark: " (latest)", allEditions: "All editions and changes",
      latestIs: "The latest released edition is ",
      oldEdition: function (e, date) { return "You are reading edition " + e + (date ? " (" + date + ")" : "") + ", which is not the latest. The latest is "; },
      editionLink: function (e) { return "edition " + e; },
      thisPageIn: " (this page in it).", itsHome: " (its home page).",
      draft: "Draft",
      draftNote: "This is a draft: it holds changes that are not in a released edition yet. Please do not cite it."
    },
    ru: {
      chartActions: "Действия с графиком: сохранить в формате SVG или PNG",
      fullSize: "Показать в полном размере", fit: "Вписать в ширину страницы",
      chartShows: " На графике: ",
      chartUnreadable: "Не удалось показать график: его описание отсутствует или не читается.",
      chartNoLibrary: "Не удалось показать интерактивный график: не загрузилась библиотека графиков (assets/vega-bundle.js).",
      chartFailed: "Не удалось построить график.",
      searchOff: "Поиск недоступен: не загрузился поисковый индекс (assets/search-index.js).",
      searchLoading: "Загружается поисковый индекс\u2026",
      noResults: function (q) { return "По запросу \u00ab" + q + "\u00bb ничего не найдено."; },
      results: function (n, max) {
        return "Найдено: " + counted(n, { one: "результат", few: "результата", many: "результатов" })
          + (n > max ? ", показаны первые " + fmt(max) : "") + ".";
      },
      tableScroll: "Таблица прокручивается по горизонтали",
      edition: function (e) { return "Выпуск " + e; },
      editionMenu: function (e) { return "Выпуск: " + (e === "draft" ? "черновик" : e) + ". Выбрать другой выпуск"; },
      draftEntry: "Черновик (не выпущен)", latestMark: " (последний)", allEditions: "Все выпуски и изменения",
      latestIs: "Последний вышедший выпуск — ",
      oldEdition: function (e, date) { return "Вы читаете выпуск " + e + (date ? " (" + date + ")" : "") + "; он не последний. Последний — "; },
      editionLink: function (e) { return e; },
      thisPageIn: " (эта страница в нём).", itsHome: " (его главная страница).",
      draft: "Черновик",
      draftNote: "Это черновик: в нём есть изменения, которых ещё нет в вышедших выпусках. Не ссылайтесь на него."
    }
  };
  var T = WORDS[LANG] || WORDS.en;
  // Where this edition's files start (the folder above assets/), read while the script runs.
  var editionBase = document.currentScript ? new URL("../", document.currentScript.src) : null;
  // The edition in another language sits in its own folder (ru/) inside each edition: the list of editions is
  // above it, and another edition's page is in that edition's folder of the same language.
  var LANG_FOLDER = editionBase && /\/ru\/$/.test(editionBase.pathname) ? "ru/" : "";
  if (LANG_FOLDER) {
    editionBase = new URL("../", editionBase);
  }

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  /* ------------------------------------------------------------ navigation menu */

  function initMenu() {
    var button = document.querySelector(".menu-toggle");
    var sidebar = document.getElementById("sidebar");
    var backdrop = document.querySelector(".sidebar-backdrop");
    if (!button || !sidebar) return;

    function isOpen() {
      return html.classList.contains("nav-open");
    }

    function setOpen(open, returnFocus) {
      html.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (backdrop) backdrop.hidden = !open;
      if (open) {
        var first = sidebar.querySelector('a[aria-current="page"]') || sidebar.querySelector("a");
        if (first) first.focus();
      } else if (returnFocus) {
        button.focus();
      }
    }

    button.addEventListener("click", function () {
      setOpen(!isOpen(), false);
    });
    if (backdrop) {
      backdrop.addEventListener("click", function () {
        setOpen(false, true);
      });
    }
    var close = sidebar.querySelector(".sidebar-close");
    if (close) {
      close.addEventListener("click", function () {
        setOpen(false, true);
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) setOpen(false, true);
    });
    sidebar.addEventListener("click", function (event) {
      if (isOpen() && event.target.closest && event.target.closest("a")) setOpen(false, false);
    });
    if (window.matchMedia) {
      var wide = window.matchMedia("(min-width: 881px)");
      var onChange = function () {
        if (wide.matches && isOpen()) setOpen(false, false);
      };
      if (wide.addEventListener) wide.addEventListener("change", onChange);
    }
  }

  /* ------------------------------------------------------------ charts */

  var EMBED_OPTIONS = {
    actions: { export: true, source: false, compiled: false, editor: false },
    renderer: "svg"
  };

  /* A profile's address depends on the engine's layout, so it is taken from a link to that
   * page, if the page has one, or else from the site root. */
  function profileHref(id) {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (href === id + ".html" || href.slice(-(id.length + 6)) === "/" + id + ".html") return links[i].href;
    }
    return editionBase ? new URL(LANG_FOLDER + id + ".html", editionBase).href : id + ".html";
  }

  // A chart whose spec names a `profile_field` opens the profile of the cluster a clicked mark
  // holds in that field (the map's dots). Vega's own `href` channel would need a URL at build
  // time, and a profile's address depends on the edition and on where the page sits.
  function linkProfiles(view, spec) {
    var field = spec && spec.usermeta && spec.usermeta.profile_field;
    if (!field) return;
    view.addEventListener("click", function (event, item) {
      var id = item && item.datum && item.datum[field];
      if (typeof id === "string" && /^[A-Za-z0-9_-]+$/.test(id)) window.location.href = profileHref(id);
    });
  }

  function chartFallback(el, message, spec) {
    el.textContent = "";
    var p = document.createElement("p");
    p.className = "cb-chart-fallback";
    var text = message;
    if (spec && typeof spec.description === "string" && spec.description) {
      text += T.chartShows + spec.description;
    }
    p.textContent = text;
    el.appendChild(p);
    el.setAttribute("data-chart-status", "failed");
  }

  // Strict JSON first; then JSON with Python's bare NaN / Infinity (what Altair's to_json()
  // writes for missing values), read as null, which Vega treats as missing too.
  function parseSpec(text) {
    try {
      return JSON.parse(text);
    } catch (err) {
      var lenient = text.replace(/([:\[,]\s*)(?:NaN|-?Infinity)(?=\s*[,\]}])/g, "$1null");
      if (lenient === text) throw err;
      var spec = JSON.parse(lenient);
      if (window.console) window.console.warn("Chart specification has NaN or Infinity values; they are shown as missing.");
      return spec;
    }
  }

  // A chart wider than the column is scaled down to fit; a button shows it at full size
  // (scrolling sideways), which matters on phones.
  var zoomable = [];

  // vega-embed's actions menu is a <summary> holding only an icon; give it a name screen readers can say.
  function nameActions(el) {
    each(el.querySelectorAll("details > summary"), function (summary) {
      if (!summary.getAttribute("aria-label")) {
        summary.setAttribute("aria-label", T.chartActions);
      }
    });
  }

  function updateFit(el, button) {
    var tooWide = drawnWidth(el) > el.clientWidth * 1.05;
    button.hidden = !tooWide;
    if (!tooWide && el.classList.contains("is-full")) {
      el.classList.remove("is-full");
      button.setAttribute("aria-pressed", "false");
    }
  }

  function fitControl(el) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cb-chart-zoom";
    button.setAttribute("aria-pressed", "false");
    button.textContent = T.fullSize;
    if (el.id) button.setAttribute("aria-controls", el.id);
    var show = function (full) {
      el.classList.toggle("is-full", full);
      button.setAttribute("aria-pressed", full ? "true" : "false");
      button.textContent = full ? T.fit : T.fullSize;
    };
    button.addEventListener("click", function () { show(!el.classList.contains("is-full")); });
    el.parentNode.insertBefore(button, el.nextSibling);
    zoomable.push([el, button]);
    updateFit(el, button);
    // Scaled below 80%, chart text would fall under 9 px (on a phone, say): show the chart at its
    // size, to scroll sideways, and let the reader choose to fit it.
    var natural = drawnWidth(el);
    if (natural && el.clientWidth / natural < FIT.smallest) show(true);
  }

  var fitTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(fitTimer);
    fitTimer = window.setTimeout(function () {
      zoomable.forEach(function (pair) {
        updateFit(pair[0], pair[1]);
      });
    }, 150);
  });

  /* A chart wider than its column has its plots narrowed until it fits, so its text keeps its
   * size (11 px and up) rather than the whole drawing being scaled down. The same rules as the
   * PDF's (analysis.charts.export): narrow views keep their width, bands keep 20 px. Where even
   * the narrowest plots do not fit, the drawing is scaled and "Show at full size" is offered. */
  var FIT = { minScale: 0.35, fixedView: 60, minStep: 20, tries: 5, step: 0.08, smallest: 0.8 };

  function scaleViews(node, factor) {
    if (Array.isArray(node)) return node.map(function (v) { return scaleViews(v, factor); });
    if (!node || typeof node !== "object") return node;
    var out = {};
    for (var key in node) out[key] = key === "datasets" ? node[key] : scaleViews(node[key], factor);
    var width = node.width;
    if (width && typeof width === "object" && typeof width.step === "number") {
      out.width = Object.assign({}, width, { step: Math.max(FIT.minStep, Math.round(width.step * factor)) });
    }
    if (typeof width === "number" && width >= FIT.fixedView) {
      out.width = Math.round(width * factor);
      if (projects(node) && typeof node.height === "number") out.height = Math.round(node.height * factor);
    }
    if (Array.isArray(node.clipExtent)) {  // a map's projection, stated in pixels
      out.clipExtent = node.clipExtent.map(function (corner) { return corner.map(function (c) { return c * factor; }); });
      if (typeof node.scale === "number" && Array.isArray(node.translate)) {
        out.scale = node.scale * factor;
        out.translate = node.translate.map(function (t) { return t * factor; });
      }
    }
    return out;
  }

  function projects(view) {
    return Boolean(view.projection) || (view.layer || []).some(function (v) { return v && typeof v === "object" && projects(v); });
  }

  function drawnWidth(el) {
    var svg = el.querySelector("svg");
    return svg ? parseFloat(svg.getAttribute("width")) : 0;
  }

  // Embeds `spec` narrowed by `factor`; resolves to the drawn width.
  function draw(el, spec, factor) {
    if (el.cbEmbedded) el.cbEmbedded.finalize();
    return window.vegaEmbed(el, factor === 1 ? spec : scaleViews(spec, factor), EMBED_OPTIONS).then(function (embedded) {
      el.cbEmbedded = embedded;
      el.cbView = embedded.view;  // other page scripts (the directory's map) reach the view through its container
      return drawnWidth(el);
    });
  }

  // Narrows `spec`'s views until the chart fits `room`; resolves to the drawn width. As in the
  // PDF's fit: one interpolation, then halving the bracket where a title or legend, not the
  // plots, sets the width (there, any scale looks close enough, and the plots would shrink for nothing).
  function narrowed(el, spec, width, room) {
    var tooWide = [1, width];
    return draw(el, spec, FIT.minScale).then(function (narrowest) {
      if (narrowest > room) return narrowest;
      var fits = [FIT.minScale, narrowest];
      var tries = 0;
      var interpolated = function () {
        return fits[0] + (tooWide[0] - fits[0]) * (room - 2 - fits[1]) / (tooWide[1] - fits[1]);
      };
      var step = function (factor) {
        return draw(el, spec, factor).then(function (w) {
          tries += 1;
          if (w <= room) fits = [factor, w]; else tooWide = [factor, w];
          var flat = fits[1] <= narrowest + 1;
          var settled = !flat && room - fits[1] <= 12;
          if (!settled && tries < FIT.tries && tooWide[0] - fits[0] >= FIT.step) {
            return step(flat ? (fits[0] + tooWide[0]) / 2
              : Math.min(Math.max(interpolated(), fits[0] + 0.05), tooWide[0] - 0.02));
          }
          return fits[0] === factor ? w : draw(el, spec, fits[0]);
        });
      };
      return step(interpolated());
    });
  }

  // The spec for a narrow screen: titles on shorter lines and legends two items a row, so that
  // on a phone the plots, not the words around them, decide whether a chart fits.
  function compact(spec, room) {
    var hint = spec.usermeta && spec.usermeta.hint;
    var flow = function (text, chars) {
      var words = [].concat(text).join(" ").split(/\s+/).filter(Boolean);
      var out = [];
      words.forEach(function (word) {
        var last = out.length - 1;
        if (last >= 0 && (out[last] + " " + word).length <= chars) out[last] += " " + word;
        else out.push(word);
      });
      return out;
    };
    // the subtitle's lines flow together again; the hint on how to use the chart keeps a line of its own
    var lines = function (text, chars) {
      var all = [].concat(text);
      if (hint && all.length > 1 && all[all.length - 1] === hint) return flow(all.slice(0, -1), chars).concat(flow(hint, chars));
      return flow(all, chars);
    };
    var walk = function (node) {
      if (Array.isArray(node)) return node.map(walk);
      if (!node || typeof node !== "object") return node;
      var out = {};
      for (var key in node) out[key] = key === "datasets" ? node[key] : walk(node[key]);
      if (node.title && typeof node.title === "object" && !Array.isArray(node.title)) {
        out.title = Object.assign({}, out.title, { text: lines(node.title.text || "", Math.floor(room / 9)) });
        if (node.title.subtitle) out.title.subtitle = lines(node.title.subtitle, Math.floor(room / 6.5));
      }
      if (node.legend && typeof node.legend === "object" && !(node.legend.columns <= 2)) {
        out.legend = Object.assign({}, node.legend, { columns: 2 });
      }
      return out;
    };
    var out = walk(spec);
    out.config = Object.assign({}, out.config, { legend: Object.assign({}, (out.config || {}).legend, { columns: 2 }) });
    return out;
  }

  function fitted(el, spec) {
    return draw(el, spec, 1).then(function (width) {
      var room = el.clientWidth;
      if (!room || width <= room) return width;
      return narrowed(el, spec, width, room).then(function (w) {
        if (w <= room) return w;
        var small = compact(spec, room);
        return draw(el, small, 1).then(function (smallWidth) {
          return smallWidth <= room ? smallWidth : narrowed(el, small, smallWidth, room);
        });
      });
    });
  }

  function initCharts() {
    each(document.querySelectorAll(".cb-chart"), function (el) {
      var spec = null;
      try {
        var source = document.getElementById(el.getAttribute("data-spec"));
        spec = parseSpec(source.textContent);
      } catch (err) {
        if (window.console) window.console.error("Chart " + el.getAttribute("data-spec") + ":", err);
        chartFallback(el, T.chartUnreadable, null);
        return;
      }
      if (typeof window.vegaEmbed !== "function") {
        chartFallback(el, T.chartNoLibrary, spec);
        return;
      }
      var failed = function (err) {
        if (window.console) window.console.error("Chart " + el.getAttribute("data-spec") + ":", err);
        chartFallback(el, T.chartFailed, spec);
      };
      el.setAttribute("data-chart-status", "loading");
      try {
        fitted(el, spec).then(function () {
          nameActions(el);
          linkProfiles(el.cbView, spec);
          el.setAttribute("data-chart-status", "rendered");
          fitControl(el);
          el.dispatchEvent(new CustomEvent("cb:chart-rendered", { bubbles: true }));
        }, failed);
      } catch (err) {
        failed(err);
      }
    });
  }

  /* ------------------------------------------------------------ search */

  var MAX_RESULTS = 20;
  var SNIPPET = 170;

  // Lower case and without accents, one character for one character, so positions
  // found in the folded text are valid in the original text ("ё" reads as "е", "й" as "и").
  function fold(text) {
    var lower = LANG === "ru" ? String(text).toLocaleLowerCase("ru") : String(text).toLowerCase();
    var folded = lower.replace(/[^\u0000-\u007f]/g, function (c) {
      var base = c.normalize ? c.normalize("NFD").charAt(0) : c;
      return base || c;
    });
    return folded.length === String(text).length ? folded : lower.replace(/ё/g, "е");
  }

  // A Russian word is found in any of its forms: a query word loses a common ending and
  // then matches as the start of a stem ("кластеры" finds "кластеров", "фармацевтика" finds
  // "фармацевтический"); a stem that ends in г, к or х also matches with ж, ч or ш ("Калуга"
  // finds "Калужская"). The stem keeps at least 4 letters, so short words match as typed.
  var ENDINGS = ["иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ией", "ий", "ый", "ой", "ей",
    "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ую", "юю", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ью",
    "ия", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й"].map(function (e) { return fold(e); });
  var ALTERNATES = { "г": "ж", "к": "ч", "х": "ш" };
  var STEM = 4;

  function variants(term) {
    if (!/[\u0430-\u044f]/.test(term)) return [term];
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (term.length - e.length >= STEM && term.slice(-e.length) === e) {
        var stem = term.slice(0, -e.length);
        var alt = ALTERNATES[stem.slice(-1)];
        return alt ? [stem, stem.slice(0, -1) + alt] : [stem];
      }
    }
    return [term];
  }

  // Where the first of `forms` occurs in `text`, or -1.
  function findAny(text, forms) {
    var first = -1;
    forms.forEach(function (f) {
      var at = text.indexOf(f);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    return first;
  }

  function prepare(index) {
    return index.map(function (entry, i) {
      var number = entry.number && entry.level > 1 ? entry.number + " " : "";
      return {
        entry: entry,
        order: i,
        title: String(entry.title || ""),
        heading: number + (entry.title || ""),
        chapter: String(entry.chapter || ""),
        body: String(entry.body || entry.text || ""),
        fTitle: fold(entry.title || ""),
        fChapter: fold(entry.chapter || ""),
        fBody: fold(entry.body || entry.text || "")
      };
    });
  }

  function runSearch(prepared, query) {
    var words = fold(query).split(/\s+/).filter(function (t) {
      return t.length > 0;
    });
    // each word as the forms it matches; `terms` (all of them) are what the results mark
    var groups = words.map(variants);
    var terms = [].concat.apply([], groups);
    if (!terms.length) return { terms: terms, hits: [] };
    var hits = [];
    prepared.forEach(function (item) {
      var score = 0;
      var inTitle = 0;
      for (var i = 0; i < groups.length; i++) {
        var t = groups[i];
        var inTitleAt = findAny(item.fTitle, t);
        var titleHit = inTitleAt >= 0;
        if (!titleHit && findAny(item.fBody, t) < 0 && findAny(item.fChapter, t) < 0) return;
        if (titleHit) {
          inTitle += 1;
          if (inTitleAt === 0) score += 2;
        }
      }
      if (inTitle === groups.length) score += 1000;
      score += inTitle * 100;
      if (item.entry.level === 1) score += 1;
      hits.push({ item: item, score: score });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || a.item.order - b.item.order;
    });
    return { terms: terms, hits: hits };
  }

  // Appends `text` to `parent`, wrapping the matches of `terms` in <mark>.
  function appendMarked(parent, text, terms) {
    var folded = fold(text);
    var ranges = [];
    terms.forEach(function (t) {
      var from = 0;
      var at;
      while (t && (at = folded.indexOf(t, from)) >= 0) {
        ranges.push([at, at + t.length]);
        from = at + t.length;
      }
    });
    ranges.sort(function (a, b) {
      return a[0] - b[0] || b[1] - a[1];
    });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] < pos) return;
      if (r[0] > pos) parent.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      pos = r[1];
    });
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function snippet(item, terms) {
    var first = -1;
    terms.forEach(function (t) {
      var at = item.fBody.indexOf(t);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var body = item.body;
    if (first < 0) {
      var lead = String(item.entry.text || body);
      return lead.length > SNIPPET ? lead.slice(0, SNIPPET).replace(/\s+\S*$/, "") + "\u2026" : lead;
    }
    var start = Math.max(0, first - 50);
    if (start > 0) {
      var space = body.indexOf(" ", start);
      start = space >= 0 && space < first ? space + 1 : start;
    }
    var end = Math.min(body.length, start + SNIPPET);
    if (end < body.length) {
      var cut = body.lastIndexOf(" ", end);
      end = cut > first ? cut : end;
    }
    var text = body.slice(start, end);
    if (end < body.length) text = text.replace(/[\s,;:.]+$/, "") + "\u2026";
    return (start > 0 ? "\u2026" : "") + text;
  }

  function initSearch() {
    var form = document.querySelector(".search");
    var input = document.getElementById("search-input");
    var panel = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!form || !input || !panel) return;
    var prepared = null;
    var lastQuery = null;
    // The index is fetched when the search box is first used, not with every page: on a large
    // registry it is megabytes. A classic script, so it also loads from file://.
    var loading = false;
    var tried = false;
    var openFirst = false;

    function index() {
      if (prepared === null && Array.isArray(window.CB_SEARCH_INDEX)) {
        prepared = prepare(window.CB_SEARCH_INDEX);
      }
      return prepared;
    }

    function loadIndex() {
      if (tried || Array.isArray(window.CB_SEARCH_INDEX) || !form.getAttribute("data-index")) return;
      loading = tried = true;
      var script = document.createElement("script");
      script.src = form.getAttribute("data-index");
      script.onload = script.onerror = function () {
        loading = false;
        script.onload = script.onerror = null;
        if (form.contains(document.activeElement) && input.value.trim()) render(input.value);
        if (openFirst) {
          openFirst = false;
          var first = links()[0];
          if (first) window.location.href = first.href;
        }
      };
      document.head.appendChild(script);
    }

    function links() {
      return Array.prototype.slice.call(panel.querySelectorAll("a.search-result"));
    }

    function hide() {
      panel.hidden = true;
    }

    function announce(text) {
      if (status) status.textContent = text;
    }

    function render(query) {
      lastQuery = query;
      panel.textContent = "";
      if (!query.trim()) {
        hide();
        announce("");
        return;
      }
      var data = index();
      if (!data) {
        loadIndex();
        var off = document.createElement("p");
        off.className = "search-empty";
        off.textContent = loading ? T.searchLoading : T.searchOff;
        panel.appendChild(off);
        panel.hidden = false;
        announce(off.textContent);
        return;
      }
      var found = runSearch(data, query);
      if (!found.hits.length) {
        var none = document.createElement("p");
        none.className = "search-empty";
        none.textContent = T.noResults(query.trim());
        panel.appendChild(none);
        panel.hidden = false;
        announce(none.textContent);
        return;
      }
      var list = document.createElement("ol");
      found.hits.slice(0, MAX_RESULTS).forEach(function (hit) {
        var item = hit.item;
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.className = "search-result";
        a.href = root + item.entry.url;
        var title = document.createElement("span");
        title.className = "search-result-title";
        appendMarked(title, item.heading, found.terms);
        a.appendChild(title);
        if (item.entry.level > 1) {
          var chapter = document.createElement("span");
          chapter.className = "search-result-chapter";
          chapter.textContent = item.chapter;
          a.appendChild(chapter);
        }
        var text = snippet(item, found.terms);
        if (text) {
          var span = document.createElement("span");
          span.className = "search-result-text";
          appendMarked(span, text, found.terms);
          a.appendChild(span);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      panel.appendChild(list);
      panel.hidden = false;
      var count = found.hits.length;
      announce(T.results(count, MAX_RESULTS));
    }

    function focusResult(i) {
      var all = links();
      if (!all.length) return;
      if (i < 0) {
        input.focus();
        return;
      }
      all[Math.min(i, all.length - 1)].focus();
    }

    input.addEventListener("input", function () {
      render(input.value);
    });
    input.addEventListener("focus", function () {
      loadIndex();
      if (input.value.trim()) {
        if (input.value !== lastQuery) render(input.value);
        else panel.hidden = false;
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (panel.hidden && input.value.trim()) render(input.value);
        focusResult(0);
      } else if (event.key === "Escape") {
        if (!panel.hidden) {
          event.preventDefault();
          event.stopPropagation();
          hide();
        } else if (input.value) {
          input.value = "";
        }
      }
    });
    panel.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown") {
        event.preventDefault();
        focusResult(at + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        focusResult(at - 1);
      } else if (event.key === "Home") {
        event.preventDefault();
        focusResult(0);
      } else if (event.key === "End") {
        event.preventDefault();
        focusResult(all.length - 1);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        hide();
        input.focus();
      }
    });
    panel.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) hide();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      render(input.value);
      var first = links()[0];
      if (first) window.location.href = first.href;
      else if (loading) openFirst = true;  // Enter before the index arrived: open the first result when it does
    });
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) {
        window.setTimeout(function () {
          if (!form.contains(document.activeElement)) hide();
        }, 0);
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      var tag = target && target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
      event.preventDefault();
      input.focus();
    });
  }

  /* ------------------------------------------------------------ "On this page" */

  function initToc() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc-list a"));
    if (!links.length) return;
    var targets = links.map(function (a) {
      var id = a.getAttribute("href").slice(1);
      try {
        id = decodeURIComponent(id);
      } catch (err) {
        /* keep the raw id */
      }
      return document.getElementById(id);
    });
    var header = document.querySelector(".site-header");
    var pending = false;

    function update() {
      pending = false;
      var offset = (header && window.getComputedStyle(header).position === "sticky" ? header.offsetHeight : 0) + 24;
      var active = -1;
      for (var i = 0; i < targets.length; i++) {
        if (targets[i] && targets[i].getBoundingClientRect().top <= offset) active = i;
      }
      var doc = document.documentElement;
      if (window.innerHeight + window.pageYOffset >= doc.scrollHeight - 2 && active >= 0) {
        for (var j = targets.length - 1; j >= 0; j--) {
          if (targets[j] && targets[j].getBoundingClientRect().top < window.innerHeight) {
            active = j;
            break;
          }
        }
      }
      links.forEach(function (a, k) {
        if (k === active) {
          a.classList.add("is-active");
          a.setAttribute("aria-current", "location");
        } else {
          a.classList.remove("is-active");
          a.removeAttribute("aria-current");
        }
      });
    }

    window.addEventListener(
      "scroll",
      function () {
        if (!pending) {
          pending = true;
          window.requestAnimationFrame(update);
        }
      },
      { passive: true }
    );
    window.addEventListener("resize", update);
    update();
  }

  /* ------------------------------------------------------------ wide tables */

  function initTables() {
    var wraps = document.querySelectorAll(".table-wrap");
    if (!wraps.length) return;
    function check() {
      each(wraps, function (wrap) {
        if (wrap.scrollWidth > wrap.clientWidth + 1) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", T.tableScroll);
        } else {
          wrap.removeAttribute("tabindex");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
      });
    }
    check();
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 150);
    });
  }

  /* ------------------------------------------------------------ editions */

  /* Each edition lives in v/<edition>/ and the site root holds a copy of the latest, so the
   * list of editions (versions.js, written at release time) sits at the archive root and old
   * editions never need rebuilding. Found from this script's own address, it works over
   * http and from file:// alike. */
  function archiveRoot() {
    if (!editionBase) {
      return null;
    }
    var path = editionBase.pathname;
    if (/\/v\/\d{4}\.\d+\/$/.test(path)) {
      return new URL("../../", editionBase);
    }
    if (/\/draft\/$/.test(path)) {
      return new URL("../", editionBase);
    }
    return editionBase;
  }

  function currentPage() {
    var name = window.location.pathname.split("/").pop();
    return name || "index.html";
  }

  function editionHref(base, path, pages, page) {
    var target = pages && pages.indexOf(page) !== -1 ? page : "index.html";
    return new URL(path + LANG_FOLDER + target, base).href;
  }

  function addText(parent, tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function showEditions(versions, base) {
    var meta = document.querySelector('meta[name="cb-edition"]');
    var mine = meta ? meta.getAttribute("content") : "";
    var page = currentPage();
    var latest = null;
    versions.editions.forEach(function (e) {
      if (e.latest) {
        latest = e;
      }
    });
    var holder = document.getElementById("version-switcher");
    if (holder && versions.editions.length) {
      var menu = document.createElement("details");
      menu.className = "version-menu";
      var badge = document.querySelector(".edition-badge");
      var summary = addText(menu, "summary", badge ? badge.textContent : T.edition(mine));
      if (badge) {
        badge.hidden = true; // the menu's label says the same and more
      }
      summary.setAttribute("aria-label", T.editionMenu(mine));
      var list = document.createElement("ul");
      var entries = versions.editions.slice();
      if (versions.draft) {
        entries.unshift({ edition: "draft", path: versions.draft.path, pages: versions.draft.pages, date: "" });
      }
      entries.forEach(function (e) {
        var item = document.createElement("li");
        var link = addText(item, "a", e.edition === "draft" ? T.draftEntry :
          e.edition + (e.latest ? T.latestMark : "") + (e.date ? ", " + day(e.date) : ""));
        link.href = e.latest ? editionHref(base, "", e.pages, page) : editionHref(base, e.path, e.pages, page);
        link.className = "cb-edition";
        link.setAttribute("data-edition", e.edition);
        if (e.edition === mine) {
          link.setAttribute("aria-current", "true");
        }
        list.appendChild(item);
      });
      if (latest && latest.pages.indexOf("12-editions.html") !== -1) {
        var all = addText(document.createElement("li"), "a", T.allEditions);
        all.href = new URL(LANG_FOLDER + "12-editions.html", base).href;
        list.appendChild(all.parentNode);
      }
      menu.appendChild(list);
      holder.appendChild(menu);
    }
    var banner = document.getElementById("edition-banner");
    if (!banner || !latest || mine === latest.edition) {
      return;
    }
    var inArchive = /\/v\/\d{4}\.\d+\/$/.test(editionBase.pathname);
    if (mine !== "draft" && !inArchive) {
      return;
    }
    var p = document.createElement("p");
    if (mine === "draft") {
      p.appendChild(document.createTextNode(T.latestIs));
    } else {
      var date = document.querySelector('meta[name="cb-edition"]').getAttribute("data-date");
      p.appendChild(document.createTextNode(T.oldEdition(mine, day(date))));
    }
    var link = addText(p, "a", T.editionLink(latest.edition));
    link.href = editionHref(base, "", latest.pages, page);
    p.appendChild(document.createTextNode(latest.pages.indexOf(page) !== -1 ? T.thisPageIn : T.itsHome));
    banner.appendChild(p);
    banner.hidden = false;
    banner.classList.add(mine === "draft" ? "is-draft" : "is-old");
  }

  /* Pages the wheel-only engine writes carry the edition badge, the menu's place and the banner;
   * Quarto's pages do not, so they are added here, at the top of the main content. */
  function editionPlaces() {
    if (document.getElementById("version-switcher")) return;
    var main = document.querySelector("main");
    var meta = document.querySelector('meta[name="cb-edition"]');
    if (!main || !meta) return;
    var edition = meta.getAttribute("content");
    var date = meta.getAttribute("data-date");
    var bar = document.createElement("div");
    bar.className = "cb-edition-bar";
    addText(bar, "span", (edition === "draft" ? T.draft : T.edition(edition)) + (date ? " \u00b7 " + day(date) : "")).className = "edition-badge";
    var holder = document.createElement("div");
    holder.id = "version-switcher";
    bar.appendChild(holder);
    var banner = document.createElement("div");
    banner.id = "edition-banner";
    banner.className = "edition-banner";
    banner.setAttribute("role", "note");
    if (edition === "draft") {
      addText(banner, "p", T.draftNote);
    } else {
      banner.hidden = true;
    }
    main.insertBefore(banner, main.firstChild);
    main.insertBefore(bar, banner);
  }

  function initEditions() {
    editionPlaces();
    var base = archiveRoot();
    if (!base) {
      return;
    }
    var script = document.createElement("script");
    script.src = new URL("versions.js", base).href;
    script.onload = function () {
      if (window.CB_VERSIONS && window.CB_VERSIONS.editions) {
        showEditions(window.CB_VERSIONS, base);
      }
    };
    document.head.appendChild(script);
  }

  ready(function () {
    initEditions();
    initMenu();
    initSearch();
    initCharts();
    initToc();
    initTables();
  });
})();
