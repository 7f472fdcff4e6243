--[[
course: this course's page widgets, built on the pycells extension's public API.

- `::: {.digit-pad predict="classify_drawing"}` becomes a drawing pad whose Classify button
  calls that Python function through `PyCells.call` (it carries the class `pycells-client`,
  which asks pycells for the engine);
- each chapter (chapters/NAME.qmd) links to its notebook, `notebooks/NAME.ipynb`.

Settings under `course:` in _quarto.yml (paths from the site root, as for pycells):
`notebooks` (where tools/chapter_notebooks.py writes the notebooks).
Runs before pycells (`filters: [course, pycells]`), under Quarto and plain pandoc alike.
--]]

local VERSION = "0.1.0"
local SETTINGS = { notebooks = true }

local source_name = nil  -- `page-source` metadata (tools/render_site.py)

local function source_file()
  if source_name then return source_name end
  if quarto and quarto.doc and quarto.doc.input_file then return quarto.doc.input_file end
  local files = PANDOC_STATE and PANDOC_STATE.input_files or {}
  return files[1] or "<stdin>"
end

local function fail(message)
  io.stderr:write(("course: %s: %s\n"):format(source_file(), message))
  os.exit(1)
end

local function page_offset(meta)
  if quarto and quarto.project and quarto.project.offset then return quarto.project.offset end
  local given = meta["page-offset"]
  return given and pandoc.utils.stringify(given) or "."
end

-- A path from the site root ("/notebooks") as a URL relative to this page.
local function page_url(setting, value, offset)
  if not value:match("^/") then
    fail(("_quarto.yml: course: %s: '%s' must start at the site root with '/' (write '/%s')"):format(setting, value, value))
  end
  return (offset == "." or offset == "") and value:sub(2) or offset .. value
end

local function read_settings(meta)
  local settings = {}
  for key, value in pairs(meta.course or {}) do
    if not SETTINGS[key] then fail(("_quarto.yml: course: unknown option '%s'"):format(key)) end
    settings[key] = page_url(key, pandoc.utils.stringify(value), page_offset(meta))
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
  local stem = source_file():gsub("\\", "/"):match("chapters/([^/]+)%.qmd$")
  if not folder or not stem then return nil end
  local text = pandoc.Inlines("Download this chapter as a Jupyter notebook")
  return pandoc.Div({ pandoc.Para({ pandoc.Link(text, folder .. "/" .. stem .. ".ipynb", "", pandoc.Attr("", {}, { download = "" })) }) },
    pandoc.Attr("", { "course-notebook" }))
end

local function add_dependencies(meta, offset)
  if quarto and quarto.doc and quarto.doc.add_html_dependency then
    quarto.doc.add_html_dependency({ name = "course", version = VERSION, scripts = { "course.js" }, stylesheets = { "course.css" } })
    return meta
  end
  local base = (offset == "." and "" or offset .. "/") .. "site_libs/course/"
  local includes = meta["header-includes"] or pandoc.List()
  if pandoc.utils.type(includes) ~= "List" then includes = pandoc.List({ includes }) end
  includes:insert(pandoc.RawBlock("html", ('<link rel="stylesheet" href="%scourse.css">'):format(base)))
  includes:insert(pandoc.RawBlock("html", ('<script defer src="%scourse.js"></script>'):format(base)))
  meta["header-includes"] = includes
  return meta
end

function Pandoc(doc)
  local given = doc.meta["page-source"]
  source_name = given and pandoc.utils.stringify(given) or nil
  local settings = read_settings(doc.meta)
  local pads, has_cells = 0, false
  local walked = doc:walk({
    Div = function(div)
      if not div.classes:includes("digit-pad") then return nil end
      pads = pads + 1
      return digit_pad(div, pads)
    end,
    CodeBlock = function(block)
      has_cells = has_cells or block.classes:includes("pyodide") or block.classes:includes("{pyodide}")
    end,
  })
  if not has_cells and pads == 0 then return nil end
  local link = has_cells and notebook_link(settings.notebooks) or nil
  if link then walked.blocks:insert(1, link) end
  walked.meta = add_dependencies(walked.meta, page_offset(doc.meta))
  return walked
end
