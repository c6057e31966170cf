--[[
Many pandoc conversions in one pandoc process (`pandoc lua batch.lua`), for
clusterbench.engine.pandoc.convert_many.

A pandoc process costs about 0.1 s before it converts anything (it reserves a
64 MB heap at start), and a build converts each page three or four times, so
one process per conversion spends more time starting than converting.

Standard input is JSON: {"abbreviations": [...], "jobs": [job, ...]}, where a
job is {"text", "from", "to", "filters": [paths], "meta": {key: string},
"options": {writer options}}. The abbreviations are pandoc's default list,
which the command line's Markdown reader uses (so "et al. (2013)" keeps its
no-break space). Each job is converted as `pandoc --from <from> --to <to>
--metadata key:value --lua-filter <path> ...` would: metadata first, then the
filters in order, then the writer. Standard output is a JSON list with one
{"ok": text} or {"error": message} per job, in order.
]]

local request = pandoc.json.decode(io.read("a"), false)
-- pandoc takes a set of abbreviations as a table keyed by them
local abbreviations = {}
for _, abbreviation in ipairs(request.abbreviations) do
  abbreviations[abbreviation] = true
end
local reader_options = { abbreviations = abbreviations, columns = request.columns }

local function convert(job)
  local doc = pandoc.read(job.text, job.from, reader_options)
  for key, value in pairs(job.meta or {}) do
    doc.meta[key] = value
  end
  for _, path in ipairs(job.filters or {}) do
    doc = pandoc.utils.run_lua_filter(doc, path)
  end
  return pandoc.write(doc, job.to, job.options or {})
end

local results = {}
for i, job in ipairs(request.jobs) do
  local ok, out = pcall(convert, job)
  results[i] = ok and { ok = out } or { error = tostring(out) }
end
io.write(pandoc.json.encode(results))
