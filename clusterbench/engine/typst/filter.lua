--[[
Pandoc Lua filter for the PDF writer (clusterbench/engine/typst): Pandoc Markdown -> Typst body.

* (pdf.py reads the Markdown without raw HTML, so "<script>" from data is literal text;
  it removes HTML comments before pandoc.)
* Numbers are not counted here. `clusterbench.engine.crossref` numbered the sections,
  figures and tables and left each number in the element's `number` attribute; this filter
  hands it to Typst as a `numbering` that returns it ("2.1"). Elements without one stay
  unnumbered (book.typ sets `figure(numbering: none)`).
* Quarto-style figure divs (::: {#fig-x} image + caption paragraph) become real figures;
  table divs (::: {#tbl-x}) pass their id (and a trailing caption paragraph) to the table; a
  paragraph above the table stays above it.
* Callout divs (.callout-note/-tip/-important/-warning/-caution) become #callout(...)
  calls defined in book.typ, with the title from title="..." or the first heading.
* Relative image paths are resolved against the `cb-base` metadata value, if given.
]]

local stringify = pandoc.utils.stringify
local base = nil

local function typst_inlines(inlines)
  local doc = pandoc.Pandoc({ pandoc.Plain(inlines) })
  local out = pandoc.write(doc, "typst", { wrap_text = "none" })
  return (out:gsub("%s+$", ""))
end

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n") .. '"'
end

-- An element with the number crossref gave it (its `number` attribute): a scope whose figures show
-- that number. nil for an element without one.
local function numbered(block)
  local number = block.attributes["number"]
  if not number then return nil end
  block.attributes["number"] = nil
  return {
    pandoc.RawBlock("typst", "#[#set figure(numbering: (..n) => " .. typst_string(number) .. ")"),
    block,
    pandoc.RawBlock("typst", "]"),
  }
end

local function starts(s, prefix) return s ~= nil and s:sub(1, #prefix) == prefix end

-- images ---------------------------------------------------------------------------

local function Image(el)
  local src = el.src
  if base and not src:match("^/") and not src:match("^%a[%w+.-]*:") then
    el.src = base .. "/" .. src
    return el
  end
  return nil
end

-- numeric columns ------------------------------------------------------------------
-- Like the HTML pages: a column without an explicit alignment whose body cells are all
-- numbers ("1,234", "12.5%", "-3", "30–50"; blanks, dashes and "n/a" do not count)
-- is right-aligned.

local NEUTRAL = { [""] = true, ["–"] = true, ["—"] = true, ["-"] = true, ["…"] = true,
  ["..."] = true, ["n/a"] = true }

local function cell_text(cell)
  local text = stringify(cell.contents):gsub("%s", "")
  return (text:gsub("\u{00A0}", ""):gsub("\u{202F}", ""):gsub("\u{2009}", ""))
end

local function numeric(text)
  text = text:gsub("^\u{2212}", ""):gsub("^[%-%+~<>]", ""):gsub("^\u{2248}", "")
  return text:match("^%d[%d,%.]*%%?$") ~= nil
      or text:match("^%d[%d,%.]*\u{2013}%d[%d,%.]*%%?$") ~= nil
end

local function align_numbers(tbl)
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      if #row.cells ~= #tbl.colspecs then return tbl end -- spans: leave it alone
    end
  end
  for col = 1, #tbl.colspecs do
    if tbl.colspecs[col][1] == "AlignDefault" then
      local numbers, other = 0, 0
      for _, body in ipairs(tbl.bodies) do
        for _, row in ipairs(body.body) do
          local cell = row.cells[col]
          local text = cell_text(cell)
          if cell.col_span == 1 and numeric(text) then
            numbers = numbers + 1
          elseif cell.col_span ~= 1 or not NEUTRAL[text] then
            other = other + 1
          end
        end
      end
      if numbers > 0 and other == 0 then tbl.colspecs[col][1] = "AlignRight" end
    end
  end
  return tbl
end

-- column widths ----------------------------------------------------------------
-- Pandoc sizes a long pipe table's columns by its dashes. Tables written from data
-- (the cluster profiles) have equal dashes, which squeezes a long locator into a sixth
-- of the page while a year gets as much room. Equal widths are shared out again the way
-- a browser lays out a table: every column gets its longest word, and what is left of
-- the line goes to the columns with longer text, in proportion to how much longer.
-- Tables whose dashes set other widths keep them, unless a column is narrower than a word.

local LINE = 100 -- characters of table text across the text width, cell padding included
local PAD = 3 -- a cell's padding, in characters

-- Width in average characters: capitals and digits run wider than the lower-case letters the
-- LINE estimate is based on ("ChemCologne" needs more room than "chemcologne").
local function len(text)
  local n = utf8.len(text) or #text
  local _, wide = text:gsub("[%u%d]", "")
  -- Cyrillic letters run about a sixth wider than Latin ones in the PDF's serif; capitals more
  local cyrillic = 0
  for _, code in utf8.codes(text) do
    if code >= 0x410 and code <= 0x42F then cyrillic = cyrillic + 0.5
    elseif code >= 0x430 and code <= 0x44F or code == 0x451 then cyrillic = cyrillic + 0.15 end
  end
  return n + 0.35 * wide + cyrillic
end

local function content_widths(tbl)
  local n = #tbl.colspecs
  local first = tbl.colspecs[1] and tbl.colspecs[1][2]
  if n < 2 or type(first) ~= "number" then return tbl end
  local equal = true
  for i = 2, n do
    if type(tbl.colspecs[i][2]) ~= "number" then return tbl end
    if math.abs(tbl.colspecs[i][2] - first) > 1e-6 then equal = false end
  end
  local least, most = {}, {}
  for i = 1, n do least[i], most[i] = 1, 1 end
  local function measure(rows)
    for _, row in ipairs(rows) do
      if #row.cells ~= n then return false end
      for i, cell in ipairs(row.cells) do
        local text = stringify(cell.contents)
        most[i] = math.max(most[i], len(text))
        for word in text:gmatch("%S+") do least[i] = math.max(least[i], len(word)) end
      end
    end
    return true
  end
  if not measure(tbl.head.rows) then return tbl end
  for _, body in ipairs(tbl.bodies) do
    if not measure(body.body) then return tbl end
  end
  local widths, sum_least, sum_most = {}, 0, 0
  local squeezed = false -- a column narrower than its longest word ("Switzerland" running into the next)
  local total = 0 -- the table's width, as a share of the line, which the new widths share out again
  for i = 1, n do total = total + tbl.colspecs[i][2] end
  for i = 1, n do
    least[i], most[i] = least[i] + PAD, most[i] + PAD
    sum_least, sum_most = sum_least + least[i], sum_most + most[i]
    if tbl.colspecs[i][2] * LINE < least[i] then squeezed = true end
  end
  -- Widths the author set by the dashes stand, unless they cut a word.
  if not equal and not squeezed then return tbl end
  for i = 1, n do
    if sum_most <= LINE then
      widths[i] = most[i] / sum_most
    elseif sum_least >= LINE then
      widths[i] = least[i] / sum_least
    else
      widths[i] = (least[i] + (LINE - sum_least) * (most[i] - least[i]) / (sum_most - sum_least)) / LINE
    end
    tbl.colspecs[i] = { tbl.colspecs[i][1], total * widths[i] }
  end
  return tbl
end

-- figures and tables ------------------------------------------------------------

local function Figure(el)
  return numbered(el)
end

local function Table(el)
  el = content_widths(align_numbers(el))
  return numbered(el) or el
end

-- A paragraph that is only a bold lead-in ("**Evidence.**") introduces what follows: keep them together.
local function Para(el)
  if #el.content == 1 and el.content[1].t == "Strong" then
    return pandoc.Plain({ pandoc.RawInline("typst", "#block(sticky: true)["), el.content[1], pandoc.RawInline("typst", "]") })
  end
  return nil
end

-- A numbered section: Typst's heading, told its number.
local function Header(h)
  local number = h.attributes["number"]
  if not number then return nil end
  local label = h.identifier ~= "" and (" #label(" .. typst_string(h.identifier) .. ")") or ""
  return pandoc.RawBlock("typst", "#heading(level: " .. h.level .. ", numbering: (..n) => "
    .. typst_string(number) .. ")[" .. typst_inlines(h.content) .. "]" .. label)
end

local function only_image(block)
  if (block.t == "Para" or block.t == "Plain") and #block.content == 1
      and block.content[1].t == "Image" then
    return block.content[1]
  end
  return nil
end

local function figure_div(div)
  local image, caption, raw = nil, nil, nil
  local notes = {}  -- paragraphs before the caption (a chart's source line) stay under the chart
  for _, b in ipairs(div.content) do
    local img = only_image(b)
    if b.t == "RawBlock" and b.format == "typst" and not image and not raw then
      -- a chart drawn by the chapter as Typst markup (an inline SVG image)
      raw = b
    elseif img and not image then
      image = img
    elseif b.t == "Figure" and not image then
      -- an implicit figure inside the div: take its image and caption
      local inner = b.content[1] and only_image(b.content[1])
      if inner then
        image = inner
        if #b.caption.long > 0 then caption = b.caption.long end
      end
    elseif b.t == "Para" or b.t == "Plain" then
      if caption then table.insert(notes, pandoc.Para(caption[1].content)) end
      caption = { pandoc.Plain(b.content) }
    end
  end
  local attr = pandoc.Attr(div.identifier, {}, { number = div.attributes["number"] })
  if raw then
    local body = { raw }
    if #notes > 0 then -- set like body text, not centred like the chart
      table.insert(body, pandoc.RawBlock("typst", "#block(width: 100%, above: 0.9em)[#set align(left)\n#set par(justify: false)"))
      for _, note in ipairs(notes) do table.insert(body, note) end
      table.insert(body, pandoc.RawBlock("typst", "]"))
    end
    return pandoc.Figure(body, caption or {}, attr)
  end
  if not image then return nil end
  if not caption then
    caption = { pandoc.Plain(image.caption) }
  end
  image.caption = {}
  return pandoc.Figure({ pandoc.Plain({ image }) }, caption, attr)
end

local function table_div(div)
  local tbl, caption, before = nil, nil, {}
  for _, b in ipairs(div.content) do
    if b.t == "Table" and not tbl then
      tbl = b
    elseif (b.t == "Para" or b.t == "Plain") and not tbl then
      table.insert(before, b) -- text above the table (a cut table's note) stays, above it
    elseif b.t == "Para" or b.t == "Plain" then
      caption = { pandoc.Plain(b.content) }
    else
      return nil
    end
  end
  if not tbl then return nil end
  tbl.identifier = div.identifier
  tbl.attributes["number"] = div.attributes["number"]
  if #tbl.caption.long == 0 and caption then tbl.caption.long = caption end
  table.insert(before, tbl)
  return before
end

-- callouts ------------------------------------------------------------------------

local CALLOUT_TITLES = {
  note = "Note", tip = "Tip", important = "Important", warning = "Warning", caution = "Caution",
}

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind then return kind end
  end
  return nil
end

local function callout(div, kind)
  local content = pandoc.List(div.content)
  local title = nil
  if div.attributes["title"] then
    local blocks = pandoc.read(div.attributes["title"], "markdown-raw_html-raw_tex-citations").blocks
    local first = blocks[1]
    if first and (first.t == "Para" or first.t == "Plain" or first.t == "Header") and #blocks == 1 then
      title = first.content
    else
      title = pandoc.Inlines({ pandoc.Str(div.attributes["title"]) })
    end
  elseif content[1] and content[1].t == "Header" then
    title = content[1].content
    content:remove(1)
  else
    title = pandoc.Inlines(CALLOUT_TITLES[kind] or (kind:sub(1, 1):upper() .. kind:sub(2)))
  end
  local open = "#callout(kind: " .. typst_string(kind) .. ", title: [" .. typst_inlines(title) .. "])["
  local out = { pandoc.RawBlock("typst", open) }
  for _, b in ipairs(content) do out[#out + 1] = b end
  out[#out + 1] = pandoc.RawBlock("typst", "]")
  if div.identifier ~= "" then
    -- keep the id as a link target
    out[#out] = pandoc.RawBlock("typst", "] #label(" .. typst_string(div.identifier) .. ")")
  end
  return out
end

local function Div(div)
  local kind = callout_kind(div)
  if kind then return callout(div, kind) end
  if starts(div.identifier, "fig-") then return figure_div(div) end
  if starts(div.identifier, "tbl-") then return table_div(div) end
  return nil
end

local function Meta(meta)
  if meta["cb-base"] then base = stringify(meta["cb-base"]):gsub("/+$", "") end
  return nil
end

return {
  { Meta = Meta },
  { Image = Image },
  -- Divs first (they turn into Figures and labelled Tables), then the numbers.
  { Div = Div },
  { Figure = Figure, Table = Table, Header = Header, Para = Para },
}
