--[[
pycells: turn ```{pyodide} cells into runnable Python cells.

Runs under `quarto render` (dependencies through quarto.doc.add_html_dependency)
and under plain pandoc 3 (tools/render_site.py passes the site's `pycells` map,
`page-offset` and `page-source` as metadata and copies the runtime files into
_site/site_libs/pycells/).

Settings: the site's live under `pycells:` in _quarto.yml (a key pages never set:
Quarto replaces a site map by a page's map of the same name, it does not merge
them); a page's own under `pyodide:` (`packages`, `cell-options`). Paths in the
site settings start at the site root with a "/", as Quarto's website links do;
the filter turns them into URLs relative to each page, so the site works at a
domain root and under a sub-path alike.

A page without cells gets the engine too when it holds an element of class `pycells-client`
(a widget that calls Python through `window.PyCells.call`, such as the course's digit pad).

Every cell becomes a Div.pycell holding a normal highlighted Python CodeBlock,
so the code reads fine without JavaScript; the page runtime (pycells.js) upgrades
it to an editor using the JSON config this filter appends to the document.

The filter's parts are Lua modules in lua/ beside this file: report (names and errors), options
(cell options), settings (site and page settings), plan (roles, run plan, exercises), outputs
(the build's outputs in the page). This file walks the document and writes the page config.
--]]

-- This filter's folder, under Quarto (which runs it from elsewhere) and under pandoc alike.
local function beside_filter(name)
  local resolve = quarto and quarto.utils and quarto.utils.resolve_path
  return resolve and resolve(name) or pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), name })
end
package.path = beside_filter("lua") .. "/?.lua;" .. package.path

local report = require("pycells_report")
local options = require("pycells_options")
local settings = require("pycells_settings")
local plan = require("pycells_plan")
local outputs = require("pycells_outputs")
local page = require("pycells_page")
local fail, cell_name = report.fail, report.cell_name

local VERSION = "0.1.0"

-- The Pyodide release the runtime is built and tested with: engine.json beside this filter, which
-- the build's tools read too. Without a site `engine-url`, pages load it from Pyodide's CDN.
local function default_engine_url()
  local path = beside_filter("engine.json")
  local file = assert(io.open(path, "r"), "pycells: cannot read " .. path)
  local release = pandoc.json.decode(file:read("a")).pyodide
  file:close()
  return ("https://cdn.jsdelivr.net/pyodide/v%s/full/"):format(release)
end
local DEFAULT_ENGINE_URL = default_engine_url()

local DEPENDENCY = {
  name = "pycells", version = VERSION,
  scripts = { "codemirror.bundle.js", "pycells.js" },
  stylesheets = { "pycells.css" },
  resources = {
    { name = "pycells-worker.mjs", path = "pycells-worker.mjs" },
    { name = "pycells-engine.mjs", path = "pycells-engine.mjs" },
    { name = "pycells_support.py", path = "pycells_support.py" },
    { name = "pycells_mpl_backend.py", path = "pycells_mpl_backend.py" },
  },
}

local function json_script(id, data)
  local text = pandoc.json.encode(data):gsub("</", "<\\/")
  return pandoc.RawBlock("html", ('<script type="application/json" id="%s">%s</script>'):format(id, text))
end

-- What a cell looks like before JavaScript runs.
local function cell_block(cell, shown)
  local opts = cell.options
  local classes = { "pycell" }
  local attributes = { ["data-pycell"] = tostring(cell.index) }
  local hidden = opts.include == false or opts.setup or opts.check or opts.solution or opts.hint
  if hidden then attributes.hidden = "hidden" end
  if opts.hint then
    classes[#classes + 1] = "pycell-hint"   -- prose, whose math MathJax typesets
  else
    -- mathjax_ignore (MathJax 3's name; tex2jax_ignore is MathJax 2's): MathJax must not look
    -- inside code, where it would rewrite the editor's text (a "\\" in the code) and the output.
    classes[#classes + 1] = "mathjax_ignore"
    classes[#classes + 1] = "tex2jax_ignore"
  end
  if opts.solution then classes[#classes + 1] = "pycell-solution" end
  local content = {}
  if shown then
    content = shown
  elseif opts.hint then
    content = pandoc.read(cell.code, "markdown").blocks
  elseif opts.echo ~= false then
    content = { pandoc.CodeBlock(cell.code, { class = "python" }) }
  end
  local id = "pycell-" .. (opts.label or tostring(cell.index))
  return pandoc.Div(content, pandoc.Attr(id, classes, attributes))
end


function Pandoc(doc)
  if doc.meta["pycells-done"] then return nil end   -- listed twice (by the project and by live-html)
  local given = doc.meta["page-source"]
  report.set_source(given and pandoc.utils.stringify(given) or nil)
  local config, offset = settings.read_config(doc.meta, DEFAULT_ENGINE_URL)
  local cells, clients = {}, 0
  local walked = doc:walk({
    traverse = "topdown",   -- cells are numbered in page order, divs before what they hold
    CodeBlock = function(block)
      if not plan.is_cell(block) then return nil end
      local index = #cells + 1
      if block.identifier ~= "" or #block.attributes > 0 or #block.classes > 1 then
        fail(cell_name(index), "write options as '#|' lines inside the cell, not as fence attributes")
      end
      local own, code, option_lines = options.split_options(block.text, index)
      local cell = { index = index, code = code, optionLines = option_lines,
                     options = options.merged_options(config.cellDefaults, own) }
      cells[index] = cell
      return cell_block(cell), false
    end,
    Div = function(div)
      if div.classes:includes("pycells-client") then clients = clients + 1 end
      local cell = plan.div_cell(div, #cells + 1, config.cellDefaults)
      if not cell then return nil end
      cells[cell.index] = cell
      return cell_block(cell, div.content), false
    end,
  })
  if #cells == 0 and clients == 0 then return nil end
  config.exercises = plan.plan_cells(cells)
  local records = outputs.read_build_outputs(config, doc.meta)
  if records then walked.blocks = outputs.add_build_outputs(walked.blocks, cells, records) end
  config.cells = pandoc.List()
  for _, cell in ipairs(cells) do
    config.cells:insert({ index = cell.index, name = cell_name(cell.index, cell.options.label),
                          file = report.cell_file(cell.index), code = cell.code, options = cell.options, role = cell.role,
                          run = cell.run, settings = options.run_settings(cell.options), optionLines = cell.optionLines,
                          fromDiv = cell.fromDiv or false, buildOutput = outputs.shows_build_output(cell),
                          prerendered = cell.prerendered or false })
  end
  config.cellDefaults = nil
  config.outputsFolder = nil
  walked.blocks:insert(json_script("pycells-config", config))
  walked.meta = page.add_dependency(walked.meta, offset, DEPENDENCY)
  walked.meta["pycells-done"] = true
  return walked
end
