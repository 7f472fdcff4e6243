--[[
pycells: turn ```{pyodide} cells into runnable Python cells.

Runs under `quarto render` (dependencies through quarto.doc.add_html_dependency)
and under plain pandoc 3 (tools/render_site.py passes `pycells-offset` and
`pycells-site` metadata and copies the runtime files into _site/site_libs/pycells/).

Every cell becomes a Div.pycell holding a normal highlighted Python CodeBlock,
so the code reads fine without JavaScript; the page runtime (pycells.js) upgrades
it to an editor using the JSON config this filter appends to the document.
--]]

local VERSION = "0.1.0"

-- option name -> expected type; defaults follow the contract (quarto-live names)
local OPTION_TYPES = {
  label = "string", exercise = "string",
  eval = "boolean", autorun = "boolean", echo = "boolean", edit = "boolean",
  include = "boolean", output = "boolean", runbutton = "boolean",
  startover = "boolean", persist = "boolean", hint = "boolean",
  solution = "boolean", check = "boolean", setup = "boolean",
  timelimit = "number",
}

local DEFAULTS = {
  eval = true, autorun = false, echo = true, edit = true, include = true,
  output = true, runbutton = true, startover = true, persist = true,
  timelimit = 0, hint = false, solution = false, check = false, setup = false,
}

local source_name = nil  -- set from `pycells-source` metadata (render_site.py)

local function input_file_name()
  if source_name then return source_name end
  if quarto and quarto.doc and quarto.doc.input_file then
    return quarto.doc.input_file
  end
  local files = PANDOC_STATE and PANDOC_STATE.input_files or {}
  return files[1] or "<stdin>"
end

-- Raise a render error that names the file, the cell and the option.
local function fail(where, message)
  error(("pycells: %s: %s: %s"):format(input_file_name(), where, message), 0)
end

local function cell_name(index, label)
  if label then return ("cell %d (label '%s')"):format(index, label) end
  return ("cell %d"):format(index)
end

-- Parse one YAML scalar of the small subset cell options allow.
local function parse_scalar(text)
  local s = text:match("^%s*(.-)%s*$")
  if s == "true" or s == "yes" then return true end
  if s == "false" or s == "no" then return false end
  local quoted = s:match('^"(.*)"$') or s:match("^'(.*)'$")
  if quoted then return quoted end
  if s:match("^[-+]?%d+%.?%d*$") or s:match("^[-+]?%d*%.%d+$") then
    return tonumber(s)
  end
  if s == "" or s:match("^[%[{&*!|>%%@`]") then return nil, "unsupported value '" .. s .. "'" end
  return s
end

local function check_type(where, name, value)
  local expected = OPTION_TYPES[name]
  if expected == nil then
    fail(where, ("unknown option '%s'"):format(name))
  end
  if expected == "string" and type(value) == "number" then value = tostring(value) end
  if type(value) ~= expected then
    fail(where, ("option '%s' must be a %s, got %s"):format(name, expected, tostring(value)))
  end
  if name == "timelimit" and value < 0 then
    fail(where, "option 'timelimit' must be >= 0")
  end
  return value
end

-- Split the leading `#|` lines off a cell; returns options table and the code.
local function split_options(text, index)
  local options, code_lines, in_header = {}, {}, true
  local line_no = 0
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    line_no = line_no + 1
    local option = in_header and line:match("^#|%s?(.*)$")
    if option then
      if not option:match("^%s*$") then
        local key, raw = option:match("^%s*([%w_%-]+)%s*:%s*(.-)%s*$")
        local where = cell_name(index, options.label)
        if not key then
          fail(where, ("malformed option line %d: '#| %s' (expected 'name: value')"):format(line_no, option))
        end
        local value, problem = parse_scalar(raw)
        if value == nil then
          fail(where, ("option '%s': %s"):format(key, problem))
        end
        options[key] = check_type(where, key, value)
      end
    else
      in_header = false
      code_lines[#code_lines + 1] = line
    end
  end
  while #code_lines > 0 and code_lines[#code_lines] == "" do
    table.remove(code_lines)
  end
  return options, table.concat(code_lines, "\n")
end

-- Convert a pandoc meta value into plain Lua data (strings, booleans, lists, maps).
local function meta_to_lua(value)
  local kind = pandoc.utils.type(value)
  if kind == "boolean" or kind == "number" or kind == "string" then return value end
  if kind == "Inlines" or kind == "Blocks" then return pandoc.utils.stringify(value) end
  if kind == "List" then
    local list = {}
    for i, item in ipairs(value) do list[i] = meta_to_lua(item) end
    return list
  end
  if type(value) == "table" then
    local map = {}
    for k, item in pairs(value) do map[k] = meta_to_lua(item) end
    return map
  end
  return value
end

local function as_list(value)
  if value == nil then return {} end
  if type(value) ~= "table" then return { value } end
  return value
end

local function append_unique(target, items)
  for _, item in ipairs(items) do
    local seen = false
    for _, have in ipairs(target) do seen = seen or have == item end
    if not seen then target[#target + 1] = item end
  end
end

local function site_offset(meta)
  if quarto and quarto.project then
    local offset = quarto.project.offset
    if type(offset) == "function" then offset = offset() end
    if offset then return offset end
  end
  local given = meta["pycells-offset"]
  return given and pandoc.utils.stringify(given) or "."
end

-- A URL relative to the site root, rewritten relative to this page.
local function from_site_root(url, offset)
  if url:match("^%a[%w+.-]*:") or url:match("^/") then return url end
  if offset == "." or offset == "" then return url end
  return offset .. "/" .. url
end

local DOC_KEYS = { packages = true, ["cell-options"] = true }
local SITE_KEYS = { ["engine-url"] = true, wheels = true, packages = true, notebooks = true,
                    ["mathjax-fallback"] = true }

-- Read site-level (`pycells-site` under pandoc, merged `pyodide` under Quarto)
-- and document-level `pyodide` settings into one config table.
local function read_config(meta)
  local page = meta_to_lua(meta.pyodide or {}) or {}
  local site = meta["pycells-site"] and meta_to_lua(meta["pycells-site"]) or page
  for _, key in ipairs({ "engine-url", "wheels" }) do
    if page[key] ~= nil then site[key] = page[key] end  -- a page may override the site
  end
  for key in pairs(page) do
    if not (DOC_KEYS[key] or SITE_KEYS[key]) then
      fail("front matter", ("unknown pyodide option '%s'"):format(key))
    end
  end
  local offset = site_offset(meta)
  local config = {
    engineUrl = from_site_root(site["engine-url"] or "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/", offset),
    packages = { "numpy" }, wheels = {}, cellDefaults = {},
    notebooks = site.notebooks and from_site_root(site.notebooks, offset) or nil,
    mathjaxFallback = site["mathjax-fallback"] and from_site_root(site["mathjax-fallback"], offset) or nil,
  }
  if not config.engineUrl:match("/$") then config.engineUrl = config.engineUrl .. "/" end
  append_unique(config.packages, as_list(site.packages))
  append_unique(config.packages, as_list(page.packages))
  for _, wheel in ipairs(as_list(site.wheels)) do
    config.wheels[#config.wheels + 1] = from_site_root(wheel, offset)
  end
  for key, value in pairs(page["cell-options"] or {}) do
    if type(value) == "string" then value = parse_scalar(value) end
    config.cellDefaults[key] = check_type("front matter cell-options", key, value)
  end
  return config, offset
end

local function add_dependencies(meta, offset)
  if quarto and quarto.doc and quarto.doc.add_html_dependency then
    quarto.doc.add_html_dependency({
      name = "pycells", version = VERSION,
      scripts = { "codemirror.bundle.js", "pycells.js" },
      stylesheets = { "pycells.css" },
      resources = {
        { name = "pycells-worker.mjs", path = "pycells-worker.mjs" },
        { name = "pycells-engine.mjs", path = "pycells-engine.mjs" },
        { name = "pycells_support.py", path = "pycells_support.py" },
        { name = "pycells_mpl_backend.py", path = "pycells_mpl_backend.py" },
      },
    })
    return meta
  end
  local base = from_site_root("site_libs/pycells/", offset)
  local tags = {
    ('<link rel="stylesheet" href="%spycells.css">'):format(base),
    ('<script defer src="%scodemirror.bundle.js"></script>'):format(base),
    ('<script defer src="%spycells.js"></script>'):format(base),
  }
  local includes = meta["header-includes"]
  if includes == nil then
    includes = pandoc.List()
  elseif pandoc.utils.type(includes) ~= "List" then
    includes = pandoc.List({ includes })
  end
  for _, tag in ipairs(tags) do includes:insert(pandoc.RawBlock("html", tag)) end
  meta["header-includes"] = includes
  return meta
end

local function json_script(id, data)
  local text = pandoc.json.encode(data):gsub("</", "<\\/")
  return pandoc.RawBlock("html", ('<script type="application/json" id="%s">%s</script>'):format(id, text))
end

local function is_pyodide_cell(block)
  return block.classes:includes("pyodide") or block.classes:includes("{pyodide}")
end

-- What a cell looks like before JavaScript runs.
local function cell_block(cell)
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
  if opts.hint then
    content = pandoc.read(cell.code, "markdown").blocks
  elseif opts.echo ~= false then
    content = { pandoc.CodeBlock(cell.code, { class = "python" }) }
  end
  local id = "pycell-" .. (opts.label or tostring(cell.index))
  return pandoc.Div(content, pandoc.Attr(id, classes, attributes))
end

local function merged_options(defaults, own)
  local opts = {}
  for k, v in pairs(DEFAULTS) do opts[k] = v end
  for k, v in pairs(defaults) do opts[k] = v end
  for k, v in pairs(own) do opts[k] = v end
  return opts
end

local function validate_groups(cells)
  for _, cell in ipairs(cells) do
    local o = cell.options
    local roles = (o.hint and 1 or 0) + (o.solution and 1 or 0) + (o.check and 1 or 0)
    if roles > 1 then
      fail(cell_name(cell.index, o.label), "options 'hint', 'solution' and 'check' exclude each other")
    end
    if roles == 1 and not o.exercise then
      fail(cell_name(cell.index, o.label), "option 'hint'/'solution'/'check' needs option 'exercise'")
    end
  end
end

local function digit_pad(div, pads)
  if not div.classes:includes("digit-pad") then return nil end
  local predict = div.attributes.predict
  if not predict or not predict:match("^[%a_][%w_]*$") then
    fail("digit-pad " .. (#pads + 1), "attribute 'predict' must name a Python function")
  end
  pads[#pads + 1] = predict
  local fallback = pandoc.Para({ pandoc.Emph({ pandoc.Str("Drawing pad: needs JavaScript.") }) })
  return pandoc.Div({ fallback }, pandoc.Attr("", { "digit-pad", "pycells-pad" },
    { ["data-predict"] = predict, ["data-pad"] = tostring(#pads) }))
end

-- A link to a chapter's notebook (tools/chapter_notebooks.py writes one for each
-- chapters/*.qmd into the site's `notebooks` folder), for students who go on in Jupyter.
local function notebook_link(folder)
  local stem = input_file_name():gsub("\\", "/"):match("chapters/([^/]+)%.qmd$")
  if not folder or not stem then return nil end
  local href = folder .. "/" .. stem .. ".ipynb"
  local text = pandoc.Inlines("Download this chapter as a Jupyter notebook")
  return pandoc.Div({ pandoc.Para({ pandoc.Link(text, href, "", pandoc.Attr("", {}, { download = "" })) }) },
    pandoc.Attr("", { "pycells-notebook" }))
end

function Pandoc(doc)
  local given = doc.meta["pycells-source"]
  source_name = given and pandoc.utils.stringify(given) or nil
  local config, offset = read_config(doc.meta)
  local cells, pads = {}, {}
  local walked = doc:walk({
    CodeBlock = function(block)
      if not is_pyodide_cell(block) then return nil end
      local index = #cells + 1
      local own, code = split_options(block.text, index)
      local cell = { index = index, code = code, options = merged_options(config.cellDefaults, own) }
      cells[index] = cell
      return cell_block(cell)
    end,
    Div = function(div) return digit_pad(div, pads) end,
  })
  if #cells == 0 and #pads == 0 then return nil end
  validate_groups(cells)
  local link = #cells > 0 and notebook_link(config.notebooks) or nil
  if link then walked.blocks:insert(1, link) end
  config.notebooks = nil
  config.cells = {}
  for i, cell in ipairs(cells) do
    config.cells[i] = { index = cell.index, code = cell.code, options = cell.options }
  end
  config.cellDefaults = nil
  walked.blocks:insert(json_script("pycells-config", config))
  walked.meta = add_dependencies(walked.meta, offset)
  return walked
end
