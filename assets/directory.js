/* Cluster Benchmark: the cluster directory and the compare tool.
 *
 * Loaded, after the data file assets/clusters-data.js (which sets window.CB_CLUSTERS) and, on the
 * compare page, assets/clusters-figures.js (window.CB_FIGURES), by the two pages that hold a tool
 * (#cb-directory, #cb-compare); classic scripts, so it works from file:// too.
 * Each page also carries a static table of the clusters, linked to their profiles: that is what the
 * PDF and a reader without JavaScript get, and where this script takes each profile's address from
 * (both engines resolve those links, so the script never guesses where a profile lives).
 * The state of each tool (filters and order, or the clusters compared) lives in the page's address,
 * so a view can be bookmarked, reloaded or sent on. Text from the data is only ever set as text.
 */
(function () {
  "use strict";

  var data = window.CB_CLUSTERS;

  /* The figures come in a file of their own (assets/clusters-figures.js), which only the compare page
   * loads, with each source and label written once; this puts every cluster's figures back whole.
   * On the directory page, which does not load them, each cluster has none. */
  function hydrate(data, figures) {
    data.clusters.forEach(function (c) {
      c.figures = ((figures && figures.clusters[c.id]) || []).map(function (f) {
        var out = {}, where = figures.sources[f.source_ref];
        Object.keys(f).forEach(function (k) { if (k !== "source_ref") out[k] = f[k]; });
        Object.keys(where).forEach(function (k) { out[k] = where[k]; });
        out.scope_label = figures.labels.scope_label[f.scope];
        out.quality_label = figures.labels.quality_label[f.quality];
        return out;
      });
    });
  }

  /* The page's language (its <html lang>) picks the words below; the data file of each edition already
   * speaks it. English is the default. Numbers and plural forms follow the language's rules (Intl). */
  var LANG = /^ru\b/i.test(document.documentElement.lang || "") ? "ru" : "en";

  /* A number as the language writes it: English as JavaScript prints it, Russian 1 234,5. */
  function fmt(n) {
    if (LANG === "en" || typeof n !== "number" || !window.Intl) return String(n);
    return new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 2 }).format(n);
  }

  /* The form of a word after the number `n`: `forms` is {one, few, many} (CLDR's Russian categories). */
  var pluralRules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(LANG) : null;
  function plural(n, forms) {
    var rule = pluralRules ? pluralRules.select(n) : (n === 1 ? "one" : "other");
    return forms[rule] || forms.many || forms.other;
  }
  function count(n, forms) {
    return fmt(n) + " " + plural(n, forms);
  }
  var CLUSTERS = { one: "кластер", few: "кластера", many: "кластеров" };
  var OF_CLUSTERS = { one: "кластера", few: "кластеров", many: "кластеров" }; /* after «не более», «из» */

  var WORDS = {
    en: {
      kind: "Kind", country: "Country", region: "Region", industry: "Industry", supportGroup: "Support group",
      noGroup: "No support group", group: function (g) { return "Group " + g; },
      inGroup: function (g) { return " · group " + g; },
      cluster: "Cluster", where: "Where", participants: "Participants", score: "Score", coverage: "Evidence coverage",
      notAssessed: "not assessed", rank: function (r) { return ", rank " + r; },
      signs: function (known, all) { return known + " of " + all + " signs"; },
      source: "Source: ", all: "All", nameContains: "Name contains", clear: "Clear filters", filterLabel: "Filter the clusters",
      compareThese: function (n) { return "Compare these " + n + " clusters"; },
      showing: function (n, all) { return "Showing " + n + " of " + all + " clusters."; },
      noMatch: "No cluster matches these filters.",
      directoryCaption: "Clusters, one per row; the column headings sort the table.",
      directoryScroll: "Clusters, scrolls sideways",
      sourceN: function (n) { return "Source " + n; }, sourcesLabel: "Sources of the comparison",
      note: "Note: ", unit: "Unit: ",
      unlike: function (scopes) { return "⚠ Unlike scope: the values describe different things (" + scopes.join("; ") + "). Do not read one against the other."; },
      noFigure: "no figure", noReference: "no reference value", world: "World reference values", worldInList: "the world reference values",
      indicator: "Indicator", noFigures: "No figures are recorded for this choice.",
      compareCaption: function (names) { return "Figures of " + names.join(", ") + ", side by side, each with its unit, year, scope, quality and source."; },
      summary: function (rows, shared, mixed) {
        return rows + (rows === 1 ? " indicator; " : " indicators; ") + shared + " with a value in more than one column, listed first"
          + (mixed ? "; " + mixed + " of unlike scope, marked ⚠." : ".");
      },
      compareScroll: "Comparison, scrolls sideways", sources: "Sources",
      choose: "Choose a cluster", figures: function (n) { return n + (n === 1 ? " figure" : " figures"); }, add: "Add",
      full: "Four clusters chosen (the most)", addCluster: "Add a cluster", showWorld: "Show the world reference values",
      chosen: "Chosen clusters", remove: function (name) { return "Remove " + name; },
      tryPair: function (a, b) { return "Try " + a + " against " + b; },
      unknown: function (ids) { return "The address names clusters this edition does not have: " + ids.join(", ") + "."; },
      dropped: function (max, names) { return "At most " + max + " clusters fit side by side; left out: " + names.join(", ") + "."; },
      addAnother: "Add another cluster, or show the world reference values, to compare.",
      chooseTwo: "Choose two to four clusters, or one cluster and the world reference values.",
      noData: "The interactive version of this page could not load its data; the table below lists the same clusters."
    },
    ru: {
      kind: "Вид", country: "Страна", region: "Регион", industry: "Отрасль", supportGroup: "Группа поддержки",
      noGroup: "Без группы поддержки", group: function (g) { return "Группа " + g; },
      inGroup: function (g) { return " · группа " + g; },
      cluster: "Кластер", where: "Местоположение", participants: "Участники", score: "Оценка", coverage: "Полнота данных",
      notAssessed: "не оценивается", rank: function (r) { return ", место " + r; },
      signs: function (known, all) { return fmt(known) + " из " + fmt(all) + " " + plural(all, { one: "признака", few: "признаков", many: "признаков" }); },
      source: "Источник: ", all: "Все", nameContains: "Название содержит", clear: "Сбросить фильтры", filterLabel: "Отбор кластеров",
      compareThese: function (n) { return "Сравнить эти " + count(n, CLUSTERS); },
      showing: function (n, all) { return "Показано: " + count(n, CLUSTERS) + " из " + fmt(all) + "."; },
      noMatch: "Ни один кластер не отвечает выбранным условиям.",
      directoryCaption: "Кластеры, по одному в строке; заголовки столбцов сортируют таблицу.",
      directoryScroll: "Кластеры; таблица прокручивается по горизонтали",
      sourceN: function (n) { return "Источник " + n; }, sourcesLabel: "Источники сравнения",
      note: "Примечание: ", unit: "Ед. изм.: ",
      unlike: function (scopes) { return "⚠ Разный охват: значения описывают разные объекты (" + scopes.join("; ") + "). Сопоставлять их нельзя."; },
      noFigure: "нет значения", noReference: "нет ориентира", world: "Международные ориентиры", worldInList: "международные ориентиры",
      indicator: "Показатель", noFigures: "По этому выбору показатели не приводятся.",
      compareCaption: function (names) { return "Показатели: " + names.join(", ") + " — рядом; у каждого значения указаны единица измерения, год, охват, качество и источник."; },
      summary: function (rows, shared, mixed) {
        return count(rows, { one: "показатель", few: "показателя", many: "показателей" }) + "; со значениями более чем в одном столбце — "
          + fmt(shared) + ", они приведены первыми" + (mixed ? "; с разным охватом — " + fmt(mixed) + ", отмечены ⚠." : ".");
      },
      compareScroll: "Сравнение; таблица прокручивается по горизонтали", sources: "Источники",
      choose: "Выберите кластер", figures: function (n) { return count(n, { one: "показатель", few: "показателя", many: "показателей" }); },
      add: "Добавить", full: "Выбраны четыре кластера (это максимум)", addCluster: "Добавить кластер",
      showWorld: "Показать международные ориентиры",
      chosen: "Выбранные кластеры", remove: function (name) { return "Убрать: " + name; },
      tryPair: function (a, b) { return "Сравнить: " + a + " и " + b; },
      unknown: function (ids) { return "В адресе названы кластеры, которых нет в этом выпуске: " + ids.join(", ") + "."; },
      dropped: function (max, names) { return "Рядом помещается не более " + fmt(max) + " " + plural(max, OF_CLUSTERS) + "; не показаны: " + names.join(", ") + "."; },
      addAnother: "Чтобы сравнить, добавьте ещё один кластер или покажите международные ориентиры.",
      chooseTwo: "Выберите от двух до четырёх кластеров или один кластер и международные ориентиры.",
      noData: "Интерактивной версии страницы не удалось загрузить данные; в таблице ниже перечислены те же кластеры."
    }
  };
  var T = WORDS[LANG] || WORDS.en;

  /* Text for matching a typed name: lower case; in Russian «ё» reads as «е». */
  function folded(text) {
    return LANG === "ru" ? String(text).toLocaleLowerCase("ru").replace(/ё/g, "е") : String(text).toLowerCase();
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  /* An element with attributes and children; strings become text nodes, never markup. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function decode(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch (e) {
      return ""; /* a mangled address reads as no value */
    }
  }

  function params() {
    var out = {};
    location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var i = pair.indexOf("=");
      out[decode(i < 0 ? pair : pair.slice(0, i))] = i < 0 ? "" : decode(pair.slice(i + 1));
    });
    return out;
  }

  /* Rewrites the address's query (no new history entry); `pairs` is [[key, value], ...] in order. */
  function setQuery(pairs, raw) {
    var query = pairs.map(function (p) {
      return encodeURIComponent(p[0]) + "=" + (raw ? p[1] : encodeURIComponent(p[1]));
    }).join("&");
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      /* a browser that refuses keeps the view, only the address stays as it was */
    }
  }

  /* Each cluster's profile address, from the links of the page's static table. A long table shows
   * only its first rows (cb.table-rows), so the address of a cluster it leaves out is made the way the
   * engine made the others: a listed cluster's address with its id swapped for the other's. */
  function profileLinks() {
    var out = {}, around = null;
    Array.prototype.forEach.call(document.querySelectorAll("a[data-cluster]"), function (a) {
      var id = a.getAttribute("data-cluster"), href = a.getAttribute("href");
      out[id] = href;
      var at = href.lastIndexOf(id + ".");
      if (!around && at >= 0) around = [href.slice(0, at), href.slice(at + id.length)];
    });
    return function (id) {
      return out[id] || (around ? around[0] + id + around[1] : null);
    };
  }

  function clusterName(cluster, hrefs) {
    var href = hrefs(cluster.id);
    return href ? el("a", { href: href, text: cluster.name }) : el("span", { text: cluster.name });
  }

  function scrollBox(label, table) {
    return el("div", { className: "cb-tool-scroll", tabindex: "0", role: "region", "aria-label": label }, [table]);
  }

  /* ================================================================ directory */

  var FILTERS = [
    { key: "kind", label: T.kind, value: function (c) { return c.kind; }, text: function (c) { return kindLabel(c.kind); } },
    { key: "country", label: T.country, value: function (c) { return c.country; }, text: function (c) { return c.country_label; } },
    { key: "region", label: T.region, value: function (c) { return c.region; }, text: function (c) { return c.region; } },
    { key: "industry", label: T.industry, value: function (c) { return c.industry; }, text: function (c) { return c.industry_label; } },
    {
      key: "group", label: T.supportGroup,
      value: function (c) { return c.support_group === null ? "none" : String(c.support_group); },
      text: function (c) { return c.support_group === null ? T.noGroup : T.group(c.support_group); }
    }
  ];

  function kindLabel(kind) {
    for (var i = 0; i < data.kinds.length; i++) if (data.kinds[i].id === kind) return data.kinds[i].label;
    return kind;
  }

  function compareText(a, b) {
    return a.localeCompare(b, LANG, { sensitivity: "base" });
  }

  /* A score sorts scored clusters by score, then those with too little evidence, then the unassessed. */
  var COLUMNS = [
    { key: "name", label: T.cluster, type: "text", sort: function (c) { return c.name; } },
    { key: "where", label: T.where, type: "text", sort: function (c) { return c.country_label + " " + (c.region || ""); } },
    { key: "industry", label: T.industry, type: "text", sort: function (c) { return c.industry_label; } },
    { key: "participants", label: T.participants, type: "number", right: true, sort: function (c) { return c.participants ? c.participants.sort : null; } },
    { key: "score", label: T.score, type: "number", sort: function (c) { return c.scored ? c.score : (c.assessed ? -1 : null); } },
    { key: "coverage", label: T.coverage, type: "number", right: true, sort: function (c) { return c.coverage; } }
  ];

  function column(key) {
    for (var i = 0; i < COLUMNS.length; i++) if (COLUMNS[i].key === key) return COLUMNS[i];
    return null;
  }

  function options(filter) {
    var seen = {};
    var list = [];
    data.clusters.forEach(function (c) {
      var value = filter.value(c);
      if (value === null || value === undefined || seen[value]) return;
      seen[value] = true;
      list.push({ value: value, text: filter.text(c) });
    });
    if (filter.key !== "kind") list.sort(function (a, b) { return compareText(a.text, b.text); });
    return list;
  }

  function readDirectoryState(choices) {
    var q = params();
    var state = { filters: {}, text: (q.q || "").trim(), sort: null, dir: "asc" };
    FILTERS.forEach(function (f) {
      var wanted = q[f.key];
      if (wanted && choices[f.key].some(function (o) { return o.value === wanted; })) state.filters[f.key] = wanted;
    });
    if (column(q.sort)) {
      state.sort = q.sort;
      state.dir = q.dir === "desc" ? "desc" : "asc";
    }
    return state;
  }

  function writeDirectoryState(state) {
    var pairs = [];
    FILTERS.forEach(function (f) {
      if (state.filters[f.key]) pairs.push([f.key, state.filters[f.key]]);
    });
    if (state.text) pairs.push(["q", state.text]);
    if (state.sort) pairs.push(["sort", state.sort], ["dir", state.dir]);
    setQuery(pairs, false);
  }

  function matches(c, state) {
    for (var i = 0; i < FILTERS.length; i++) {
      var f = FILTERS[i];
      if (state.filters[f.key] && String(f.value(c)) !== state.filters[f.key]) return false;
    }
    if (!state.text) return true;
    var hay = folded(c.name + " " + c.full_name);
    return hay.indexOf(folded(state.text)) >= 0;
  }

  /* Missing values always sort last, whichever the direction. */
  function sorted(list, state) {
    if (!state.sort) return list;
    var col = column(state.sort);
    var sign = state.dir === "desc" ? -1 : 1;
    return list.map(function (c, i) { return { c: c, i: i, v: col.sort(c) }; }).sort(function (a, b) {
      var missA = a.v === null || a.v === undefined, missB = b.v === null || b.v === undefined;
      if (missA || missB) return missA === missB ? a.i - b.i : (missA ? 1 : -1);
      var d = col.type === "text" ? compareText(a.v, b.v) : a.v - b.v;
      return d ? sign * d : a.i - b.i;
    }).map(function (x) { return x.c; });
  }

  /* A score with its light and rank; grey and no number below the minimum coverage (the scorecard's rule). */
  function scoreCell(c) {
    if (!c.assessed) return el("td", { className: "cb-muted", text: T.notAssessed });
    var light = c.scored ? c.light : "insufficient";
    var note = c.scored ? c.light_label + (c.rank ? T.rank(c.rank) : "") : null;
    return el("td", { "data-light": light }, [
      el("span", { className: "cb-light cb-light-" + light, "aria-hidden": "true" }),
      c.scored ? fmt(c.score) + "%" : c.light_label,
      note ? el("span", { className: "cb-rank", text: note }) : null
    ]);
  }

  function coverageCell(c) {
    if (c.coverage === null) return el("td", { className: "cb-num cb-muted", text: "–" });
    return el("td", { className: "cb-num" }, [fmt(c.coverage) + "%", el("span", { className: "cb-rank", text: T.signs(c.known, c.signs) })]);
  }

  function directoryRow(c, hrefs) {
    var p = c.participants;
    var where = [c.region, c.country === "RU" ? null : c.country_label].filter(Boolean).join(", ") || c.country_label;
    return labelled(el("tr", { "data-cluster": c.id }, [
      el("th", { scope: "row" }, [clusterName(c, hrefs), el("span", { className: "cb-kind",
        text: c.kind_label + (c.support_group === null ? "" : T.inGroup(c.support_group)) })]),
      el("td", { text: where }),
      el("td", { text: c.industry_label }),
      el("td", { className: "cb-num", title: p ? T.source + p.source : null },
        p ? [p.text, p.year ? el("span", { className: "cb-rank", text: String(p.year) }) : null] : ["–"]),
      scoreCell(c),
      coverageCell(c)
    ]), COLUMNS.map(function (col) { return col.label; }));
  }

  /* Each cell carries its column's name, which a narrow screen shows when the rows become cards. */
  function labelled(row, labels) {
    Array.prototype.forEach.call(row.children, function (cell, i) {
      if (cell.tagName === "TD" && labels[i]) cell.setAttribute("data-label", labels[i]);
    });
    return row;
  }

  function sortHeader(col, state, onSort) {
    var active = state.sort === col.key;
    var button = el("button", { type: "button", className: "cb-sort" }, [
      col.label,
      el("span", { className: "cb-sort-mark", "aria-hidden": "true", text: active ? (state.dir === "asc" ? "▲" : "▼") : "↕" })
    ]);
    button.addEventListener("click", function () { onSort(col); });
    return el("th", { scope: "col", "aria-sort": active ? (state.dir === "asc" ? "ascending" : "descending") : null,
      className: col.right ? "cb-num" : null }, [button]);
  }

  function filterForm(choices, state, onChange) {
    var fields = FILTERS.map(function (f) {
      var id = "cb-filter-" + f.key;
      var select = el("select", { id: id, name: f.key }, [el("option", { value: "", text: T.all })].concat(
        choices[f.key].map(function (o) {
          return el("option", { value: o.value, text: o.text, selected: state.filters[f.key] === o.value });
        })));
      select.addEventListener("change", function () {
        if (select.value) state.filters[f.key] = select.value; else delete state.filters[f.key];
        onChange();
      });
      return el("div", { className: "cb-field" }, [el("label", { "for": id, text: f.label }), select]);
    });
    var search = el("input", { id: "cb-filter-q", type: "search", name: "q", value: state.text, autocomplete: "off" });
    search.addEventListener("input", function () { state.text = search.value.trim(); onChange(); });
    fields.push(el("div", { className: "cb-field" }, [el("label", { "for": "cb-filter-q", text: T.nameContains }), search]));
    var reset = el("button", { type: "button", className: "cb-reset", text: T.clear });
    reset.addEventListener("click", function () {
      state.filters = {};
      state.text = "";
      form.querySelectorAll("select").forEach(function (s) { s.value = ""; });
      search.value = "";
      onChange();
    });
    var form = el("form", { className: "cb-filters", role: "search", "aria-label": T.filterLabel }, fields.concat([reset]));
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    return form;
  }

  function compareLink(shown, hrefs) {
    var link = document.querySelector("a[data-compare-page]");
    if (shown.length < 2 || shown.length > data.max_compared || !link) return null;
    var href = link.getAttribute("href").split("#")[0].split("?")[0] + "?c=" + shown.map(function (c) { return c.id; }).join(",");
    return el("a", { className: "cb-button", href: href, text: T.compareThese(shown.length) });
  }

  /* The directory's map (drawn by site.js) shows the clusters the list shows: its dots follow
     the map's `directory_shown` parameter, null for all. The map may be drawn before or after
     the list, so the latest list is kept and applied when the chart reports it is ready. A map of
     very many clusters counts them per square and has no such parameter: it shows them all. */
  var MAP_PARAM = "directory_shown";
  var mapShown = null;
  function applyMap() {
    var chart = document.querySelector('.cb-chart[data-spec="spec-directory-map"]');
    if (!chart || !chart.cbView || mapShown === null || !mapFollows(chart)) return;
    var ids = mapShown.length === data.clusters.length ? null : mapShown.map(function (c) { return c.id; });
    chart.cbView.signal(MAP_PARAM, ids).runAsync().then(function () {
      chart.setAttribute("data-shown", ids === null ? "all" : String(ids.length));
    });
  }
  function mapFollows(chart) {
    if (chart.cbFollows === undefined) {
      var spec = document.getElementById(chart.getAttribute("data-spec"));
      var meta = spec ? JSON.parse(spec.textContent).usermeta || {} : {};
      chart.cbFollows = meta.filter_param === MAP_PARAM;
    }
    return chart.cbFollows;
  }
  function showOnMap(shown) {
    mapShown = shown;
    applyMap();
  }
  document.addEventListener("cb:chart-rendered", applyMap);

  function initDirectory(box, hrefs) {
    var choices = {};
    FILTERS.forEach(function (f) { choices[f.key] = options(f); });
    var state = readDirectoryState(choices);
    var status = el("p", { className: "cb-status", role: "status", "aria-live": "polite" });
    var actions = el("div", { className: "cb-actions" });
    var table = el("table", { className: "cb-directory-table table" });
    function render() {
      var shown = sorted(data.clusters.filter(function (c) { return matches(c, state); }), state);
      status.textContent = T.showing(shown.length, data.clusters.length);
      actions.textContent = "";
      var link = compareLink(shown, hrefs);
      if (link) actions.appendChild(link);
      var head = el("tr", {}, COLUMNS.map(function (col) { return sortHeader(col, state, onSort); }));
      var body = shown.length ? shown.map(function (c) { return directoryRow(c, hrefs); })
        : [el("tr", {}, [el("td", { colspan: String(COLUMNS.length), text: T.noMatch })])];
      table.textContent = "";
      table.appendChild(el("caption", { className: "visually-hidden", text: T.directoryCaption }));
      table.appendChild(el("thead", {}, [head]));
      table.appendChild(el("tbody", {}, body));
      writeDirectoryState(state);
      showOnMap(shown);
    }
    function onSort(col) {
      if (state.sort === col.key) state.dir = state.dir === "asc" ? "desc" : "asc";
      else { state.sort = col.key; state.dir = col.type === "number" ? "desc" : "asc"; }
      render();
      var again = table.querySelector('th[aria-sort] button');
      if (again) again.focus();
    }
    box.appendChild(filterForm(choices, state, render));
    box.appendChild(el("div", { className: "cb-status-row" }, [status, actions]));
    box.appendChild(scrollBox(T.directoryScroll, table));
    render();
  }

  /* ================================================================ compare */

  function byId() {
    var out = {};
    data.clusters.forEach(function (c) { out[c.id] = c; });
    return out;
  }

  function readSelection(clusters) {
    var wanted = (params().c || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var sel = { ids: [], reference: false, unknown: [], dropped: [] };
    wanted.forEach(function (id) {
      if (id === data.reference_token) sel.reference = true;
      else if (!clusters[id]) sel.unknown.push(id);
      else if (sel.ids.indexOf(id) >= 0) return;
      else if (sel.ids.length >= data.max_compared) sel.dropped.push(clusters[id].name);
      else sel.ids.push(id);
    });
    return sel;
  }

  function writeSelection(sel) {
    var items = sel.ids.slice();
    if (sel.reference) items.push(data.reference_token);
    setQuery(items.length ? [["c", items.map(encodeURIComponent).join(",")]] : [], true);
  }

  /* The rows of the comparison: each indicator (and breakdown) any chosen cluster has a figure for, and
   * with the reference values, each indicator they give a value for cluster initiatives. */
  function compareRows(chosen, reference) {
    var rows = {};
    function row(indicator, breakdown, label) {
      var key = indicator + "|" + (breakdown || "");
      if (!rows[key]) rows[key] = { key: key, indicator: indicator, label: label, cells: {}, refs: [] };
      return rows[key];
    }
    chosen.forEach(function (c) {
      c.figures.forEach(function (f) {
        var r = row(f.indicator, f.breakdown, f.label);
        (r.cells[c.id] = r.cells[c.id] || []).push(f);
      });
    });
    if (reference) {
      data.references.forEach(function (ref) {
        var info = data.indicators[ref.indicator];
        var has = rows[ref.indicator + "|"];
        if (has || ref.scope === "initiative") row(ref.indicator, null, info ? info.label : ref.indicator).refs.push(ref);
      });
    }
    /* indicators that more columns share come first: those are the comparisons */
    return Object.keys(rows).map(function (k) { return rows[k]; }).sort(function (a, b) {
      return filled(b) - filled(a) || compareText(a.label, b.label);
    });
  }

  function filled(r) {
    return Object.keys(r.cells).length + (r.refs.length ? 1 : 0);
  }

  function scopeBadge(item) {
    return el("span", { className: "cb-scope cb-scope-" + item.scope, text: item.scope_label });
  }

  /* The sources of one comparison, numbered in order of first use, so a long locator is written once. */
  function SourceList() {
    this.texts = [];
    this.links = [];
  }
  SourceList.prototype.mark = function (item) {
    var n = this.texts.indexOf(item.source) + 1;
    if (!n) {
      n = this.texts.push(item.source);
      this.links.push(item.source_links || []);
    }
    return el("a", { className: "cb-source-mark", href: "#cb-source-" + n, "aria-label": T.sourceN(n), text: "[" + n + "]" });
  };
  SourceList.prototype.list = function () {
    var links = this.links;
    var page = referencesPage();
    return el("ol", { className: "cb-sources", "aria-label": T.sourcesLabel }, this.texts.map(function (text, i) {
      return el("li", { id: "cb-source-" + (i + 1) }, linkedSource(text, page ? links[i] : [], page));
    }));
  };

  /* The References page, as the sidebar links to it (its address depends on the engine's layout). */
  function referencesPage() {
    var link = document.querySelector('a[href$="11-references.html"]');
    return link ? link.href.split("#")[0] : null;
  }

  /* A source line with each work it names linked to that work's entry on the References `page`. */
  function linkedSource(text, links, page) {
    var parts = [];
    var at = 0;
    links.forEach(function (pair) {
      var found = text.indexOf(pair[0], at);
      if (found < 0) return;
      if (found > at) parts.push(text.slice(at, found));
      parts.push(el("a", { href: page + "#" + pair[1], text: pair[0] }));
      at = found + pair[0].length;
    });
    if (at < text.length) parts.push(text.slice(at));
    return parts;
  }

  function valueBlock(item, sources, heading) {
    var meta = [item.year ? String(item.year) : null, item.quality_label].filter(Boolean).join(" · ");
    return el("div", { className: "cb-value" }, [
      heading ? el("span", { className: "cb-ref-label", text: heading }) : null,
      el("span", { className: "cb-value-text" }, [item.text, " ", sources.mark(item)]),
      el("span", { className: "cb-value-meta" }, [scopeBadge(item), meta ? " " + meta : null]),
      item.caveat ? el("span", { className: "cb-value-caveat", text: T.note + item.caveat }) : null
    ]);
  }

  function rowScopes(r) {
    var scopes = {};
    Object.keys(r.cells).forEach(function (id) { r.cells[id].forEach(function (f) { scopes[f.scope_label] = true; }); });
    r.refs.forEach(function (ref) { scopes[ref.scope_label] = true; });
    return Object.keys(scopes).sort();
  }

  function compareRow(r, chosen, reference, sources) {
    var scopes = rowScopes(r);
    var mixed = scopes.length > 1;
    var info = data.indicators[r.indicator];
    var head = el("th", { scope: "row" }, [
      el("span", { className: "cb-indicator", text: r.label }),
      info && info.unit && info.unit !== "count" ? el("span", { className: "cb-unit", text: T.unit + info.unit }) : null,
      mixed ? el("span", { className: "cb-mixed-note", text: T.unlike(scopes) }) : null
    ]);
    var cells = chosen.map(function (c) {
      var figures = r.cells[c.id] || [];
      return el("td", {}, figures.length ? figures.map(function (f) { return valueBlock(f, sources); }) : [el("span", { className: "cb-muted", text: T.noFigure })]);
    });
    if (reference) {
      cells.push(el("td", { className: "cb-ref-cell" }, r.refs.length ? r.refs.map(function (ref) { return valueBlock(ref, sources, ref.label); })
        : [el("span", { className: "cb-muted", text: T.noReference })]));
    }
    var labels = [""].concat(chosen.map(function (c) { return c.name; }), reference ? [T.world] : []);
    return labelled(el("tr", { className: mixed ? "cb-mixed" : null, "data-indicator": r.key }, [head].concat(cells)), labels);
  }

  /* The comparison table, a line on how many indicators the columns share, and the numbered sources. */
  function comparison(sel, clusters, hrefs) {
    var chosen = sel.ids.map(function (id) { return clusters[id]; });
    var sources = new SourceList();
    var heads = [el("th", { scope: "col", text: T.indicator })].concat(chosen.map(function (c) {
      return el("th", { scope: "col", "data-cluster": c.id }, [clusterName(c, hrefs), el("span", { className: "cb-kind", text: c.kind_label })]);
    }));
    if (sel.reference) heads.push(el("th", { scope: "col", className: "cb-ref-cell", text: T.world }));
    var rows = compareRows(chosen, sel.reference);
    var body = rows.length ? rows.map(function (r) { return compareRow(r, chosen, sel.reference, sources); })
      : [el("tr", {}, [el("td", { colspan: String(heads.length), text: T.noFigures })])];
    var names = chosen.map(function (c) { return c.name; }).concat(sel.reference ? [T.worldInList] : []);
    var table = el("table", { className: "cb-compare-table table" }, [
      el("caption", { className: "visually-hidden", text: T.compareCaption(names) }),
      el("thead", {}, [el("tr", {}, heads)]),
      el("tbody", {}, body)
    ]);
    var shared = rows.filter(function (r) { return filled(r) > 1; }).length;
    var mixed = rows.filter(function (r) { return rowScopes(r).length > 1; }).length;
    var summary = T.summary(rows.length, shared, mixed);
    return [el("p", { className: "cb-status", text: summary }), scrollBox(T.compareScroll, table),
      el("p", { className: "cb-sources-title", text: T.sources }), sources.list()];
  }

  function picker(sel, clusters, onChange) {
    var select = el("select", { id: "cb-compare-add" }, [el("option", { value: "", text: T.choose })].concat(
      data.kinds.map(function (k) {
        var members = data.clusters.filter(function (c) { return c.kind === k.id && c.figures.length && sel.ids.indexOf(c.id) < 0; });
        return members.length ? el("optgroup", { label: k.label }, members.map(function (c) {
          return el("option", { value: c.id, text: c.name + " (" + T.figures(c.figures.length) + ")" });
        })) : null;
      })));
    var full = sel.ids.length >= data.max_compared;
    var add = el("button", { type: "button", className: "cb-add", text: T.add, disabled: full });
    select.disabled = full;
    add.addEventListener("click", function () {
      if (select.value && sel.ids.length < data.max_compared) { sel.ids.push(select.value); onChange("cb-compare-add"); }
    });
    var box = el("input", { type: "checkbox", id: "cb-compare-ref", checked: sel.reference });
    box.addEventListener("change", function () { sel.reference = box.checked; onChange("cb-compare-ref"); });
    return el("div", { className: "cb-picker" }, [
      el("div", { className: "cb-field" }, [el("label", { "for": "cb-compare-add", text: full ? T.full : T.addCluster }),
        el("div", { className: "cb-inline" }, [select, add])]),
      el("div", { className: "cb-check" }, [box, el("label", { "for": "cb-compare-ref", text: T.showWorld })])
    ]);
  }

  function chips(sel, clusters, hrefs, onChange) {
    return el("ul", { className: "cb-chips", "aria-label": T.chosen }, sel.ids.map(function (id, i) {
      var remove = el("button", { type: "button", className: "cb-remove", "aria-label": T.remove(clusters[id].name), text: "×" });
      remove.addEventListener("click", function () { sel.ids.splice(i, 1); onChange("cb-compare-add"); });
      return el("li", {}, [clusterName(clusters[id], hrefs), remove]);
    }));
  }

  function indicatorsOf(c) {
    var out = {};
    c.figures.forEach(function (f) { out[f.indicator + "|" + (f.breakdown || "")] = true; });
    return out;
  }

  /* A first comparison to start from: the pilot and the foreign cluster that share the most indicators. */
  function suggestion(sel, onChange) {
    var best = null;
    data.clusters.forEach(function (a) {
      if (a.kind !== "pilot" || !a.figures.length) return;
      var mine = indicatorsOf(a);
      data.clusters.forEach(function (b) {
        if (b.kind !== "foreign" || !b.figures.length) return;
        var shared = Object.keys(indicatorsOf(b)).filter(function (k) { return mine[k]; }).length;
        var score = [shared, a.figures.length + b.figures.length];
        if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1])) best = { a: a, b: b, score: score };
      });
    });
    if (!best) return null;
    var a = best.a, b = best.b;
    var button = el("button", { type: "button", className: "cb-button cb-suggest", text: T.tryPair(a.name, b.name) });
    button.addEventListener("click", function () { sel.ids = [a.id, b.id]; onChange("cb-compare-add"); });
    return button;
  }

  function notices(sel) {
    var out = [];
    if (sel.unknown.length) out.push(T.unknown(sel.unknown));
    if (sel.dropped.length) out.push(T.dropped(data.max_compared, sel.dropped));
    return out.length ? el("p", { className: "cb-notice", role: "note", text: out.join(" ") }) : null;
  }

  function initCompare(box, hrefs) {
    var clusters = byId();
    var sel = readSelection(clusters);
    var warn = notices(sel);
    function render(focusId) {
      if (focusId) warn = null; /* the reader has changed the choice: the address's problems are gone */
      box.textContent = "";
      if (warn) box.appendChild(warn);
      box.appendChild(picker(sel, clusters, render));
      box.appendChild(chips(sel, clusters, hrefs, render));
      var columns = sel.ids.length + (sel.reference ? 1 : 0);
      if (columns < 2) {
        box.appendChild(el("p", { className: "cb-status", role: "status", text: sel.ids.length
          ? T.addAnother : T.chooseTwo }));
        if (!sel.ids.length) box.appendChild(suggestion(sel, render));
      }
      if (sel.ids.length) comparison(sel, clusters, hrefs).forEach(function (node) { box.appendChild(node); });
      writeSelection(sel);
      var target = focusId && document.getElementById(focusId);
      if (target && !target.disabled) target.focus();
    }
    render(null);
  }

  /* ================================================================ start */

  ready(function () {
    var directory = document.getElementById("cb-directory");
    var compare = document.getElementById("cb-compare");
    if (!directory && !compare) return;
    if (!data) {
      (directory || compare).appendChild(el("p", { className: "cb-notice", text: T.noData }));
      return;
    }
    hydrate(data, window.CB_FIGURES);
    var hrefs = profileLinks();
    var list = document.getElementById(directory ? "cb-directory-list" : "cb-compare-list");
    if (directory) initDirectory(directory, hrefs);
    if (compare) initCompare(compare, hrefs);
    if (list) list.hidden = true;
    document.documentElement.classList.add("cb-tool-ready");
  });
})();
