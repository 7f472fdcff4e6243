--[[
course: this course's page widgets, built on the pycells extension's public API.

- `::: {.digit-pad predict="classify_drawing"}` becomes a drawing pad whose Classify button
  calls that Python function through `PyCells.call` (it carries the class `pycells-client`,
  which asks pycells for the engine);
- each chapter (chapters/NAME.qmd) links to its notebook, `notebooks/NAME.ipynb`;
- `::: {.build-section file="/build/NAME.md"}` becomes the Markdown in that file, which a
  pre-render step wrote (the attribution page's section on the Quarto that renders: Quarto
  resolves `{{< include >}}` before its pre-render runs, so an include cannot read such a file).

Settings under `course:` in _quarto.yml (paths from the site root, as for pycells):
`notebooks` (where tools/chapter_notebooks.py writes the notebooks).
Runs before pycells (`filters: [course, pycells]`), under Quarto and plain pandoc alike.
--]]

-- pycells' Lua modules, from the pycells extension beside this one.
local function beside_filter(name)
  local resolve = quarto and quarto.utils and quarto.utils.resolve_path
  return resolve and resolve(name) or pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), name })
end
package.path = beside_filter("../pycells/lua") .. "/?.lua;" .. package.path
local report = require("pycells_report")
local page = require("pycells_page")
local is_cell = require("pycells_plan").is_cell

local VERSION = "0.1.0"
local SETTINGS = { notebooks = true }

local function fail(message)
  report.stop("course", message)
end

local function read_settings(meta)
  local settings = {}
  for key, value in pairs(meta.course or {}) do
    if not SETTINGS[key] then fail(("_quarto.yml: course: unknown option '%s'"):format(key)) end
    local url, problem = page.page_url(pandoc.utils.stringify(value), page.site_offset(meta))
    if not url then fail(("_quarto.yml: course: %s: %s"):format(key, problem)) end
    settings[key] = url
  end
  return settings
end

local function digit_pad(div, count)
  local predict = div.attributes.predict
  if not predict or not predict:match("^[%a_][%w_]*$") then
    fail(("digit-pad %d: attribute 'predict' must name a Python function"):format(count))
  end
  local fallback = pandoc.Para({ pandoc.Emph({ pandoc.Str("Drawing pad: needs JavaScript.") }) })
  return pandoc.Div({ fallback }, pandoc.Attr("", { "digit-pad", "pycells-client" }, { ["data-predict"] = predict }))
end

local function notebook_link(folder)
  local stem = report.input_file_name():gsub("\\", "/"):match("chapters/([^/]+)%.qmd$")
  if not folder or not stem then return nil end
  local text = pandoc.Inlines("Download this chapter as a Jupyter notebook")
  return pandoc.Div({ pandoc.Para({ pandoc.Link(text, folder .. "/" .. stem .. ".ipynb", "", pandoc.Attr("", {}, { download = "" })) }) },
    pandoc.Attr("", { "course-notebook" }))
end

local function build_section(div, meta)
  local name = div.attributes.file
  if not name or not name:match("^/") then
    fail("build-section: attribute 'file' must be a path from the project folder, starting with /")
  end
  local handle = io.open(pandoc.path.join({ page.project_folder(meta), name:sub(2) }), "r")
  if not handle then
    fail(("build-section: %s does not exist: a pre-render step of the project writes it"):format(name))
  end
  local text = handle:read("a")
  handle:close()
  return pandoc.Div(pandoc.read(text, "markdown").blocks, pandoc.Attr(div.identifier, div.classes))
end

local DEPENDENCY = { name = "course", version = VERSION, scripts = { "course.js" }, stylesheets = { "course.css" } }

function Pandoc(doc)
  local given = doc.meta["page-source"]
  report.set_source(given and pandoc.utils.stringify(given) or nil)
  local settings = read_settings(doc.meta)
  local pads, has_cells = 0, false
  local walked = doc:walk({
    Div = function(div)
      if div.classes:includes("build-section") then return build_section(div, doc.meta) end
      if not div.classes:includes("digit-pad") then return nil end
      pads = pads + 1
      return digit_pad(div, pads)
    end,
    CodeBlock = function(block)
      has_cells = has_cells or is_cell(block)
    end,
  })
  if not has_cells and pads == 0 then return walked end
  local link = has_cells and notebook_link(settings.notebooks) or nil
  if link then walked.blocks:insert(1, link) end
  walked.meta = page.add_dependency(walked.meta, page.site_offset(doc.meta), DEPENDENCY)
  return walked
end
