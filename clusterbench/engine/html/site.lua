--[[
Pandoc Lua filter used by clusterbench.engine.html for the HTML pages of the book.

It runs on one chapter's Pandoc Markdown and:

1. drops the chapter's own level-1 heading when it opens the document (the
   page template prints the title with the chapter number);
2. turns Quarto callouts (`::: {.callout-note}` and tip, important, warning,
   caution) into a box with a bold title, taken from a `title="..."` attribute,
   a leading heading, or the callout type; any other `callout-*` class is an
   error, so nothing is silently dropped;
3. prints the numbers `clusterbench.engine.crossref` gave sections, figures and
   tables (their `number` attribute): a heading gets "2.1" before its text, a
   figure div (`#fig-...`) becomes a <figure> whose caption starts "Figure 2.1:",
   a table's caption starts "Table 2.1:". Nothing is counted here;
4. wraps every table in a horizontally scrollable box and right-aligns the
   columns whose body cells are all numbers (unless the column already has an
   alignment).
]]

local CALLOUT_TITLES = {
  note = "Note",
  tip = "Tip",
  important = "Important",
  warning = "Warning",
  caution = "Caution",
}

local function callout_type(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(.+)$")
    if kind then
      if not CALLOUT_TITLES[kind] then
        error("unsupported callout type '" .. class .. "' (use callout-note, callout-tip, "
          .. "callout-important, callout-warning or callout-caution)")
      end
      return kind
    end
  end
  return nil
end

local function callout(div)
  local kind = callout_type(div)
  if not kind then
    return nil
  end
  local title = nil
  local identifier = div.identifier
  local body = div.content
  local attr_title = div.attributes["title"]
  if attr_title and attr_title ~= "" then
    local parsed = pandoc.read(attr_title, "markdown").blocks
    if #parsed > 0 and parsed[1].content then
      title = parsed[1].content
    else
      title = pandoc.Inlines(attr_title)
    end
  elseif #body > 0 and body[1].t == "Header" then
    title = body[1].content
    if identifier == "" then
      identifier = body[1].identifier -- links to the heading still land on the callout
    end
    body = pandoc.Blocks({ table.unpack(body, 2) })
  else
    title = pandoc.Inlines(CALLOUT_TITLES[kind])
  end
  local classes = { "callout", "callout-" .. kind }
  for _, class in ipairs(div.classes) do
    if class ~= "callout-" .. kind and class ~= "callout" then
      table.insert(classes, class)
    end
  end
  local head = pandoc.Div({ pandoc.Para(title) }, pandoc.Attr("", { "callout-title" }))
  local inner = pandoc.Div(body, pandoc.Attr("", { "callout-body" }))
  return pandoc.Div({ head, inner }, pandoc.Attr(identifier, classes))
end

-- Shows a section's number (set by crossref) before its text.
local function numbered_header(h)
  local number = h.attributes["number"]
  if not number then
    return nil
  end
  local label = pandoc.Span({ pandoc.Str(number) }, pandoc.Attr("", { "header-section-number" }))
  local content = pandoc.Inlines({ label, pandoc.Space() })
  content:extend(h.content)
  h.content = content
  return h
end

local function caption_prefix(kind, number)
  return pandoc.Span({ pandoc.Str(kind .. " " .. number .. ":") }, pandoc.Attr("", { "cb-figure-number" }))
end

-- A figure div (chart raw blocks or images, then a caption paragraph) as <figure>.
local function figure(div)
  local body, caption = {}, pandoc.Inlines({})
  for k, b in ipairs(div.content) do
    if (b.t == "Para" or b.t == "Plain") and k == #div.content then
      caption = b.content
    elseif (b.t == "Para" or b.t == "Plain") and #b.content == 1 and b.content[1].t == "Image" then
      local image = b.content[1]
      image.caption = pandoc.Inlines(div.attributes["fig-alt"] or pandoc.utils.stringify(div.content[#div.content]))
      table.insert(body, pandoc.Plain({ image }))
    else
      table.insert(body, b)
    end
  end
  local inlines = pandoc.Inlines({})
  if div.attributes["number"] then
    inlines:extend({ caption_prefix(div.attributes["caption-prefix"] or "Figure", div.attributes["number"]), pandoc.Space() })
  end
  inlines:extend(caption)
  local out = { pandoc.RawBlock("html", '<figure class="cb-figure" id="' .. div.identifier .. '">') }
  for _, b in ipairs(body) do
    table.insert(out, b)
  end
  table.insert(out, pandoc.RawBlock("html", "<figcaption>"))
  table.insert(out, pandoc.Plain(inlines))
  table.insert(out, pandoc.RawBlock("html", "</figcaption></figure>"))
  return out
end

-- A table div's caption starts with the table's number.
local function numbered_table(div)
  local number = div.attributes["number"]
  if not number then
    return nil
  end
  -- crossref names the kind in the page's language ("Таблица"); English is the default
  local kind = div.attributes["caption-prefix"] or "Table"
  div.attributes["number"] = nil
  div.attributes["caption-prefix"] = nil
  return div:walk({
    Table = function(tbl)
      local blocks = tbl.caption.long
      if #blocks > 0 and blocks[1].content then
        local content = pandoc.Inlines({ pandoc.Str(kind .. " " .. number .. ":"), pandoc.Space() })
        content:extend(blocks[1].content)
        blocks[1].content = content
      end
      return tbl
    end,
  })
end

local function numbered_div(div)
  if div.identifier:match("^fig%-") then
    return figure(div)
  elseif div.identifier:match("^tbl%-") then
    return numbered_table(div)
  end
  return nil
end

-- Plain text of a cell, with spaces, thin and no-break spaces removed.
local function cell_text(cell)
  local text = pandoc.utils.stringify(cell.contents)
  text = text:gsub("[%s]", "")
  text = text:gsub("\u{00A0}", ""):gsub("\u{202F}", ""):gsub("\u{2009}", "")
  return text
end

local NEUTRAL = { [""] = true, ["–"] = true, ["—"] = true, ["-"] = true, ["…"] = true, ["..."] = true, ["n/a"] = true }

local function is_number(text)
  text = text:gsub("^\u{2212}", ""):gsub("^[%-%+~<>]", ""):gsub("^\u{2248}", "")
  if text:match("^%d[%d,%.]*%%?$") then
    return true
  end
  -- ranges such as "30–50"
  if text:match("^%d[%d,%.]*\u{2013}%d[%d,%.]*%%?$") then
    return true
  end
  return false
end

local function align_numbers(tbl)
  local ncols = #tbl.colspecs
  for col = 1, ncols do
    if tbl.colspecs[col][1] == "AlignDefault" then
      local numeric = 0
      local other = 0
      for _, body in ipairs(tbl.bodies) do
        for _, row in ipairs(body.body) do
          local cell = row.cells[col]
          if cell and cell.col_span == 1 then
            local text = cell_text(cell)
            if is_number(text) then
              numeric = numeric + 1
            elseif not NEUTRAL[text] then
              other = other + 1
            end
          elseif cell then
            other = other + 1
          end
        end
      end
      if numeric > 0 and other == 0 then
        tbl.colspecs[col][1] = "AlignRight"
      end
    end
  end
  return tbl
end

-- Each body cell gets its column's header as `data-label`, so that on a phone a wide table
-- can show every row as a card of "header: value" lines (site.css) instead of a sideways scroll.
local function label_cells(tbl)
  local head = tbl.head.rows[#tbl.head.rows]
  if not head or #head.cells ~= #tbl.colspecs then
    return false
  end
  local labels = {}
  for col, cell in ipairs(head.cells) do
    labels[col] = pandoc.utils.stringify(cell.contents)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for col, cell in ipairs(row.cells) do
        cell.attributes["data-label"] = labels[col]
      end
    end
  end
  return true
end

-- Tables with this many columns or more become cards on a phone.
local STACK_COLUMNS = 4

local function table_wrap(tbl)
  -- Cells shift when a row has spans; only align and label simple tables.
  local simple = true
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      if #row.cells ~= #tbl.colspecs then
        simple = false
      end
    end
  end
  local classes = { "table-wrap" }
  if simple then
    tbl = align_numbers(tbl)
    if #tbl.colspecs >= STACK_COLUMNS and label_cells(tbl) then
      table.insert(classes, "table-stack")
    end
  end
  return pandoc.Div({ tbl }, pandoc.Attr("", classes))
end

function Pandoc(doc)
  local blocks = doc.blocks
  if #blocks > 0 and blocks[1].t == "Header" and blocks[1].level == 1 then
    blocks:remove(1)
  end
  blocks = blocks:walk({ Div = callout })
  blocks = blocks:walk({ Header = numbered_header, Div = numbered_div })
  blocks = blocks:walk({ Table = table_wrap })
  doc.blocks = blocks
  return doc
end
