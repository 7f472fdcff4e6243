local report = require("pycells_report")
local page = require("pycells_page")
local fail, input_file_name = report.fail, report.input_file_name

local M = {}

-- The build's outputs in the page.
-- A site may ship each cell's output in the page, so that it shows before the engine has run
-- (and with JavaScript off, and in print). Its build runs the cells and writes, per page, the
-- JSON file <outputs folder>/<page path>.json: {cells: {"<cell index>": {code_sha1, outputs:
-- [{kind: "stdout" | "stderr" | "result" | "error", text} | {kind: "figure", png}]}}}.
-- A record is used only for a cell the reader runs with its Run button ("code" role, not part of
-- an exercise) whose code is still the code the build ran.

local function read_build_outputs(config, meta)
  if not config.outputsFolder then return nil end
  local page_path = (input_file_name():gsub("%.%w+$", ""))
  local path = ("%s/%s/%s.json"):format(page.project_folder(meta), config.outputsFolder, page_path)
  local file = io.open(path, "r")
  if not file then
    report.note(("no outputs from the build at %s: the page shows no output until a cell runs "
      .. "(the project's pre-render writes them)"):format(path))
    return nil
  end
  local text = file:read("a")
  file:close()
  local ok, data = pcall(pandoc.json.decode, text, false)
  if not ok or type(data) ~= "table" or type(data.cells) ~= "table" then
    fail(path, "not a JSON file of cell outputs; delete it and render again")
  end
  return data.cells
end

local function shows_build_output(cell)
  return cell.role == "code" and cell.run == "button" and cell.options.output ~= false
end

local function escape_html(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

local OUTPUT_NOTE = '<p class="pycell-prerendered-note">Output computed when the course was built.</p>'

-- The cell's output as the build recorded it, as the page runtime shows a live one.
local function build_output_block(cell, record)
  local parts, figures = { OUTPUT_NOTE }, 0
  for _, output in ipairs(record.outputs or {}) do
    if output.kind == "figure" then
      figures = figures + 1
      local alt = cell.options["fig-alt"] or ("Figure " .. figures)
      local image = ('<img class="pycell-figure" src="data:image/png;base64,%s" alt="%s">')
        :format(output.png, (escape_html(alt):gsub('"', "&quot;")))
      local caption = cell.options["fig-cap"]
      if caption then
        image = ('<figure class="pycell-figure-box">%s<figcaption>%s</figcaption></figure>'):format(image, escape_html(caption))
      end
      parts[#parts + 1] = image
    else
      parts[#parts + 1] = ('<pre class="pycell-%s">%s</pre>'):format(output.kind, escape_html(output.text or ""))
    end
  end
  return pandoc.RawBlock("html", ('<div class="pycell-output pycell-prerendered" aria-label="Output">%s</div>')
    :format(table.concat(parts)))
end

-- Put the build's output into each cell that shows it (and mark those cells `prerendered`).
local function add_build_outputs(blocks, cells, records)
  local by_index = {}
  for _, cell in ipairs(cells) do
    local record = records[tostring(cell.index)]
    if shows_build_output(cell) and record and record.code_sha1 == pandoc.utils.sha1(cell.code) then
      by_index[tostring(cell.index)] = build_output_block(cell, record)
      cell.prerendered = true
    end
  end
  return blocks:walk({
    Div = function(div)
      local block = div.classes:includes("pycell") and by_index[div.attributes["data-pycell"]]
      if not block then return nil end
      div.content:insert(block)
      div.attributes["data-prerendered"] = "true"
      return div
    end,
  })
end

M.read_build_outputs, M.add_build_outputs, M.shows_build_output = read_build_outputs, add_build_outputs, shows_build_output
return M
